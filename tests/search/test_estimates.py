"""Large result sets: the total stays exact and the facet counts are estimated from a sample (flagged);
a large phrase has its total estimated too; small result sets are counted exactly."""

import random
from datetime import date

import pytest

from articles.search.documents import make_documents
from articles.search.index import build_index
from articles.search.query import SearchRequest, search_index

PUBLICATIONS = ["le-monde", "les-echos", "la-tribune", "le-figaro"]
COMPANIES = ["Nvidia", "Huawei", "Alibaba"]
FILLER = ["marché", "exportation", "serveur", "contrôle", "usine", "semaine", "accord", "licence"]


def body(rng: random.Random, number: int) -> str:
    words = rng.sample(FILLER, 4)
    if number % 5:  # 80 % of the articles have the word, most of them in the phrase
        words += ["puces", "graphiques", "chinoises"] if number % 7 else ["chinoises", "puces", "graphiques"]
        if number % 7 and number % 61 == 0:  # a rare order of the same words
            words[-3:] = ["graphiques", "chinoises", "puces"]
    if number % 97 == 0:
        words.append("rarissime")
    return " ".join(words).capitalize() + "."


@pytest.fixture(scope="module")
def large_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("estimates") / "index"
    rng = random.Random(3)
    documents = []
    for number in range(3000):
        text = body(rng, number)
        documents += make_documents(
            article_id=number + 1,
            title=f"Article {number}",
            body=text,
            publication=PUBLICATIONS[number % len(PUBLICATIONS)],
            published=date(2024, 1 + number % 12, 1),
            companies=[COMPANIES[rng.randrange(len(COMPANIES))]],
            sentences=[(0, f"Article {number}"), (1, text)],
        )
        TEXTS[number + 1] = text.lower()
    build_index(path, iter(documents))
    return path


TEXTS: dict[int, str] = {}  # article id -> lower-cased body, filled by large_index


def exact_matches(q: str) -> int:
    return sum(1 for text in TEXTS.values() if q.strip('"') in text)


def test_large_result_sets_are_estimated_within_ten_percent(large_index):
    for q in ("puces", '"puces graphiques chinoises"'):
        results = search_index(large_index, SearchRequest(q=q))
        exact = exact_matches(q)
        assert results.facets_are_estimates, q
        assert isinstance(results.total, int)
        assert results.total == pytest.approx(exact, rel=0.10), q
        publications = dict(results.facets["publication"])
        assert sum(publications.values()) == pytest.approx(exact, rel=0.10), q
        for count in publications.values():  # the publications share the matches evenly
            assert count == pytest.approx(exact / len(PUBLICATIONS), rel=0.20), q
        assert len(results.hits) == 20


def test_a_large_phrase_has_an_estimated_total(large_index):
    results = search_index(large_index, SearchRequest(q='"puces graphiques chinoises"'))
    assert results.total_is_estimate
    assert results.total == pytest.approx(exact_matches('"puces graphiques chinoises"'), rel=0.10)


def test_a_large_word_keeps_its_exact_total(large_index):
    results = search_index(large_index, SearchRequest(q="puces"))
    assert results.total == exact_matches("puces")
    assert not results.total_is_estimate


def test_small_result_sets_are_exact(large_index):
    results = search_index(large_index, SearchRequest(q="rarissime"))
    exact = sum(1 for number in range(3000) if number % 97 == 0)
    assert results.total == exact
    assert not results.total_is_estimate and not results.facets_are_estimates
    assert sum(dict(results.facets["publication"]).values()) == exact


def test_a_phrase_rare_among_many_candidates_is_counted_exactly(large_index):
    """About 30 articles among 2 400 holding the three words: the sample grows until it covers them all."""
    q = '"graphiques chinoises puces"'
    results = search_index(large_index, SearchRequest(q=q))
    assert 20 < exact_matches(q) < 100
    assert results.total == exact_matches(q)
    assert not results.total_is_estimate and not results.facets_are_estimates
    assert all(q.strip('"') in TEXTS[hit.article_id] for hit in results.hits)


def test_a_middling_phrase_is_estimated_from_at_least_a_hundred_checked_matches(large_index):
    """About 340 articles among 2 400 candidates: estimated from a grown sample, and every hit is real."""
    q = '"chinoises puces graphiques"'
    results = search_index(large_index, SearchRequest(q=q))
    exact = exact_matches(q)
    assert 200 < exact < 500
    assert results.total_is_estimate and results.facets_are_estimates
    assert results.total == pytest.approx(exact, rel=0.20)
    assert sum(dict(results.facets["publication"]).values()) == pytest.approx(exact, rel=0.20)
    assert len(results.hits) == 20
    assert all(q.strip('"') in TEXTS[hit.article_id] for hit in results.hits)
    second = search_index(large_index, SearchRequest(q=q, page=2))
    assert all(q.strip('"') in TEXTS[hit.article_id] for hit in second.hits)
    assert not {h.article_id for h in second.hits} & {h.article_id for h in results.hits}


def test_a_document_another_alternative_matches_is_never_dropped_by_a_sampled_phrase(large_index):
    """`"puces graphiques chinoises" OR rarissime`: the rare word's articles whose words come in another
    order are candidates of the sampled phrase that fail its check; the OR keeps them all the same."""
    from whoosh import query as wq

    from articles.search.fastscore import score_all
    from articles.search.index import reader_for
    from articles.search.query import analyze

    phrase = wq.Phrase("body", analyze("puces graphiques chinoises"))
    rare = wq.Term("body", analyze("rarissime")[0])
    searcher = reader_for(large_index).searcher
    matches = score_all(searcher, wq.Or([phrase, rare]), None)
    assert matches.estimated  # the phrase was sampled
    found = {int(searcher.stored_fields(docnum)["article"]) for docnum, _ in matches.top(3000)}
    rare_ones = {article for article, text in TEXTS.items() if "rarissime" in text}
    reordered = {article for article in rare_ones if "puces graphiques chinoises" not in TEXTS[article]}
    assert reordered and rare_ones <= found
    assert found == rare_ones | {a for a, text in TEXTS.items() if "puces graphiques chinoises" in text}

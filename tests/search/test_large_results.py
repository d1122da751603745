"""Large result sets: every total and facet count is exact, for words and for phrases of frequent words
in any order (checked against the texts themselves), and every hit really holds what was asked."""

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
    path = tmp_path_factory.mktemp("large-results") / "index"
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
        TEXTS_DATES[number + 1] = date(2024, 1 + number % 12, 1)
    build_index(path, iter(documents))
    return path


TEXTS: dict[int, str] = {}  # article id -> lower-cased body, filled by large_index
TEXTS_DATES: dict[int, date] = {}  # article id -> publication date


def exact_matches(q: str) -> int:
    return sum(1 for text in TEXTS.values() if q.strip('"') in text)


def publication_counts(q: str) -> dict[str, int]:
    counts = dict.fromkeys(PUBLICATIONS, 0)
    for article, text in TEXTS.items():
        if q.strip('"') in text:
            counts[PUBLICATIONS[(article - 1) % len(PUBLICATIONS)]] += 1
    return {publication: n for publication, n in counts.items() if n}


@pytest.mark.parametrize(
    "q",
    [
        "puces",
        '"puces graphiques chinoises"',  # about 2 000 of the 2 400 candidates hold it
        '"chinoises puces graphiques"',  # about 340
        '"graphiques chinoises puces"',  # about 30
    ],
)
def test_large_result_sets_are_counted_exactly(large_index, q):
    results = search_index(large_index, SearchRequest(q=q))
    assert results.total == exact_matches(q) > 20
    assert dict(results.facets["publication"]) == publication_counts(q)
    assert len(results.hits) == 20
    assert all(q.strip('"') in TEXTS[hit.article_id] for hit in results.hits)
    second = search_index(large_index, SearchRequest(q=q, page=2))
    assert all(q.strip('"') in TEXTS[hit.article_id] for hit in second.hits)
    assert not {h.article_id for h in second.hits} & {h.article_id for h in results.hits}


def test_small_result_sets_are_exact(large_index):
    results = search_index(large_index, SearchRequest(q="rarissime"))
    exact = sum(1 for number in range(3000) if number % 97 == 0)
    assert results.total == exact
    assert sum(dict(results.facets["publication"]).values()) == exact


def test_an_alternative_keeps_the_documents_a_phrase_rejects(large_index):
    """`"puces graphiques chinoises" OR rarissime`: the rare word's articles whose words come in another
    order fail the phrase; the OR keeps them all the same, and nothing else."""
    from whoosh import query as wq

    from articles.search.fastscore import score_all
    from articles.search.index import reader_for
    from articles.search.query import analyze

    phrase = wq.Phrase("body", analyze("puces graphiques chinoises"))
    rare = wq.Term("body", analyze("rarissime")[0])
    searcher = reader_for(large_index).searcher
    matches = score_all(searcher, wq.Or([phrase, rare]), None)
    found = {int(searcher.stored_fields(docnum)["article"]) for docnum, _ in matches.top(3000)}
    rare_ones = {article for article, text in TEXTS.items() if "rarissime" in text}
    reordered = {article for article in rare_ones if "puces graphiques chinoises" not in TEXTS[article]}
    assert reordered and rare_ones <= found
    assert found == rare_ones | {a for a, text in TEXTS.items() if "puces graphiques chinoises" in text}
    assert matches.total == len(found)


def test_date_order_matches_whoosh_s_sorting_among_many_ties(large_index):
    """3 000 articles on twelve dates: newest first, and within a date the order Whoosh's sorting
    collector gives (higher document number first), on every page."""
    from articles.search.fastscore import score_all
    from articles.search.index import reader_for
    from articles.search.parsing import parse
    from articles.search.query import Lookup, _Compiler, collect

    searcher = reader_for(large_index).searcher
    for q in ("puces", "rarissime"):
        query = _Compiler(searcher.reader(), Lookup(), []).strict(parse(q).node)
        matches = score_all(searcher, query, None)
        keys = matches.scorer.sort_keys("published")
        for limit in (20, 200, 3000):
            results, _ = collect(searcher, query, None, limit, True)
            whoosh = [results.docnum(i) for i in range(results.scored_length())]
            assert [d for d, _ in matches.first_by(keys, limit)] == whoosh, (q, limit)
    pages = [search_index(large_index, SearchRequest(q="puces", sort="date", page=n)) for n in (1, 2)]
    dates = [TEXTS_DATES[hit.article_id] for page in pages for hit in page.hits]
    assert dates == sorted(dates, reverse=True)

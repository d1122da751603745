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
    build_index(path, iter(documents))
    return path


def exact_matches(q: str) -> int:
    return sum(1 for number in range(3000) if number % 5 and (q == "puces" or number % 7))


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
    assert results.total == pytest.approx(exact_matches("phrase"), rel=0.10)


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

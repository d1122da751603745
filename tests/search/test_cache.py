"""The per-searcher cache of scored postings: same answers as without it, and never stale."""

import pytest
from django.conf import settings

from articles.search import SearchRequest, index_articles, postings, search
from articles.search.fastscore import score_all
from articles.search.index import reader_for
from articles.search.parsing import parse
from articles.search.postings import TermCache
from articles.search.query import Lookup, _Compiler
from tests.search.test_search import CORPUS


@pytest.fixture
def cache_everything(monkeypatch):
    """In a six-article index no term reaches the production threshold: cache every term."""
    monkeypatch.setattr(postings, "CACHE_MIN_POSTINGS", 1)


def ids(q):
    return [hit.article_id for hit in search(SearchRequest(q=q)).hits]


@pytest.mark.django_db
def test_cached_terms_give_the_same_results(make_article, cache_everything):
    articles = [make_article(body, **kw) for body, kw in CORPUS]
    index_articles([a.pk for a in articles])
    first = [search(SearchRequest(q=q)) for q in ("puces", "puces Nvidia", '"puces A800"', "Nvidia -H200")]
    terms = reader_for(settings.SEARCH_INDEX_DIR).terms
    assert terms.entries and terms.misses
    hits_before = terms.hits
    again = [search(SearchRequest(q=q)) for q in ("puces", "puces Nvidia", '"puces A800"', "Nvidia -H200")]
    assert terms.hits > hits_before
    assert again == first  # scores, order, sentences and highlights, facets and totals alike


@pytest.mark.django_db
def test_cached_scores_equal_uncached_scores(make_article, cache_everything):
    articles = [make_article(body, **kw) for body, kw in CORPUS]
    index_articles([a.pk for a in articles])
    index_articles([articles[1].pk])  # a second segment and a deleted document
    searcher = reader_for(settings.SEARCH_INDEX_DIR).searcher
    cache = TermCache()
    for q in ("puces", "Nvidia OR Huawei", "Nvidia -H200", '"RTX 4090 D"'):
        query = _Compiler(searcher.reader(), Lookup(), []).strict(parse(q).node)
        plain = score_all(searcher, query, None).scores
        assert score_all(searcher, query, None, cache).scores == plain, q
        assert score_all(searcher, query, None, cache).scores == plain, q  # now from the cache


@pytest.mark.django_db
def test_a_new_article_is_found_although_its_words_were_cached(make_article, cache_everything):
    first = make_article("Les puces H20 de Nvidia sont rares.")
    index_articles([first.pk])
    assert ids("puces") == [first.pk]
    assert reader_for(settings.SEARCH_INDEX_DIR).terms.entries  # "puces" is now cached
    second = make_article("Des puces Ascend 910B livrées à Shenzhen.")
    index_articles([second.pk])
    assert set(ids("puces")) == {first.pk, second.pk}
    assert reader_for(settings.SEARCH_INDEX_DIR).terms.hits == 0  # a new searcher, a new cache
    gone = first.pk
    first.delete()
    index_articles([gone])
    assert ids("puces") == [second.pk]


@pytest.mark.django_db
def test_a_phrase_needs_its_words_side_by_side(make_article, cache_everything):
    apart = make_article("Les puces de Nvidia et les cartes A800 sont arrivées.")
    together = make_article("Les puces A800 de Nvidia sont arrivées.")
    reversed_ = make_article("Les A800 puces sont une faute de frappe.")
    index_articles([apart.pk, together.pk, reversed_.pk])
    for _ in range(2):  # the second time from the cache
        assert ids('"puces A800"') == [together.pk]
        results = search(SearchRequest(q='"puces A800"'))
        assert results.total == 1
        assert "<mark>puces</mark> <mark>A800</mark>" in results.hits[0].sentences[0].html


def postings_of(size: int):
    import numpy as np

    from articles.search.postings import TermPostings

    return TermPostings(ids=np.arange(size, dtype=np.int64), scores=np.ones(size))


def test_least_recently_used_terms_leave_first():
    cache = TermCache(capacity=10, min_postings=2)
    cache.put(("body", "a"), postings_of(4), 4)
    cache.put(("body", "b"), postings_of(4), 4)
    cache.put(("body", "rare"), postings_of(1), 1)  # below min_postings: not kept
    assert cache.get(("body", "a"))  # "a" used: "b" is now the oldest
    cache.put(("body", "c"), postings_of(3), 3)
    assert list(cache.entries) == [("body", "a"), ("body", "c")]
    assert cache.size == 7
    assert cache.get(("body", "rare")) is None

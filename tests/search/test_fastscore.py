"""The block-at-a-time scorer must find the same matches, scores and order as Whoosh's own collectors."""

import pytest
from django.conf import settings
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.search import index_articles
from articles.search.fastscore import score_all
from articles.search.index import reader_for
from articles.search.parsing import parse
from articles.search.query import Lookup, SearchRequest, _Compiler, collect, filters_query
from tests.search.test_search import CORPUS

QUERIES = [
    ("puces", {}),
    ("puces Nvidia", {}),
    ("Nvidia OR Huawei", {}),
    ("Nvidia -H200", {}),
    ("-Nvidia", {}),
    ('"puces A800"', {}),
    ('"RTX 4090 D"', {}),
    ("démont*", {}),
    ("bytedance", {}),
    ("puces", {"publications": ("les-echos", "la-tribune")}),
    ("puces", {"companies": ("Nvidia",)}),
]


@pytest.mark.django_db
def test_fast_scores_equal_whoosh_scores(make_article):
    articles = [make_article(body, **kw) for body, kw in CORPUS]
    index_articles([a.pk for a in articles])
    index_articles([articles[0].pk, articles[3].pk])  # updates leave deleted documents behind
    searcher = reader_for(settings.SEARCH_INDEX_DIR).searcher
    assert searcher.reader().has_deletions()
    lookup = Lookup.from_names(companies=[("ByteDance", ["ByTedance", "TikTok"])])
    for q, filters in QUERIES:
        request = SearchRequest(q=q, **filters)
        query = _Compiler(searcher.reader(), lookup, []).strict(parse(q).node)
        fast = score_all(searcher, query, filters_query(request))
        results, matched = collect(searcher, query, filters_query(request), 20, False)
        assert set(fast.scores) == matched and fast.total == len(matched), q
        whoosh = [(results.docnum(i), results.score(i)) for i in range(results.scored_length())]
        ours = fast.top(20)
        assert [d for d, _ in ours] == [d for d, _ in whoosh] or q.startswith('"'), q
        for (_, mine), (_, theirs) in zip(ours, whoosh, strict=True):
            assert mine == pytest.approx(theirs, rel=1e-4) or q.startswith('"'), q
        newest, _ = collect(searcher, query, filters_query(request), 20, True)
        keys = fast.scorer.sort_keys("published")
        by_date = [newest.docnum(i) for i in range(newest.scored_length())]
        assert [d for d, _ in fast.first_by(keys, 20)] == by_date, q
        assert [d for d, _ in fast.first_by(keys, 2)] == by_date[:2], q


@given(
    documents=st.lists(
        st.lists(st.lists(st.integers(0, 40), max_size=6), min_size=2, max_size=3), min_size=1, max_size=12
    )
)
@example(documents=[[[7], [3]], [[2], [0]]])  # a word at 0 less its offset must not reach the document before
@hypothesis_settings(max_examples=300, deadline=None)
def test_the_bulk_phrase_check_agrees_with_checking_each_document(documents):
    """_compact_phrase_docs (all documents at once) finds exactly the documents _consecutive accepts,
    among the candidates only."""
    from array import array

    import numpy as np

    from articles.search.fastscore import _compact_phrase_docs, _consecutive
    from articles.search.postings import TermPostings
    from articles.search.schema import CompactCharacters

    words = max(len(doc) for doc in documents)
    docnums = [3 * n + 1 for n in range(len(documents))]
    values: list[dict] = [{} for _ in range(words)]
    for docnum, doc in zip(docnums, documents, strict=True):
        for word in range(words):
            positions = sorted(set(doc[word])) if word < len(doc) else [0]
            values[word][docnum] = array("I", [n for p in positions for n in (p, 5 * p, 5 * p + 4)]).tobytes()
    tables = [
        TermPostings(
            ids=np.array(docnums, dtype=np.int64),
            scores=np.ones(len(docnums)),
            lengths=np.array([len(table[d]) for d in docnums], dtype=np.uint32),
            blob=b"".join(table[d] for d in docnums),
        )
        for table in values
    ]
    candidates = np.zeros(docnums[-1] + 1, dtype=bool)
    candidates[docnums[::2]] = True  # every other document is a candidate
    expected = {d for d in docnums[::2] if _consecutive(values, d, CompactCharacters().decode_positions)}
    assert set(_compact_phrase_docs(tables, candidates).tolist()) == expected


def test_a_word_repeated_in_a_phrase_must_repeat_in_the_text():
    """« sénateurs sénateurs »: the same postings twice (one table, as the scorer shares it)."""
    from array import array

    import numpy as np

    from articles.search.fastscore import _compact_phrase_docs
    from articles.search.postings import TermPostings

    positions = {1: [4, 5], 2: [4, 6], 3: [0, 9, 10, 11]}  # side by side in 1 and 3, not in 2
    values = [array("I", [n for p in positions[d] for n in (p, 0, 1)]).tobytes() for d in positions]
    table = TermPostings(
        ids=np.array(list(positions), dtype=np.int64),
        scores=np.ones(3),
        lengths=np.array([len(v) for v in values], dtype=np.uint32),
        blob=b"".join(values),
    )
    everything = np.ones(4, dtype=bool)
    assert _compact_phrase_docs([table, table], everything).tolist() == [1, 3]
    assert _compact_phrase_docs([table, table, table], everything).tolist() == [3]

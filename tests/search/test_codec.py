"""The index's own posting blocks must read exactly like Whoosh's, and indexes of either kind must search."""

from datetime import date

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from articles.search import index as search_index_module
from articles.search.codec import ArchiveCodec, BlockMatcher
from articles.search.documents import make_documents
from articles.search.index import build_index
from articles.search.query import SearchRequest, analyze, search_index
from tests.search.test_search import CORPUS


def documents(copies=60):
    """Enough documents for several blocks per frequent term (blocks hold 128 postings)."""
    for n in range(copies):
        for i, (body, kw) in enumerate(CORPUS):
            yield from make_documents(
                article_id=n * 10 + i + 1,
                title=kw["title"],
                body=body + f" Paragraphe {n}." * (n % 3),
                publication="le-monde",
                published=date(2024, 1, 1 + n % 28),
                companies=["Nvidia"] if "Nvidia" in body else [],
            )


def postings(path, fieldname, term):
    with whoosh_index.open_dir(str(path)).searcher() as searcher:
        matcher = searcher.reader().postings(fieldname, term)
        out = []
        while matcher.is_active():
            out.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        return type(matcher), out


@pytest.fixture
def two_indexes(tmp_path, monkeypatch):
    ours = tmp_path / "ours"
    build_index(ours, documents())
    monkeypatch.setattr(search_index_module, "ArchiveCodec", lambda: W3Codec())
    whoosh = tmp_path / "whoosh"
    build_index(whoosh, documents())
    return ours, whoosh


def test_blocks_read_like_whoosh_blocks(two_indexes):
    ours, whoosh = two_indexes
    sizes = []
    for fieldname, word in [
        ("body", "puces"),
        ("body", "Nvidia"),
        ("title", "puces"),
        ("body", "paragraphe"),
    ]:
        term = analyze(word)[0]
        kind, mine = postings(ours, fieldname, term)
        _, theirs = postings(whoosh, fieldname, term)
        assert kind is BlockMatcher
        assert mine == theirs, (fieldname, term)
        sizes.append(len(mine))
    assert max(sizes) > 128  # more than one block of 128 postings


def test_both_kinds_of_index_search_alike(two_indexes):
    ours, whoosh = two_indexes
    for q in ["puces", "puces Nvidia", '"puces A800"', "Nvidia -H200", "démont*"]:
        mine, theirs = (search_index(path, SearchRequest(q=q)) for path in (ours, whoosh))
        assert mine.total == theirs.total and mine.total > 0, q
        assert [h.article_id for h in mine.hits] == [h.article_id for h in theirs.hits], q
        assert [h.sentences for h in mine.hits] == [h.sentences for h in theirs.hits], q


def test_the_codec_survives_the_index_being_reopened(tmp_path):
    build_index(tmp_path / "ix", documents(copies=3))
    segment = whoosh_index.open_dir(str(tmp_path / "ix"))._segments()[0]
    assert isinstance(segment.codec(), ArchiveCodec)  # pickled with the segment, found again by name


@pytest.mark.parametrize("wanted_share", [0.01, 0.05, 0.5, 1.0])
def test_candidate_values_finds_exactly_the_wanted_postings(two_indexes, wanted_share):
    """Skipping blocks by their highest id and bisecting inside them must find what a full read finds."""
    import random

    from articles.search.postings import candidate_values

    rng = random.Random(int(wanted_share * 100))
    term = analyze("puces")[0]
    for path in two_indexes:
        _, every = postings(path, "body", term)
        everything = {docnum: value for docnum, _weight, value in every}
        with whoosh_index.open_dir(str(path)).searcher() as searcher:
            count = searcher.doc_count_all()
            wanted = set(rng.sample(range(count + 50), int((count + 50) * wanted_share)))  # some past the end
            found = candidate_values(searcher.reader(), 0, "body", term, wanted)
        assert found == {d: v for d, v in everything.items() if d in wanted}
        assert len(everything) > 128 and (found or wanted_share < 0.05)


def test_blocks_written_with_whoosh_s_pickle_protocol_still_read_alike(tmp_path, monkeypatch):
    """Indexes built before blocks were pickled with protocol 4 (protocol 2 pickles bytes as latin-1
    decode calls, `_codecs.encode`) search exactly like the new ones."""
    from articles.search import codec

    new = tmp_path / "new"
    build_index(new, documents())
    monkeypatch.setattr(codec, "BLOCK_PICKLE_PROTOCOL", 2)
    old = tmp_path / "old"
    build_index(old, documents())

    def blocks_mention_codecs(path):
        return any(b"_codecs" in p.read_bytes() for p in path.iterdir() if p.is_file())

    assert blocks_mention_codecs(old) and not blocks_mention_codecs(new)
    term = analyze("puces")[0]
    assert postings(old, "body", term) == postings(new, "body", term)
    for q in ["puces", "puces Nvidia", '"puces A800"', "Nvidia -H200"]:
        mine, theirs = (search_index(path, SearchRequest(q=q)) for path in (new, old))
        assert mine == theirs and mine.total > 0, q

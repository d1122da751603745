"""Reading posting lists for fastscore: whole blocks at a time, field-length norms, and the term cache.

Relies on whoosh-reloaded 2.7.5's W3 block layout (`W3LeafMatcher`, and codec.BlockMatcher for this
index's own blocks); any other matcher is read one posting at a time through the public Matcher API.
"""

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from itertools import accumulate

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from articles.search.codec import BlockMatcher

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
CACHE_MIN_POSTINGS = 256  # rarer terms decode in well under a millisecond: not worth keeping
CACHE_POSTINGS = 400_000  # per searcher: about 45 MB when full (measured: ~115 bytes a posting)
_lengths_cache: dict = {}
_norms_cache: dict = {}
_lengths_lock = threading.Lock()


class TermCache:
    """Decoded and scored postings of frequent terms, for one searcher (one state of the index).

    Reading and scoring posting blocks is most of a query's cost, and readers keep coming back to the
    same frequent words, which are also the costly ones. The scores depend on the whole index (idf,
    mean length), so a cache belongs to one searcher: index.py drops it with the searcher when the
    index changes, and entries never outlive what they were read from. Least recently used terms go
    first; one thread uses a cache (searchers are per thread). Sizes count postings, not bytes.
    """

    def __init__(self, capacity: int | None = None, min_postings: int | None = None):
        self.capacity = CACHE_POSTINGS if capacity is None else capacity
        self.min_postings = CACHE_MIN_POSTINGS if min_postings is None else min_postings
        self.entries: OrderedDict = OrderedDict()
        self.size = self.hits = self.misses = 0

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return entry

    def put(self, key, entry, size: int) -> None:
        if size < self.min_postings or size > self.capacity:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[0])
        self.entries[key] = entry
        self.size += size
        while self.size > self.capacity:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted[0])


def segment_lengths(subreader, fieldname: str) -> list[float]:
    """Field length of every document of a segment (cached per segment: segments never change)."""
    key = (subreader.segment().segment_id(), fieldname)
    lengths = _lengths_cache.get(key)
    if lengths is None:
        perdoc = subreader._perdoc  # noqa: SLF001
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # noqa: SLF001
        count = subreader.doc_count_all()
        if column is None:
            lengths = [1.0] * count
        else:
            lengths = [byte_to_length(column[d]) or 1.0 for d in range(count)]
        with _lengths_lock:
            if len(_lengths_cache) > 64:
                _lengths_cache.clear()
            _lengths_cache[key] = lengths
    return lengths


def segment_norms(subreader, fieldname: str, avg: float) -> list[float]:
    """BM25's length normalisation K1 * (1 - B + B * length / avg) of each document of a segment.

    Cached with the mean length it was computed for, so that scoring a posting is two C-level map steps.
    """
    key = (subreader.segment().segment_id(), fieldname, avg)
    norms = _norms_cache.get(key)
    if norms is None:
        k1_b, k1_1b = K1 * B / avg, K1 * (1 - B)
        norms = [k1_1b + k1_b * length for length in segment_lengths(subreader, fieldname)]
        with _lengths_lock:
            if len(_norms_cache) > 64:
                _norms_cache.clear()
            _norms_cache[key] = norms
    return norms


def blocks(subreader, fieldname: str, text: str, values: bool):
    """Yield (ids, weights, values or None) blocks of a term's postings in one segment (deleted excluded)."""
    try:
        matcher = subreader.postings(fieldname, text)
    except TermNotFound:
        return
    deleted = None
    if isinstance(matcher, FilterMatcher):
        deleted = subreader.deleted_docs_set
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._ids is None and type(matcher) is W3LeafMatcher:  # Whoosh's own blocks
                if matcher._data is None:  # noqa: SLF001
                    matcher._read_data()  # noqa: SLF001
                # Ids are delta-encoded: accumulate() is Whoosh's delta_decode, in C (5× faster).
                matcher._ids = tuple(accumulate(matcher._data[0]))  # noqa: SLF001
            elif matcher._ids is None:  # noqa: SLF001
                matcher._read_ids()  # noqa: SLF001
            if matcher._weights is None:  # noqa: SLF001
                matcher._read_weights()  # noqa: SLF001
            vals = None
            if values:
                if matcher._values is None:  # noqa: SLF001
                    matcher._read_values()  # noqa: SLF001
                vals = matcher._values  # noqa: SLF001
            ids, weights = matcher._ids, matcher._weights  # noqa: SLF001
            if deleted:
                keep = [i for i, d in enumerate(ids) if d not in deleted]
                ids = [ids[i] for i in keep]
                weights = [weights[i] for i in keep]
                vals = [vals[i] for i in keep] if vals is not None else None
            yield ids, weights, vals
            matcher._next_block()  # noqa: SLF001
        return
    ids, weights, vals = [], [], []
    while matcher.is_active():
        docnum = matcher.id()
        if not deleted or docnum not in deleted:
            ids.append(docnum)
            weights.append(matcher.weight())
            if values:
                vals.append(matcher.value())
        matcher.next()
    yield ids, weights, (vals if values else None)


def candidate_values(subreader, offset: int, fieldname: str, text: str, wanted: set[int]) -> dict:
    """{docnum: posting value} of a term, for the wanted documents only (phrase candidates, page hits).

    Blocks holding none of the wanted documents are passed on their header's highest id, without
    reading their ids; in a block, wanted documents are found by bisection when they are few.
    """
    try:
        matcher = subreader.postings(fieldname, text)
    except TermNotFound:
        return {}
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are never among the candidates
    out = {}
    if isinstance(matcher, BlockMatcher):
        size = subreader.doc_count_all()
        local = sorted(d - offset for d in wanted if offset <= d < offset + size)  # this segment's
        start = 0
        while matcher.is_active() and start < len(local):
            end = bisect_right(local, matcher._maxid, start)  # noqa: SLF001 - the block header's last id
            if end > start:
                if matcher._ids is None:  # noqa: SLF001
                    matcher._read_ids()  # noqa: SLF001
                ids = matcher._ids  # noqa: SLF001
                if end - start < len(ids) // 8:
                    found = (bisect_left(ids, d) for d in local[start:end])
                    indexes = [
                        i
                        for i, d in zip(found, local[start:end], strict=True)
                        if i < len(ids) and ids[i] == d
                    ]
                else:
                    indexes = [i for i, d in enumerate(ids) if d + offset in wanted]
                if indexes:
                    out.update(
                        zip((ids[i] + offset for i in indexes), matcher.values_at(indexes), strict=True)
                    )
                start = end
            matcher._next_block()  # noqa: SLF001
        return out
    while matcher.is_active():
        if matcher.id() + offset in wanted:
            out[matcher.id() + offset] = matcher.value()
        matcher.next()
    return out

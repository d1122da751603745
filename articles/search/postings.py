"""Reading posting lists for fastscore: whole terms as numpy arrays, field-length norms, the term cache.

Relies on whoosh-reloaded 2.7.5's W3 block layout (`W3LeafMatcher`, and codec.BlockMatcher for this
index's own blocks); any other matcher is read one posting at a time through the public Matcher API.
A term of codec.BlockMatcher blocks becomes arrays with one `numpy.frombuffer` per block: ids, weights
and values are flat byte strings there, so no Python object is made per posting.
"""

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from articles.search.codec import BlockMatcher

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
CACHE_MIN_POSTINGS = 256  # rarer terms decode in well under a millisecond: not worth keeping
CACHE_POSTINGS = 1_000_000  # per searcher: up to ~50 MB (16 bytes a posting, ~50 with body occurrences)
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
            self.size -= len(old)
        self.entries[key] = entry
        self.size += size
        while self.size > self.capacity:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted)


# Whoosh stores a field's length in a document as one byte (a logarithmic scale): its value for each byte
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _per_segment(cache: dict, key, compute):
    """cache[key], computed once: segments never change (a few dozen entries kept, then all dropped)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        with _lengths_lock:
            if len(cache) > 64:
                cache.clear()
            cache[key] = value
    return value


def segment_lengths(subreader, fieldname: str) -> np.ndarray:
    """Field length of every document of a segment."""

    def compute():
        column = subreader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # noqa: SLF001
        count = subreader.doc_count_all()
        if column is None:
            return np.ones(count)
        lengths = _BYTE_LENGTHS[_column_values(column, count)]
        lengths[lengths == 0] = 1.0  # as in Whoosh's scoring: an empty field counts as length 1
        return lengths

    return _per_segment(_lengths_cache, (subreader.segment().segment_id(), fieldname), compute)


def segment_sort_keys(subreader, fieldname: str) -> np.ndarray:
    """A sortable field's column for every document of a segment, as stored: Whoosh stores numbers
    shifted so that they sort as unsigned ints, so these keys order documents as the values do."""

    def compute():
        column = subreader.column_reader(fieldname, translate=False)
        return _column_values(column, subreader.doc_count_all()).astype(np.int64)

    return _per_segment(_lengths_cache, (subreader.segment().segment_id(), fieldname, "sort keys"), compute)


def _column_values(column, count: int) -> np.ndarray:
    """The value of each of the segment's documents in a column: a numeric column's bytes read at once
    (documents past its end get its default), any other kind of column one document at a time."""
    if isinstance(column, NumericColumn.Reader):
        dtype = np.dtype(">" + column._typecode)  # noqa: SLF001 - struct's "!" order: big-endian
        stored = min(count, column._count)  # noqa: SLF001
        raw = column._dbfile.get(column._basepos, stored * dtype.itemsize)  # noqa: SLF001
        missing = np.full(count - stored, column._default, dtype=dtype)  # noqa: SLF001
        return np.concatenate([np.frombuffer(raw, dtype=dtype), missing])
    return np.fromiter((column[d] for d in range(count)), dtype=np.int64, count=count)


def segment_norms(subreader, fieldname: str, avg: float) -> np.ndarray:
    """BM25's length normalisation K1 * (1 - B + B * length / avg) of each document of a segment.

    Cached with the mean length it was computed for, so that scoring a term is a few array operations.
    """

    def compute():
        return K1 * (1 - B) + K1 * B / avg * segment_lengths(subreader, fieldname)

    return _per_segment(_norms_cache, (subreader.segment().segment_id(), fieldname, avg), compute)


@dataclass
class TermPostings:
    """A term's postings in the whole index, in document order: scores and, when read, values.

    `lengths` and `blob` hold the posting values (positions, or CompactCharacters' flat ints) as one
    byte string and the byte length of each posting's value; None when the values were not read.
    """

    ids: np.ndarray  # int64 document numbers, ascending
    scores: np.ndarray  # float64 BM25F score of each posting (or its weight, in unscored fields)
    lengths: np.ndarray | None = None  # bytes of each posting's value
    blob: bytes | None = None
    _ends: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def has_values(self) -> bool:
        return self.lengths is not None

    def values_of(self, docnums) -> dict[int, bytes]:
        """{docnum: posting value} of those of the documents this term is in."""
        if self._ends is None:
            self._ends = np.cumsum(self.lengths, dtype=np.int64)
        docnums = np.asarray(sorted(docnums), dtype=np.int64)
        where = np.searchsorted(self.ids, docnums)
        inside = where < len(self.ids)
        where, docnums = where[inside], docnums[inside]
        found = self.ids[where] == docnums
        out = {}
        for docnum, index in zip(docnums[found].tolist(), where[found].tolist(), strict=True):
            end = int(self._ends[index])
            out[docnum] = self.blob[end - int(self.lengths[index]) : end]
        return out


def segment_postings(subreader, fieldname: str, text: str, values: bool):
    """(ids, weights, value lengths, values blob) of a term in one segment, deleted documents left out;
    ids are the segment's own document numbers; lengths and blob are None unless `values`."""
    try:
        matcher = subreader.postings(fieldname, text)
    except TermNotFound:
        return None
    deleted = None
    if isinstance(matcher, FilterMatcher):
        deleted = subreader.deleted_docs_set
        matcher = matcher.child
    fixedsize = matcher.format.fixed_value_size() if values else None
    flat_values = fixedsize is None or fixedsize < 0  # values as (lengths, blob) in codec.BlockMatcher blocks
    if isinstance(matcher, BlockMatcher) and not matcher._compression and flat_values:  # noqa: SLF001
        ids, weights, lengths, blob = _flat_blocks(matcher, values)
    else:
        ids, weights, lengths, blob = _listed_postings(matcher, values)
    if deleted:
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        if values:
            blob = np.frombuffer(blob, dtype=np.uint8)[np.repeat(keep, lengths)].tobytes()
            lengths = lengths[keep]
        ids, weights = ids[keep], weights[keep]
    return ids, weights, lengths, blob


_GAP_TYPES = {"H": np.dtype("<u2"), "I": np.dtype("<u4")}


def _flat_blocks(matcher, values: bool):
    """Every block of a codec.BlockMatcher as arrays: one frombuffer per block, the rest vectorised.

    Ids are delta-encoded from 0 in each block; the first gap of each block is made relative to the
    previous block's last id (its header's), so one cumulative sum over all of them gives the ids.
    """
    gaps, block_sizes, last_ids, weights, lengths, blobs = [], [], [], [], [], []
    while matcher.is_active():
        matcher._read_data()  # noqa: SLF001
        (typecode, raw_ids), block_weights, block_values = matcher._data  # noqa: SLF001
        size = matcher._blocklength  # noqa: SLF001
        gaps.append(np.frombuffer(raw_ids, dtype=_GAP_TYPES[typecode]))
        block_sizes.append(size)
        last_ids.append(matcher._maxid)  # noqa: SLF001
        if block_weights is None:
            weights.append(np.ones(size, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(size, block_weights, dtype=np.float32))
        else:
            weights.append(np.frombuffer(block_weights, dtype=np.float32))
        if values:
            raw_lengths, blob = block_values
            lengths.append(np.frombuffer(raw_lengths, dtype=np.uint32))
            blobs.append(blob)
        matcher._next_block()  # noqa: SLF001
    if not gaps:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.astype(np.float64), (empty.astype(np.uint32) if values else None), b""
    ids = np.concatenate(gaps).astype(np.int64)
    starts = np.cumsum(np.array(block_sizes[:-1], dtype=np.int64))
    ids[starts] -= np.array(last_ids[:-1], dtype=np.int64)
    np.cumsum(ids, out=ids)
    weights = np.concatenate(weights).astype(np.float64)
    if not values:
        return ids, weights, None, None
    return ids, weights, np.concatenate(lengths), b"".join(blobs)


def _listed_postings(matcher, values: bool):
    """Any other matcher's postings as the same arrays: Whoosh's own blocks (indexes built before
    codec.ArchiveCodec) a block at a time, anything else one posting at a time."""
    ids, weights, vals = [], [], []
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
            ids.extend(matcher._ids)  # noqa: SLF001
            weights.extend(matcher._weights)  # noqa: SLF001
            if values:
                if matcher._values is None:  # noqa: SLF001
                    matcher._read_values()  # noqa: SLF001
                vals.extend(matcher._values)  # noqa: SLF001
            matcher._next_block()  # noqa: SLF001
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                vals.append(matcher.value())
            matcher.next()
    lengths = np.fromiter(map(len, vals), dtype=np.uint32, count=len(vals)) if values else None
    blob = b"".join(vals) if values else None
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), lengths, blob


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

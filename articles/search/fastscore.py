"""Relevance search without Whoosh's per-document matcher machinery: every match scored, in arrays.

Whoosh scores a match by walking a tree of matcher objects, about 10 µs per matching document; a word
found in most articles then costs ~100 ms at 10 000 articles, ~1 s at 100 000. Here a term's postings
are read whole into numpy arrays (postings.TermPostings: one `frombuffer` per block of 128 postings),
scored with Whoosh's BM25F formula (B = 0.75, K1 = 1.2, the title boost included in the stored
weights) in a few array operations, and a query is evaluated over every document number at once: each
part of it is a boolean mask of its matches and an array of their scores (`Found`), which AND, OR and
NOT combine element-wise. The exact match set (for the total and the facets) and the top N come out of
the same arrays, and no Python object is made per posting or per match.

Phrases are checked on every candidate (the documents holding all their words): each word's positions
in the candidates become keys (document << shift) + position - the word's offset in the phrase, and
the documents of the keys every word shares hold the phrase (`_compact_phrase_docs`, sorted-array
searches in numpy). Fields stored in Whoosh's own pickled positions (titles) are checked document by
document: their candidates are few.

Frequent terms' postings stay in a per-searcher `TermCache`, so a word readers often search costs one
dict lookup the second time.

Supported queries are the ones query.py builds: Term, And, Or, AndNot, Phrase, Every, and filters made of
those plus NumericRange (enumerated by Whoosh). Anything else returns None and the caller falls back to
Whoosh's collectors. Posting lists are read by postings.py.
"""

from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import query as wq
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from articles.search import postings
from articles.search.postings import K1, TermCache, TermPostings
from articles.search.schema import CompactCharacters

OCCURRENCE_BYTES = 12  # a CompactCharacters occurrence: position, startchar, endchar as uint32


class Unsupported(Exception):
    pass


class Found:
    """The matches of a query or part of one, over every document number of the searcher: `mask` says
    which documents match, `scores` holds their scores (0.0 for the others)."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray):
        self.mask, self.scores = mask, scores

    @classmethod
    def none(cls, size: int) -> "Found":
        return cls(np.zeros(size, dtype=bool), np.zeros(size))


def _consecutive(values: list[dict], docnum: int, decode) -> bool:
    """Whether the phrase's words (their posting values by docnum) occur at consecutive positions."""
    starts = set(decode(values[0][docnum]))
    for offset, raw in enumerate(values[1:], 1):
        starts &= {p - offset for p in decode(raw[docnum])}
        if not starts:
            return False
    return True


def _compact_phrase_docs(tables: list[TermPostings], candidates: np.ndarray) -> np.ndarray:
    """The document numbers (ascending) among the candidates (a boolean mask) where the words, given by
    their CompactCharacters postings, occur at consecutive positions.

    Each word's occurrences in the candidates become keys (document << shift) + position - the word's
    offset in the phrase; positions ascend within a document, so each word's keys come out sorted and
    the keys every word shares are found by binary searches (np.searchsorted), all in C. The shift
    leaves room for every position plus the offsets subtracted, so no key reaches another document's.
    """
    occurrences = {}  # by table: a word repeated in the phrase is gathered once
    for table in tables:
        if id(table) not in occurrences:
            counts = (table.lengths // OCCURRENCE_BYTES).astype(np.int64)
            kept = candidates[table.ids]
            positions = np.frombuffer(table.blob, dtype=np.uint32)[0::3][np.repeat(kept, counts)]
            occurrences[id(table)] = (np.repeat(table.ids[kept], counts[kept]), positions.astype(np.int64))
    highest = max(
        (int(positions.max()) for _, positions in occurrences.values() if len(positions)), default=0
    )
    shift = max(highest.bit_length(), len(tables).bit_length()) + 2
    starts = {key: (docnums << shift) + positions for key, (docnums, positions) in occurrences.items()}
    common = None
    for offset, table in enumerate(tables):
        keys = starts[id(table)] - offset
        if common is None:
            common = keys
            continue
        where = np.searchsorted(keys, common)
        inside = where < len(keys)
        common = common[inside][keys[where[inside]] == common[inside]]
        if not len(common):
            break
    return np.unique(common >> shift)


def _positions(value: bytes) -> list[int]:
    """The positions of a Positions/Characters posting value (Whoosh pickles its deltas)."""
    raw = value[_INT_SIZE:]
    if raw[-1:] != b".":
        raw += b"."
    codes = loads(raw)
    if codes and isinstance(codes[0], tuple):  # Characters: (position delta, start delta, length)
        return list(accumulate(code[0] for code in codes))
    return list(accumulate(codes))


class Scorer:
    """Evaluate a query on one searcher: a `Found` over every document number."""

    def __init__(self, searcher, cache: TermCache | None = None):
        self.searcher = searcher
        self.cache = cache
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        self.schema = searcher.schema
        self.size = searcher.doc_count_all()
        self.read: dict[tuple[str, str], TermPostings] = {}  # every term read: the highlights reuse them

    def postings(self, fieldname: str, text: str, values: bool = False) -> TermPostings:
        """A term's scored postings (shared with the cache: never modify them). Values are read when
        asked for, and always for CompactCharacters fields, where they cost little more than the ids
        and give the page's highlights without reading the postings again."""
        key = (fieldname, text)
        values = values or isinstance(self.schema[fieldname].format, CompactCharacters)
        entry = self.read.get(key)
        if entry is None and self.cache is not None:
            entry = self.cache.get(key)
        if entry is None or (values and not entry.has_values):
            entry = self._read_term(fieldname, text, values)
            if self.cache is not None:
                self.cache.put(key, entry, len(entry))
        self.read[key] = entry
        return entry

    def _read_term(self, fieldname: str, text: str, values: bool) -> TermPostings:
        field = self.schema[fieldname]
        if field.scorable:
            factor = self.searcher.idf(fieldname, text) * (K1 + 1)
            avg = self.searcher.avg_field_length(fieldname) or 1
        parts = []
        for subreader, offset in self.leaves:
            read = postings.segment_postings(subreader, fieldname, text, values)
            if read is None:
                continue
            ids, weights, lengths, blob = read
            if field.scorable:
                norms = postings.segment_norms(subreader, fieldname, avg)
                scores = factor * weights / (weights + norms[ids])
            else:
                scores = weights
            parts.append((ids + offset, scores, lengths, blob))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return TermPostings(empty, np.zeros(0), *((empty.astype(np.uint32), b"") if values else ()))
        if len(parts) == 1:
            return TermPostings(*parts[0])
        ids, scores, lengths, blobs = zip(*parts, strict=True)
        return TermPostings(
            np.concatenate(ids),
            np.concatenate(scores),
            np.concatenate(lengths) if values else None,
            b"".join(blobs) if values else None,
        )

    def term(self, fieldname: str, text: str) -> Found:
        return self._add_term(Found.none(self.size), fieldname, text)

    def _add_term(self, found: Found, fieldname: str, text: str) -> Found:
        """Add a term's matches and scores to `found` (an OR), without a whole array of its own."""
        if fieldname in self.schema:
            table = self.postings(fieldname, text)
            found.mask[table.ids] = True
            found.scores[table.ids] += table.scores
        return found

    def sort_keys(self, fieldname: str) -> np.ndarray:
        """Every document's key in a sortable field (postings.segment_sort_keys), by document number."""
        parts = [postings.segment_sort_keys(subreader, fieldname) for subreader, _ in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def live(self) -> np.ndarray:
        """Every document that is not deleted."""
        mask = np.ones(self.size, dtype=bool)
        for subreader, offset in self.leaves:
            if subreader.has_deletions():
                deleted = np.fromiter(subreader.deleted_docs_set, dtype=np.int64)
                mask[deleted + offset] = False
        return mask

    def phrase(self, fieldname: str, words: list[str]) -> Found:
        """Documents with the words at consecutive positions, scored as the sum of the words' scores."""
        fmt = self.schema[fieldname].format
        if not fmt.supports("positions"):
            raise Unsupported(fieldname)
        tables = [self.postings(fieldname, word, values=True) for word in words]
        candidates = np.zeros(self.size, dtype=bool)
        candidates[tables[0].ids] = True
        for table in tables[1:]:
            in_word = np.zeros(self.size, dtype=bool)
            in_word[table.ids] = True
            candidates &= in_word
        if isinstance(fmt, CompactCharacters):
            docnums = _compact_phrase_docs(tables, candidates)
        else:
            decode = _positions if isinstance(fmt, Positions) else fmt.decode_positions
            candidate_docnums = np.flatnonzero(candidates).tolist()
            values = [table.values_of(candidate_docnums) for table in tables]
            docnums = [d for d in candidate_docnums if _consecutive(values, d, decode)]
        found = Found.none(self.size)
        found.mask[docnums] = True
        for table in tables:
            found.scores[table.ids] += table.scores
        found.scores *= found.mask
        return found

    def run(self, q: wq.Query) -> Found:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            return self.phrase(q.fieldname, list(q.words))
        if isinstance(q, wq.Every):
            mask = self.live()
            return Found(mask, mask.astype(np.float64))
        if isinstance(q, wq.AndNot):
            found = self.run(q.a)
            found.mask &= ~self.docs(q.b)
            found.scores *= found.mask
            return found
        if isinstance(q, wq.Or):
            found = Found.none(self.size)
            for sub in q.subqueries:
                if isinstance(sub, wq.Term):
                    self._add_term(found, sub.fieldname, sub.text)
                else:
                    part = self.run(sub)
                    found.mask |= part.mask
                    found.scores += part.scores
            return found
        if isinstance(q, wq.And):
            if not q.subqueries:
                return Found.none(self.size)
            found = self.run(q.subqueries[0])
            for sub in q.subqueries[1:]:  # one part at a time: a long query holds two arrays, not one a word
                part = self.run(sub)
                found.mask &= part.mask
                found.scores += part.scores
            found.scores *= found.mask
            return found
        raise Unsupported(type(q).__name__)

    def docs(self, q: wq.Query) -> np.ndarray:
        """The documents a filter (or any supported query) matches, as a boolean mask."""
        if isinstance(q, wq.NumericRange):
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
            return mask
        if isinstance(q, wq.And | wq.Or) and q.subqueries:
            parts = [self.docs(sub) for sub in q.subqueries]
            mask = parts[0]
            for part in parts[1:]:
                mask = mask & part if isinstance(q, wq.And) else mask | part
            return mask
        return self.run(q).mask


class Matches:
    """Every match of a query, with its score: `mask` over the document numbers, `total` exact."""

    def __init__(self, scorer: Scorer, found: Found):
        self.scorer = scorer
        self.mask, self._scores = found.mask, found.scores
        self.total = int(np.count_nonzero(self.mask))

    @property
    def postings(self) -> dict[tuple[str, str], TermPostings]:
        """The terms the query read, by (field, term): the page's highlights reuse their values."""
        return self.scorer.read

    @property
    def scores(self) -> dict[int, float]:
        """{docnum: score} of every match."""
        docnums = np.flatnonzero(self.mask)
        return dict(zip(docnums.tolist(), self._scores[docnums].tolist(), strict=True))

    def top(self, n: int) -> list[tuple[int, float]]:
        """The n best (docnum, score), best first, ties by docnum."""
        docnums = np.flatnonzero(self.mask)
        scores = self._scores[docnums]
        docnums, scores = _at_or_above_nth(docnums, scores, n)
        order = np.lexsort((docnums, -scores))[: max(n, 0)]
        return list(zip(docnums[order].tolist(), scores[order].tolist(), strict=True))

    def first_by(self, keys: np.ndarray, n: int) -> list[tuple[int, float]]:
        """The n (docnum, score) with the highest keys (Scorer.sort_keys), highest first; ties as
        Whoosh's sorting collector orders them, the higher docnum first."""
        docnums = np.flatnonzero(self.mask)
        docnums, _ = _at_or_above_nth(docnums, keys[docnums], n)
        order = np.lexsort((-docnums, -keys[docnums]))[: max(n, 0)]
        docnums = docnums[order]
        return list(zip(docnums.tolist(), self._scores[docnums].tolist(), strict=True))


def _at_or_above_nth(docnums: np.ndarray, values: np.ndarray, n: int):
    """The documents whose value is at least the n-th highest (found by a partial sort), so that only
    those few are sorted."""
    if len(values) > n > 0:
        floor = np.partition(values, len(values) - n)[len(values) - n]
        kept = values >= floor
        return docnums[kept], values[kept]
    return docnums, values


def score_all(
    searcher, query: wq.Query, filters: wq.Query | None, cache: TermCache | None = None
) -> Matches | None:
    """Every match of `query` within `filters`, with its BM25F score; None when unsupported."""
    scorer = Scorer(searcher, cache)
    try:
        found = scorer.run(query)
        if filters is not None:
            found.mask &= scorer.docs(filters)
    except Unsupported:
        return None
    return Matches(scorer, found)

"""Relevance search without Whoosh's per-document matcher machinery: every match scored, block by block.

Whoosh scores a match by walking a tree of matcher objects, about 10 µs per matching document; a word
found in most articles then costs ~100 ms at 10 000 articles. Here the same BM25F scores (Whoosh's
formula, B = 0.75, K1 = 1.2, title boost included in the stored weights) are computed per posting
*block*: ids and weights are read 128 at a time and combined in dicts and sets, so the exact match set
(for the total and the facets) and the top N come out of one pass that costs ~1 µs per posting.

Supported queries are the ones query.py builds: Term, And, Or, AndNot, Phrase, Every, and filters made of
those plus NumericRange (enumerated by Whoosh). Anything else returns None and the caller falls back to
Whoosh's collectors. Relies on whoosh-reloaded 2.7.5's W3 codec block layout (`W3LeafMatcher`);
any other matcher is read one posting at a time through the public Matcher API.
"""

import heapq
import threading
from array import array
from itertools import accumulate
from pickle import loads

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from articles.search.schema import CompactCharacters

B, K1 = 0.75, 1.2
PHRASE_EXACT = 2000  # phrases with more candidates than this are sampled for the total and facets...
PHRASE_SAMPLE = 1000  # ...checking about this many candidates
ESTIMATE_ABOVE = 1000  # an estimate below this is replaced by the exact count
FACET_SAMPLE = 1000  # a larger match set has its facets counted on a sample of about this many matches
_lengths_cache: dict = {}
_lengths_lock = threading.Lock()


class Unsupported(Exception):
    pass


def _segment_lengths(subreader, fieldname: str) -> list[float]:
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


def _postings(subreader, fieldname: str, text: str, values: bool):
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
            if matcher._ids is None:  # noqa: SLF001
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


def _consecutive(values: list[dict], docnum: int, decode=None) -> bool:
    """Whether the phrase's words (their posting values by docnum) occur at consecutive positions."""
    decode = decode or _positions
    starts = set(decode(values[0][docnum]))
    if len(values) == 2:
        return not starts.isdisjoint([p - 1 for p in decode(values[1][docnum])])
    for offset, raw in enumerate(values[1:], 1):
        starts &= {p - offset for p in decode(raw[docnum])}
        if not starts:
            return False
    return True


def _compact_positions(value: bytes) -> array:
    ints = array("I")
    ints.frombytes(value)
    return ints[0::3]


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
    """Evaluate a query on one searcher: {docnum: score} for every match."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        self.schema = searcher.schema
        self.step: int | None = None  # sampling step of large phrases (None: every match is checked)
        self.unchecked: dict[int, list] = {}
        self._negated = 0

    def term(self, fieldname: str, text: str, positions: dict | None = None) -> dict[int, float]:
        field = self.schema[fieldname]
        out: dict[int, float] = {}
        scorable = field.scorable
        if scorable:
            idf = self.searcher.idf(fieldname, text)
            avg = self.searcher.avg_field_length(fieldname) or 1
            k1_1, k1_b, k1_1b = idf * (K1 + 1), K1 * B / avg, K1 * (1 - B)
        for subreader, offset in self.leaves:
            lengths = _segment_lengths(subreader, fieldname) if scorable else None
            for ids, weights, vals in _postings(subreader, fieldname, text, positions is not None):
                if scorable:
                    out.update(
                        (offset + d, k1_1 * w / (w + k1_1b + k1_b * lengths[d]))
                        for d, w in zip(ids, weights, strict=True)
                    )
                else:
                    out.update((offset + d, w) for d, w in zip(ids, weights, strict=True))
                if positions is not None:
                    positions.update((offset + d, v) for d, v in zip(ids, vals, strict=True))
        return out

    def every(self) -> dict[int, float]:
        out = {}
        for subreader, offset in self.leaves:
            deleted = subreader.deleted_docs_set if subreader.has_deletions() else ()
            out.update((offset + d, 1.0) for d in range(subreader.doc_count_all()) if d not in deleted)
        return out

    def phrase(self, fieldname: str, words: list[str]) -> dict[int, float]:
        """Documents with the words at consecutive positions, scored as the sum of the words' scores.

        Checking a candidate means unpickling its positions (~3 µs a word). When a phrase outside any
        exclusion has more than PHRASE_EXACT candidates, only the sample (docnum % step == 0) is checked
        now; the others stay as unchecked candidates in `self.unchecked`, checked later only if they reach
        the page (`check`), and the total and facets are estimated from the sample (see `Matches`).
        """
        fmt = self.schema[fieldname].format
        if isinstance(fmt, Positions):
            decode = _positions  # Whoosh's pickled positions, unpickled without its extra copies
        elif isinstance(fmt, CompactCharacters):
            decode = _compact_positions
        elif fmt.supports("positions"):
            decode = fmt.decode_positions
        else:
            raise Unsupported(fieldname)
        tables, values = [], []
        for word in words:
            raw: dict = {}
            tables.append(self.term(fieldname, word, positions=raw))
            values.append(raw)
        candidates = set(tables[0]).intersection(*tables[1:])
        step = 1
        if not self._negated and len(candidates) > PHRASE_EXACT:
            step = self.step = self.step or -(-len(candidates) // PHRASE_SAMPLE)
        out = {}
        for docnum in candidates:
            if step > 1 and docnum % step:
                self.unchecked.setdefault(docnum, []).append((values, decode))
            elif not _consecutive(values, docnum, decode):
                continue
            out[docnum] = sum(table[docnum] for table in tables)
        return out

    def check(self, docnum: int) -> bool:
        """Whether a document left unchecked really contains its phrases."""
        return all(_consecutive(values, docnum, decode) for values, decode in self.unchecked.get(docnum, ()))

    def run(self, q: wq.Query) -> dict[int, float]:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text) if q.fieldname in self.schema else {}
        if isinstance(q, wq.Phrase):
            return self.phrase(q.fieldname, list(q.words))
        if isinstance(q, wq.Every):
            return self.every()
        if isinstance(q, wq.AndNot):
            positive = self.run(q.a)
            self._negated += 1
            try:
                excluded = self.docs(q.b)
            finally:
                self._negated -= 1
            for docnum in excluded:
                positive.pop(docnum, None)
            return positive
        if isinstance(q, wq.And):
            parts = sorted((self.run(sub) for sub in q.subqueries), key=len)
            if not parts:
                return {}
            out = {}
            for docnum, score in parts[0].items():
                for part in parts[1:]:
                    other = part.get(docnum)
                    if other is None:
                        break
                    score += other
                else:
                    out[docnum] = score
            return out
        if isinstance(q, wq.Or):
            out: dict[int, float] = {}
            for sub in q.subqueries:
                for docnum, score in self.run(sub).items():
                    out[docnum] = out.get(docnum, 0.0) + score
            return out
        raise Unsupported(type(q).__name__)

    def docs(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.NumericRange):
            return set(self.searcher.docs_for_query(q))
        if isinstance(q, wq.And):
            parts = sorted((self.docs(sub) for sub in q.subqueries), key=len)
            return set(parts[0]).intersection(*parts[1:]) if parts else set()
        if isinstance(q, wq.Or):
            return set().union(*(self.docs(sub) for sub in q.subqueries))
        return set(self.run(q))


class Matches:
    """Every match of a query with its score; exact unless a large phrase was sampled.

    `top(n)` is always exact (unchecked candidates are checked in score order until n pass). When
    `estimated`, `sample` holds the matches with docnum % step == 0 (all checked) and `total` is
    len(sample) * step; facet counts are estimated the same way (`scale` = step).
    """

    def __init__(self, scorer: Scorer, scores: dict[int, float]):
        self.scorer, self.scores = scorer, scores
        step = scorer.step
        self.estimated = bool(step and scorer.unchecked)
        if self.estimated and len([d for d in scores if d % step == 0]) * step < ESTIMATE_ABOVE:
            # A small result is worth its exact count (a sample's error would show): check the rest.
            scores = self.scores = {
                d: s for d, s in scores.items() if d not in scorer.unchecked or scorer.check(d)
            }
            self.estimated = False
        if self.estimated:
            self.sample = {d for d in scores if d % step == 0}
            self.scale = step
            self.total = max(len(self.sample) * step, len(self.sample))
        self.facets_estimated = self.estimated
        if not self.estimated:
            self.sample, self.scale, self.total = scores.keys(), 1, len(scores)
            step = -(-len(scores) // FACET_SAMPLE)
            sample = {d for d in scores if d % step == 0} if len(scores) > ESTIMATE_ABOVE else None
            if sample:  # the total is exact; the facets are counted on every step-th match, scaled up
                self.sample, self.scale, self.facets_estimated = sample, len(scores) / len(sample), True
            else:
                self.sample = set(scores)

    def top(self, n: int) -> list[tuple[int, float]]:
        if not self.estimated:
            return heapq.nlargest(n, self.scores.items(), key=_rank)
        unchecked, checked = self.scorer.unchecked, {}

        def passes(docnum):
            if docnum not in unchecked:
                return True
            if docnum not in checked:
                checked[docnum] = self.scorer.check(docnum)
            return checked[docnum]

        want = 2 * n
        while True:
            ordered = heapq.nlargest(want, self.scores.items(), key=_rank)
            out = [item for item in ordered if passes(item[0])]
            if len(out) >= n or len(ordered) < want:
                return out[:n]
            want *= 4


def _rank(item):
    return item[1], -item[0]


def score_all(searcher, query: wq.Query, filters: wq.Query | None) -> Matches | None:
    """Every match of `query` within `filters`, with its BM25F score; None when unsupported."""
    scorer = Scorer(searcher)
    try:
        scores = scorer.run(query)
        if filters is not None and scores:
            allowed = scorer.docs(filters)
            scores = {d: s for d, s in scores.items() if d in allowed}
    except Unsupported:
        return None
    return Matches(scorer, scores)

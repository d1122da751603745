"""Relevance search without Whoosh's per-document matcher machinery: every match scored, block by block.

Whoosh scores a match by walking a tree of matcher objects, about 10 µs per matching document; a word
found in most articles then costs ~100 ms at 10 000 articles. Here the same BM25F scores (Whoosh's
formula, B = 0.75, K1 = 1.2, title boost included in the stored weights) are computed per posting
*block*: ids and weights are read 128 at a time and combined in dicts and sets, so the exact match set
(for the total and the facets) and the top N come out of one pass that costs ~1 µs per posting.

Frequent terms' scored postings (and, once a phrase needed them, their positions) stay in a per-searcher
`TermCache`, so a word readers often search costs one dict lookup the second time; a phrase reads the
positions of its candidates only when they are few next to a word's postings. Blocks written by
codec.py decode ids and weights with `array.frombytes` instead of unpickling a tuple per block.

Supported queries are the ones query.py builds: Term, And, Or, AndNot, Phrase, Every, and filters made of
those plus NumericRange (enumerated by Whoosh). Anything else returns None and the caller falls back to
Whoosh's collectors. Posting lists are read by postings.py.
"""

import heapq
from array import array
from collections import defaultdict
from itertools import accumulate, chain, repeat
from operator import add, and_, floordiv, mul, truediv
from pickle import loads

from whoosh import query as wq
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from articles.search import postings
from articles.search.postings import K1, TermCache
from articles.search.schema import CompactCharacters

PHRASE_EXACT = 2000  # phrases with more candidates than this are sampled for the total and facets...
PHRASE_SAMPLE = 1000  # ...checking about this many candidates first...
SAMPLE_MATCHES = 100  # ...then twice as many, and so on, until the sample holds this many matches (or all)
ESTIMATE_ABOVE = 1000  # a larger exact match set has its facets counted on a sample
FACET_SAMPLE = 1000  # a larger match set has its facets counted on a sample of about this many matches


class Unsupported(Exception):
    pass


def _consecutive(values: list[dict], docnum: int, decode=None) -> bool:
    """Whether the phrase's words (their posting values by docnum) occur at consecutive positions."""
    decode = decode or _positions
    starts = set(decode(values[0][docnum]))
    if len(values) == 2:
        return not starts.isdisjoint(map((-1).__add__, decode(values[1][docnum])))
    for offset, raw in enumerate(values[1:], 1):
        starts &= {p - offset for p in decode(raw[docnum])}
        if not starts:
            return False
    return True


def _compact_phrase_docs(values: list[dict], docnums: list[int]) -> set[int]:
    """Those of the documents where the words (CompactCharacters values by docnum) are consecutive.

    All documents at once, in C: each word's positions become keys (document's rank << shift) + position
    - the word's offset in the phrase, built with `array` and map(); the documents of the keys every
    word shares hold the phrase. The shift is as small as the largest position allows, so that keys
    stay small ints. About 0.1 µs an occurrence, against 1–3 µs a document and word when each
    document's positions are decoded and compared in turn.
    """
    words = []
    for table in values:
        raw = list(map(table.__getitem__, docnums))
        ints = array("I")
        ints.frombytes(b"".join(raw))
        words.append((ints[0::3], list(map(floordiv, map(len, raw), repeat(12)))))
    # Room for every position plus the offsets subtracted, so that no key can reach another document's.
    highest = max(max(positions, default=0) for positions, _ in words)
    shift = max(highest.bit_length(), len(values).bit_length()) + 2
    common: set[int] | None = None
    for offset, (positions, counts) in enumerate(words):
        starts = [(rank << shift) - offset for rank in range(len(docnums))]
        keys = map(add, chain.from_iterable(map(repeat, starts, counts)), positions)
        common = set(keys) if common is None else common.intersection(keys)
        if not common:
            return set()
    return {docnums[key >> shift] for key in common}


def _phrase_docs(values: list[dict], docnums, decode) -> set[int]:
    """Those of the documents where the phrase's words (posting values by docnum) are consecutive."""
    docnums = list(docnums)
    if decode is _compact_positions and docnums:
        return _compact_phrase_docs(values, docnums)
    return {docnum for docnum in docnums if _consecutive(values, docnum, decode)}


SAMPLING_HASH, HASH_MASK = 0x9E3779B1, 0xFFFFFFFF


def sampled(docnums, step: int) -> set[int]:
    """A phrase's sample at this step (a power of two): the documents whose Fibonacci hash is below
    2**32 / step, about 1 in step. Unlike docnum % step, no regular pattern of document numbers
    (publications indexed in turn, say) lines up with it, and halving the step keeps every document
    sampled before."""
    limit = (1 << 32) // step
    return {docnum for docnum in docnums if (docnum * SAMPLING_HASH) & HASH_MASK < limit}


def _hash_levels(docnums: list[int]) -> dict[int, list[int]]:
    """The documents by the bit length of their sampling hash: the sample at step 2**k is made of the
    levels up to 32 - k, so halving the step adds one level (hashes computed once, in C)."""
    hashes = map(and_, map(mul, docnums, repeat(SAMPLING_HASH)), repeat(HASH_MASK))
    levels = defaultdict(list)
    for docnum, bits in zip(docnums, map(int.bit_length, hashes), strict=True):
        levels[bits].append(docnum)
    return levels


def _summed(tables: list[dict], docnums) -> dict[int, float]:
    """{docnum: sum of its scores in every table}, the additions done by map() in C."""
    docnums = list(docnums)
    totals = list(map(tables[0].__getitem__, docnums))
    for table in tables[1:]:
        totals = list(map(add, totals, map(table.__getitem__, docnums)))
    return dict(zip(docnums, totals, strict=True))


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

    def __init__(self, searcher, cache: TermCache | None = None):
        self.searcher = searcher
        self.cache = cache
        self.leaves = [(s.reader(), offset) for s, offset in searcher.leaf_searchers()]
        self.schema = searcher.schema
        self.step: int | None = None  # sampling step of large phrases (None: every match is checked)
        self.unchecked: list[tuple] = []  # (values, decode, docnums) of each sampled phrase
        self.unchecked_docs: set[int] = set()
        self.read: dict[tuple[str, str], tuple] = {}  # every term this query read: sentences reuse them
        self._negated = 0

    def term(self, fieldname: str, text: str) -> dict[int, float]:
        """{docnum: BM25F score} of a term's documents (shared with the cache: never modify it)."""
        return self.term_values(fieldname, text, values=False)[0]

    def term_values(self, fieldname: str, text: str, values: bool = True):
        """(scores, posting values by docnum or None) of a term; values are read only when asked for."""
        key = (fieldname, text)
        entry = self.read.get(key) or (self.cache.get(key) if self.cache is not None else None)
        if entry is None or (values and entry[1] is None):
            entry = self._read_term(fieldname, text, values)
            if self.cache is not None:
                self.cache.put(key, entry, len(entry[0]))
        self.read[key] = entry
        return entry

    def _read_term(self, fieldname: str, text: str, values: bool):
        field = self.schema[fieldname]
        out: dict[int, float] = {}
        positions = {} if values else None
        scorable = field.scorable
        if scorable:
            idf = self.searcher.idf(fieldname, text)
            avg = self.searcher.avg_field_length(fieldname) or 1
            factor = repeat(idf * (K1 + 1))
        for subreader, offset in self.leaves:
            norms = postings.segment_norms(subreader, fieldname, avg) if scorable else None
            for ids, weights, vals in postings.blocks(subreader, fieldname, text, positions is not None):
                if scorable:
                    # idf * (K1 + 1) * w / (w + norm): map() keeps the per-posting arithmetic in C
                    dens = map(add, weights, map(norms.__getitem__, ids))
                    scores = map(truediv, map(mul, factor, weights), dens)
                else:
                    scores = weights
                if offset:
                    ids = [offset + d for d in ids]
                out.update(zip(ids, scores, strict=True))
                if positions is not None:
                    positions.update(zip(ids, vals, strict=True))
        return out, positions

    def candidate_values(self, fieldname: str, text: str, candidates: set[int]) -> dict[int, bytes]:
        """Posting values of a term in these documents (or in all, when they were read with the scores)."""
        known = self.read.get((fieldname, text))
        if known is not None and known[1] is not None:
            return known[1]
        if not candidates:
            return {}
        out = {}
        for subreader, offset in self.leaves:
            out.update(postings.candidate_values(subreader, offset, fieldname, text, candidates))
        return out

    def every(self) -> dict[int, float]:
        out = {}
        for subreader, offset in self.leaves:
            deleted = subreader.deleted_docs_set if subreader.has_deletions() else ()
            out.update((offset + d, 1.0) for d in range(subreader.doc_count_all()) if d not in deleted)
        return out

    def phrase(self, fieldname: str, words: list[str]) -> dict[int, float]:
        """Documents with the words at consecutive positions, scored as the sum of the words' scores.

        Checking a candidate means decoding its positions (~1–3 µs a word). When a phrase outside any
        exclusion has more than PHRASE_EXACT candidates, only a sample (`sampled`, about 1 in step) is checked
        now; the others stay as unchecked candidates (`self.unchecked`), checked later (`passing`) only
        if the sample grows over them or they reach the page; see `Matches`.
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
        # A word's positions are read with its scores (in one pass, then cached with them) unless it is
        # much more frequent than the rarest word: then only its candidates' positions are read, since
        # most of its postings cannot match.
        frequencies = [self.searcher.doc_frequency(fieldname, word) for word in words]
        full = [frequency < 4 * min(frequencies) for frequency in frequencies]
        tables = [self.term_values(fieldname, w, values=f)[0] for w, f in zip(words, full, strict=True)]
        candidates = set(tables[0]).intersection(*tables[1:])
        values = [self.candidate_values(fieldname, word, candidates) for word in words]
        step = 1
        if not self._negated and len(candidates) > PHRASE_EXACT:
            # A power of two, so that halving it keeps every document sampled so far (see Matches).
            step = self.step = self.step or 1 << (-(-len(candidates) // PHRASE_SAMPLE) - 1).bit_length()
        checked = candidates if step == 1 else sampled(candidates, step)
        out = _summed(tables, _phrase_docs(values, checked, decode))
        if step > 1:
            rest = candidates - checked
            self.unchecked.append((values, decode, rest))
            self.unchecked_docs |= rest
            out.update(_summed(tables, rest))
        return out

    def passing(self, docnums) -> set[int]:
        """Those of the documents left unchecked that really contain their phrases (checked in bulk);
        they are unchecked no more."""
        docnums = set(docnums)
        remaining = set(docnums)
        for values, decode, docs in self.unchecked:
            concerned = [docnum for docnum in remaining if docnum in docs]
            if concerned:
                remaining -= set(concerned) - _phrase_docs(values, concerned, decode)
                docs.difference_update(concerned)
        self.unchecked_docs -= docnums
        return remaining

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
            return {d: score for d, score in positive.items() if d not in excluded}
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
            parts = sorted(self._alternatives(q.subqueries), key=len, reverse=True)
            if not parts:
                return {}
            out = dict(parts[0])  # a copy (parts may be cached), then the smaller parts added to it
            for part in parts[1:]:
                for docnum, score in part.items():
                    out[docnum] = out.get(docnum, 0.0) + score
            return out
        raise Unsupported(type(q).__name__)

    def _alternatives(self, subqueries) -> list[dict[int, float]]:
        """Each alternative's matches. A document one alternative matches for sure needs no phrase check
        left unchecked by another (a phrase found in the title but sampled in the body, say)."""
        marks, parts = [len(self.unchecked)], []
        for sub in subqueries:
            parts.append(self.run(sub))
            marks.append(len(self.unchecked))
        if marks[-1] > marks[0]:  # some alternative left phrase checks for later
            sure = set()
            for part, begin, end in zip(parts, marks, marks[1:], strict=False):
                doubtful = set().union(*(docs for _, _, docs in self.unchecked[begin:end]))
                sure.update(docnum for docnum in part if docnum not in doubtful)
            for _, _, docs in self.unchecked[marks[0] :]:
                docs -= sure
            self.unchecked_docs = set().union(*(docs for _, _, docs in self.unchecked))
        return parts

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

    `top(n)` is always exact (unchecked candidates are checked in score order until n pass). A sampled
    phrase was checked on a sample of its candidates (`sampled`, 1 in step); while it holds fewer than
    SAMPLE_MATCHES matches, the step is halved and the newly sampled candidates checked, down to a
    step of 1 (every candidate checked: exact). So a rare phrase of frequent words gets its exact
    count and an estimate always rests on at least SAMPLE_MATCHES checked matches (about ±10 %), at
    a fraction of the cost of checking every candidate. When `estimated`, `sample` holds the sample's
    matches and `total` is len(sample) * step; facet counts are estimated the same way (`scale`).
    """

    def __init__(self, scorer: Scorer, scores: dict[int, float]):
        self.scorer, self.scores = scorer, scores
        sample = self._refine() if scorer.step and scorer.unchecked_docs else set()
        scores, step = self.scores, self.scorer.step
        self.estimated = bool(step and scorer.unchecked_docs)  # only ever after _refine
        if self.estimated:
            self.sample = sample
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

    def _refine(self) -> set[int]:
        """Grow the sample as the class says; return its matches (the hash levels up to the final one)."""
        scorer, level = self.scorer, 33 - self.scorer.step.bit_length()  # the sample: hash levels <= level
        levels = _hash_levels(list(self.scores))
        in_sample = sum(len(levels.get(bits, ())) for bits in range(level + 1))
        while level < 32 and in_sample < SAMPLE_MATCHES:
            level += 1  # the step halves: one more level of candidates is checked, all at once
            newly = levels.get(level, [])
            unchecked = [docnum for docnum in newly if docnum in scorer.unchecked_docs]
            failed = set(unchecked) - scorer.passing(unchecked)
            in_sample += len(newly) - len(failed)
            if failed:
                self.scores = {d: score for d, score in self.scores.items() if d not in failed}
        scorer.step = 1 << (32 - level)
        return {d for bits in range(level + 1) for d in levels.get(bits, ()) if d in self.scores}

    def top(self, n: int) -> list[tuple[int, float]]:
        if not self.estimated:
            return _top(self.scores, n)
        unchecked, failed = self.scorer.unchecked_docs, set()
        want = 2 * n
        while True:
            ordered = _top(self.scores, want)
            pending = [docnum for docnum, _ in ordered if docnum in unchecked]
            if pending:
                failed |= set(pending) - self.scorer.passing(pending)
            out = [item for item in ordered if item[0] not in failed]
            if len(out) >= n or len(ordered) < want:
                return out[:n]
            want *= 4


def _rank(item):
    return item[1], -item[0]


def _top(scores: dict[int, float], n: int) -> list[tuple[int, float]]:
    """The n best (docnum, score), best first, ties by docnum: the n-th best score is found among bare
    floats (C comparisons), then only the few items at or above it are ranked with a key function."""
    if len(scores) > n:
        floor = heapq.nlargest(n, scores.values())[-1]
        items = [item for item in scores.items() if item[1] >= floor]
    else:
        items = list(scores.items())
    return sorted(items, key=_rank, reverse=True)[:n]


def score_all(
    searcher, query: wq.Query, filters: wq.Query | None, cache: TermCache | None = None
) -> Matches | None:
    """Every match of `query` within `filters`, with its BM25F score; None when unsupported."""
    scorer = Scorer(searcher, cache)
    try:
        scores = scorer.run(query)
        if filters is not None and scores:
            allowed = scorer.docs(filters)
            scores = {d: s for d, s in scores.items() if d in allowed}
    except Unsupported:
        return None
    return Matches(scorer, scores)

"""Searching one index folder: parsed query → Whoosh queries → hits with sentences, facets, suggestion.

`search_index(path, request, lookup=...)` needs no Django (the benchmark calls it directly; see index.py).

One pass over the matches. Relevance searches go through `fastscore.score_all`, which reads each
term's postings whole into arrays, scores them with Whoosh's BM25F formula and combines them over every
document number at once (a boolean mask of the matches and an array of scores): the top
`page * per_page` come from a partial sort, and the total and the facet counts, all exact, from the
same mask. Newest-first pages (sorted by date, or filters without words) take the same mask and order it
by the `published` column, read as one array. A query fastscore does not know falls back to Whoosh's
collectors, also in one pass (`collect`).

Sentences are never re-analysed: for the page's hits only, the character spans of the query's positive
terms are read from the body postings (`chars=True`; from the values scoring already read when it
did), phrases keep only the runs of consecutive positions, the spans are mapped to the stored sentence
offsets by bisection, and the (up to 3) sentences with the most distinct query terms win (then the most
matches, then document order). Highlights wrap those spans, as written, in <mark> inside the escaped
sentence text.
"""

import html
import re
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from whoosh import collectors
from whoosh import query as wq

from articles.search import postings
from articles.search.analysis import fold, french_analyzer
from articles.search.fastscore import score_all
from articles.search.index import reader_for
from articles.search.parsing import MSG_EMPTY, Node, parse, query_words
from articles.search.schema import FACET_FIELDS

ARTICLE_FIELDS = ("title", "body")
SENTENCE_FIELD = "body"
MAX_PREFIX_TERMS = 50
SENTENCES_PER_HIT = 3
MSG_PREFIX_CAPPED = "Troncature très générale : seuls les 50 premiers mots qui commencent ainsi comptent."

_analyzer = french_analyzer()


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    companies: tuple[str, ...] = ()  # canonical names
    chips: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()  # slugs
    event_types: tuple[str, ...] = ()  # PurchaseEvent.type values
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "date": newest first, unknown dates last
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class SentenceHit:
    index: int
    text: str
    html: str  # escaped text, query words wrapped in <mark> as written


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    sentences: tuple[SentenceHit, ...]


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: tuple[Hit, ...]
    page: int
    per_page: int
    facets: dict[str, tuple[tuple[str, int], ...]]
    suggestion: str | None
    message: str | None


@dataclass(frozen=True)
class Lookup:
    """Company and chip names as plain data: alias → canonical name, for query expansion and suggestions."""

    companies: dict[str, str] = field(default_factory=dict)  # folded name or alias → canonical
    chips: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_names(cls, *, companies: Iterable = (), chips: Iterable = ()) -> "Lookup":
        """From (name, aliases) pairs, or plain names."""

        def table(entries):
            out = {}
            for entry in entries:
                name, aliases = (entry, ()) if isinstance(entry, str) else entry
                for spelling in (*aliases, name):
                    out[fold(spelling)] = name
            return out

        return cls(companies=table(companies), chips=table(chips))


def analyze(text: str) -> list[str]:
    return [token.text for token in _analyzer(text, mode="query")]


class _Compiler:
    """Turn parsed nodes into a Whoosh query on the article fields (AND, NOT), and note the positive terms
    and phrases of the body (`marks`) that the sentences are chosen and highlighted by."""

    def __init__(self, reader, lookup: Lookup, messages: list[str]):
        self.reader, self.lookup, self.messages = reader, lookup, messages
        self.marks: list[tuple[str, ...]] = []  # body terms, or ("", *terms) for a phrase
        self._negated = 0

    def strict(self, node: Node) -> wq.Query | None:
        query = self._node(node, ARTICLE_FIELDS)
        if isinstance(query, tuple):  # a lone exclusion: every article but those
            return wq.AndNot(wq.Every(), query[1]) if query[1] is not None else None
        return query

    def _mark(self, *terms: str) -> None:
        if not self._negated and terms and terms not in self.marks:
            self.marks.append(terms)

    def _node(self, node: Node, fields):
        kind, value = node
        if kind == "word":
            return self._word(value, fields)
        if kind == "phrase":
            words = analyze(value)
            if len(words) < 2:
                return self._terms(words, fields)
            self._mark("", *words)
            return wq.Or([wq.Phrase(f, words) for f in fields])
        if kind == "prefix":
            return self._prefix(value, fields)
        if kind == "not":
            self._negated += 1
            try:
                return ("not", self._node(value, fields))
            finally:
                self._negated -= 1
        children = [self._node(child, fields) for child in value]
        if kind == "or":
            parts = [c for c in children if c is not None and not isinstance(c, tuple)]
            return wq.Or(parts) if parts else None
        positives = [c for c in children if c is not None and not isinstance(c, tuple)]
        negatives = [c[1] for c in children if isinstance(c, tuple) and c[1] is not None]
        if not positives and not negatives:
            return None
        base = wq.And(positives) if positives else wq.Every()
        return wq.AndNot(base, wq.Or(negatives)) if negatives else base

    def _terms(self, words: list[str], fields):
        if not words:
            return None
        for word in words:
            self._mark(word)
        parts = [wq.Or([wq.Term(f, w) for f in fields]) for w in words]
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _word(self, text: str, fields):
        query = self._terms(analyze(text), fields)
        key = fold(text)
        extra = []
        if key in self.lookup.companies:
            extra.append(wq.Term("companies", self.lookup.companies[key]))
        if key in self.lookup.chips:
            extra.append(wq.Term("chips", self.lookup.chips[key]))
        if not extra:
            return query
        return wq.Or([q for q in (query, *extra) if q is not None])

    def _prefix(self, text: str, fields):
        words = analyze(text) or [fold(text)]
        stem = words[-1]
        terms = []
        for f in fields:
            for term in self.reader.expand_prefix(f, stem):
                if len(terms) >= MAX_PREFIX_TERMS:
                    if MSG_PREFIX_CAPPED not in self.messages:
                        self.messages.append(MSG_PREFIX_CAPPED)
                    break
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                terms.append(wq.Term(f, term))
                if f == SENTENCE_FIELD:
                    self._mark(term)
        # Nothing starts so: a term that matches nothing keeps an AND from widening.
        prefix = wq.Or(terms) if terms else wq.Term(fields[0], stem + "*")
        if len(words) > 1:
            return wq.And([self._terms(words[:-1], fields), prefix])
        return prefix


def filters_query(request: SearchRequest) -> wq.Query | None:
    """The request's filters as one query, or None when it has none."""
    parts = []
    for fieldname, values in (
        ("companies", request.companies),
        ("chips", request.chips),
        ("publication", request.publications),
        ("events", request.event_types),
    ):
        if values:
            parts.append(wq.Or([wq.Term(fieldname, v) for v in values]) if len(values) > 1 else
                         wq.Term(fieldname, values[0]))  # fmt: skip
    if request.date_from or request.date_to:
        low = request.date_from.toordinal() if request.date_from else 1
        high = request.date_to.toordinal() if request.date_to else None
        parts.append(wq.NumericRange("published", low, high))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def facet_postings(reader) -> dict[str, dict[str, np.ndarray]]:
    """Per searcher: for each facet field, value → the document numbers that have it (a few dozen values)."""
    if reader.facets is None:
        ixreader = reader.searcher.reader()
        postings = {}
        for name, fieldname in FACET_FIELDS.items():
            values = {}
            for term in ixreader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                if value:
                    values[value] = np.fromiter(ixreader.postings(fieldname, term).all_ids(), dtype=np.int64)
            postings[name] = values
        reader.facets = postings
    return reader.facets


def count_facets(reader, matched):
    """Facet counts among `matched` (a boolean mask over the document numbers, or a set of them; None:
    among every article)."""
    if isinstance(matched, set | frozenset):
        mask = np.zeros(reader.searcher.doc_count_all(), dtype=bool)
        mask[np.fromiter(matched, dtype=np.int64, count=len(matched))] = True
        matched = mask
    facets = {}
    for name, values in facet_postings(reader).items():
        if matched is None:
            counts = ((value, len(docs)) for value, docs in values.items())
        else:
            counts = ((value, int(np.count_nonzero(matched[docs]))) for value, docs in values.items())
        facets[name] = tuple(sorted(((v, n) for v, n in counts if n), key=lambda vn: (-vn[1], vn[0])))
    return facets


def search_index(path, request: SearchRequest, *, lookup: Lookup | None = None) -> SearchResults:
    """Search the index at `path` (a folder or the live symlink); SearchUnavailable when unreadable."""
    lookup = lookup or Lookup()
    reader = reader_for(path)
    searcher = reader.searcher
    parsed = parse(request.q)
    messages = parsed.messages
    compiler = _Compiler(searcher.reader(), lookup, messages)
    strict = compiler.strict(parsed.node) if parsed.node is not None else None
    if strict is None and parsed.text.strip():
        messages.append(MSG_EMPTY)
    page, per_page = max(1, request.page), max(1, min(request.per_page, 100))
    by_date = strict is None or request.sort == "date"
    filters = filters_query(request)
    # An empty query lists the (filtered) articles, newest first; one with nothing searchable finds nothing.
    nothing = strict is None and (parsed.text.strip() or messages)
    end = page * per_page
    hits = []
    known: dict = {}  # the terms scoring read: (field, term) -> postings.TermPostings
    if nothing:
        matched, total = set(), 0
    else:
        matches = score_all(searcher, strict or wq.Every(), filters, reader.terms)
        if matches is not None:
            known = matches.postings
            total = matches.total
            # every article: the facets are the whole index's, counted without the mask
            matched = None if strict is None and filters is None else matches.mask
            if by_date:
                newest = matches.first_by(matches.scorer.sort_keys("published"), end)
                ranked = [(d, score if strict is not None else 0.0) for d, score in newest]
            else:
                ranked = matches.top(end)
            hits.extend(ranked[end - per_page :])
        else:
            results, matched = collect(searcher, strict or wq.Every(), filters, end, by_date)
            total = len(matched)
            for rank in range(end - per_page, min(end, results.scored_length())):
                hits.append((results.docnum(rank), float(results.score(rank) or 0.0)))
    stored = {docnum: searcher.stored_fields(docnum) for docnum, _ in hits}
    sentences = sentence_hits(searcher, compiler.marks, stored, known) if compiler.marks else {}
    return SearchResults(
        total=total,
        hits=tuple(
            Hit(article_id=int(stored[docnum]["article"]), score=score, sentences=sentences.get(docnum, ()))
            for docnum, score in hits
        ),
        page=page,
        per_page=per_page,
        facets=count_facets(reader, matched),
        suggestion=suggest(searcher, parsed.text, lookup),
        message=" ".join(messages) or None,
    )


class _Recorder(collectors.WrappingCollector):
    """Records every document its child collects (the exact match set, for the total and the facets)."""

    def __init__(self, child):
        super().__init__(child)
        self.matched: set[int] = set()

    def collect(self, sub_docnum):
        self.matched.add(self.child.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def collect(searcher, query: wq.Query, filters: wq.Query | None, limit: int, by_date: bool):
    """(results of the top `limit`, the set of every matching docnum), in one pass over the matches.

    The query (phrases included) is evaluated once: the collector keeps the top `limit` (by score, or
    newest first) and records every match. Block-quality skipping and matcher replacement are off, since
    they would skip matches that the total and the facets must count.
    """
    if by_date:
        top = collectors.SortingCollector("published", limit=limit, reverse=True)
    else:
        top = collectors.TopCollector(limit, usequality=False, replace=0)
    recorder = _Recorder(top)
    collector = collectors.FilterCollector(recorder, allow=filters) if filters is not None else recorder
    searcher.search_with_collector(query, collector)
    return collector.results(), recorder.matched


def term_spans(searcher, docnums: list[int], term: str) -> dict[int, list[tuple[int, int, int]]]:
    """For each of the documents, the (position, startchar, endchar) of `term` in the body."""
    decode = searcher.schema[SENTENCE_FIELD].format.decode_characters
    wanted, out = set(docnums), {}
    for leaf, offset in searcher.leaf_searchers():
        values = postings.candidate_values(leaf.reader(), offset, SENTENCE_FIELD, term, wanted)
        out.update((docnum, decode(value)) for docnum, value in values.items())
    return out


def phrase_spans(per_term: list[list[tuple[int, int, int]]]) -> list[tuple[int, int]]:
    """The character spans of the words of each run of consecutive positions (a phrase occurrence)."""
    by_position = [{pos: (start, end) for pos, start, end in spans} for spans in per_term]
    out = []
    for pos, start, end in per_term[0]:
        run = [(start, end)]
        for offset, positions in enumerate(by_position[1:], 1):
            span = positions.get(pos + offset)
            if span is None:
                break
            run.append(span)
        else:
            out.extend(run)
    return out


def sentence_hits(searcher, marks: list[tuple[str, ...]], stored: dict[int, dict], known=None) -> dict:
    """The best sentences (up to 3, best first) of each document on the page, highlighted.

    `known`: the postings scoring already read, by (field, term): the spans of those read with their
    values are taken from them instead of walking the postings again.
    """
    docnums = sorted(stored)
    if not docnums:
        return {}
    decode = searcher.schema[SENTENCE_FIELD].format.decode_characters
    cache: dict[str, dict] = {}

    def spans_of(term):
        if term not in cache:
            read = (known or {}).get((SENTENCE_FIELD, term))
            if read is None or not read.has_values:
                cache[term] = term_spans(searcher, docnums, term)
            else:
                cache[term] = {d: decode(value) for d, value in read.values_of(docnums).items()}
        return cache[term]

    # docnum -> [(unit number, [(startchar, endchar)])]
    per_doc: dict[int, list[tuple[int, list[tuple[int, int]]]]] = {d: [] for d in docnums}
    for unit, mark in enumerate(marks):
        if mark[0] == "":  # a phrase
            tables = [spans_of(term) for term in mark[1:]]
            for docnum in docnums:
                lists = [table.get(docnum) for table in tables]
                if all(lists):
                    spans = phrase_spans(lists)
                    if spans:
                        per_doc[docnum].append((unit, spans))
        else:
            for docnum, triples in spans_of(mark[0]).items():
                per_doc[docnum].append((unit, [(start, end) for _, start, end in triples]))
    out = {}
    for docnum in docnums:
        if not per_doc[docnum]:
            continue
        fields = stored[docnum]
        located = fields.get("sentences") or ()
        if not located:
            continue
        body = fields.get("body") or ""
        starts = [start for _, start, _ in located]
        # sentence slot -> (distinct units, spans)
        chosen: dict[int, tuple[set, set]] = {}
        for unit, spans in per_doc[docnum]:
            for start, end in spans:
                slot = bisect_right(starts, start) - 1
                if slot < 0 or end > located[slot][2]:
                    continue
                units, marked = chosen.setdefault(slot, (set(), set()))
                units.add(unit)
                marked.add((start, end))
        best = sorted(chosen, key=lambda slot: (-len(chosen[slot][0]), -len(chosen[slot][1]), slot))
        sentences = []
        for slot in best[:SENTENCES_PER_HIT]:
            index, start, end = located[slot]
            text = body[start:end]
            spans = [(s - start, e - start) for s, e in chosen[slot][1]]
            sentences.append(SentenceHit(index=index, text=text, html=mark_spans(text, spans)))
        out[docnum] = tuple(sentences)
    return out


def mark_spans(text: str, spans) -> str:
    """Escape the text and wrap the given character spans (words as written) in <mark>."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def suggest(searcher, text: str, lookup: Lookup) -> str | None:
    """The query with misspelt company and chip names replaced by their canonical name, else None."""
    names = {**lookup.chips, **lookup.companies}
    if not names or not text:
        return None
    changed = text
    for word in dict.fromkeys(query_words(text)):
        key = fold(word)
        if len(key) < 5 or key in names:
            continue
        stems = analyze(word)
        if stems and any(searcher.doc_frequency(f, stems[0]) for f in ARTICLE_FIELDS):
            continue  # a word the archive uses is not a typo
        best = min(
            ((edit_distance(key, candidate, 2), candidate) for candidate in names if " " not in candidate),
            default=(3, ""),
        )
        if best[0] <= 2:
            changed = replace_word(changed, word, names[best[1]])
    return changed if changed != text else None


def replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, text)


def edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance, giving up (returning cap + 1) as soon as it must exceed `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cap:
            return cap + 1
        previous = current
    return previous[-1]


def timed(fn, *args, **kwargs):
    """(result, milliseconds): a small helper for benchmarks."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000

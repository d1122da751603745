"""French analysis for the search index: what a reader types must meet what the press wrote.

Chain (../shared/research/whoosh.md §2.2): tokenizer (French number groups and "RTX 4090 D" model names
kept whole) → joined numbers → lowercase → French stop words → letter/digit splits (index only) → accent
folding → Snowball French stemming. Folding comes *before* stemming: Snowball treats a final "é" apart
from "e", so stemming first would make "geants" miss "géants".

Whoosh pickles the analyzer into the index: keep these names in this module, and rebuild the index
(`manage.py rebuild_index`) after changing anything here.
"""

import re
import unicodedata

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.french import FrenchStemmer
from whoosh.support.charset import accent_map

SPACES = "[ \u00a0\u202f]"
# "70 000" and "3,5": French typography groups thousands with a (narrow) no-break space.
NUMBER = r"(?<!\d)\d{1,3}(?:" + SPACES + r"\d{3})+(?:,\d+)?(?!\d)|\d+,\d+"
# "RTX 4090 D": a model letter written apart from its number.
MODEL = r"(?<!\w)\d+" + SPACES + r"[A-Z](?![\w'\u2019])"
WORD = r"\w+(?:\.?\w+)*"
FR_TOKEN_PATTERN = re.compile(MODEL + "|" + NUMBER + "|" + WORD)

# Query side: the parser splits on spaces before analysis, so the same joins happen on the raw string.
# Lowercase model letters are accepted too ("rtx 4090 d"), except "a" and "y", which are French words.
QUERY_NUMBER = re.compile(NUMBER)
QUERY_MODEL = re.compile(r"(?<!\w)\d+" + SPACES + r"[A-Zb-xz](?![\w'\u2019*])")
INNER_SPACE = re.compile(SPACES)

_EXTRA_STOPS = {
    "les", "a", "cette", "cet", "ces", "dont", "où", "ou", "y", "ne", "plus", "selon", "depuis", "lors",
    "jusqu", "lorsqu", "puisqu", "quoiqu", "aujourd", "si", "sans", "sous", "entre", "vers", "chez", "très",
    "aussi", "comme", "tout", "tous", "toute", "toutes", "ainsi", "alors", "donc", "car", "ni", "or",
    "après", "avant", "encore", "déjà", "leurs", "quand", "quel", "quelle", "quels", "quelles",
}  # fmt: skip
_BASE_STOPS = (frozenset(stopwords_for_language("fr")) | _EXTRA_STOPS) - {"été"}


def fold(text: str) -> str:
    """Lowercase and strip accents: "Géants" → "geants" (also used for alias look-ups)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Unaccented spellings of stop words are stop words too ("ou" for "où"); "ete" stays searchable.
FR_STOPS = frozenset(_BASE_STOPS | {fold(word) for word in _BASE_STOPS}) - {"ete"}

_snowball = FrenchStemmer()


def folded_snowball_fr(word: str) -> str:
    """Snowball French on an accent-folded word, with "-ée(s)" made "-e(s)" first (commandée → commande)."""
    if len(word) > 5 and word.endswith(("ee", "ees")):
        word = word[:-2] + "e" if word.endswith("ee") else word[:-3] + "es"
    return _snowball.stem(word)


class NumberJoinFilter(Filter):
    """Remove the spaces inside "70 000" and "4090 D" tokens; character offsets are kept for highlights."""

    def __call__(self, tokens):
        for token in tokens:
            if " " in token.text or "\u00a0" in token.text or "\u202f" in token.text:
                token.text = INNER_SPACE.sub("", token.text)
            yield token


_RUNS = re.compile(r"[^\W\d_]+|\d+")


class AlnumSplitFilter(Filter):
    """At index time, also emit the parts of "rtx4090d" (rtx, 4090, 4090d) and "4090d" (4090).

    Short prefixes stay whole, so a800, h20, gb200 and mi308 keep one token each and H20 never meets H200.
    Extra tokens share the position of their word, so phrases still match. Checks `token.mode` instead of
    being wrapped in a MultiFilter, which raises StopIteration on an empty stream in Whoosh 2.7.
    """

    def __call__(self, tokens):
        for token in tokens:
            if token.mode != "index":
                yield token
                continue
            original = token.text
            yield token
            for part in alnum_parts(original):
                token.text = part
                yield token


def alnum_parts(text: str) -> list[str]:
    """The extra index terms of a word mixing letters and digits ([] for a800, h20 and plain words)."""
    runs = _RUNS.findall(text)
    if len(runs) < 2 or "".join(runs) != text or (runs[0].isalpha() and len(runs[0]) < 3):
        return []
    parts = []
    for position, run in enumerate(runs):
        if len(run) > 1 or run.isdigit():
            parts.append(run)
        if run.isdigit() and position + 1 < len(runs):
            parts.append(run + runs[position + 1])
    return [part for part in dict.fromkeys(parts) if part != text]


def french_filter_chain():
    """The reference chain, filter by filter (FrenchTokenizer does the same in one pass: tests compare)."""
    return (
        RegexTokenizer(FR_TOKEN_PATTERN)
        | NumberJoinFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=FR_STOPS, minsize=1)
        | AlnumSplitFilter()
        | CharsetFilter(accent_map)
        | StemFilter(stemfn=folded_snowball_fr, cachesize=50000)
    )


_TERMS_CACHE: dict[tuple[str, bool], tuple[str, ...]] = {}
_TERMS_CACHE_SIZE = 400_000


def word_terms(raw: str, index: bool) -> tuple[str, ...]:
    """The terms of one raw token, as the reference chain makes them: () for a stop word."""
    key = (raw, index)
    terms = _TERMS_CACHE.get(key)
    if terms is None:
        text = INNER_SPACE.sub("", raw).lower()
        if text in FR_STOPS:
            terms = ()
        else:
            forms = [text, *alnum_parts(text)] if index else [text]
            terms = tuple(folded_snowball_fr(form.translate(accent_map)) for form in forms)
        if len(_TERMS_CACHE) >= _TERMS_CACHE_SIZE:
            _TERMS_CACHE.clear()
        _TERMS_CACHE[key] = terms
    return terms


class _Whole:
    """The whole value as one match (tokenize=False)."""

    def __init__(self, value: str):
        self.value = value

    def group(self, _):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)


class FrenchTokenizer(Tokenizer):
    """The whole French chain (see `french_filter_chain`) fused into one tokenizer with a per-word cache.

    Indexing spends most of its time passing each token through six filters; a word's terms depend only on
    the word as written and the mode, so they are computed once per distinct word. Positions skip stop
    words exactly as StopFilter(renumber=True) does, and extra letter/digit parts share their word's
    position and characters, as AlnumSplitFilter does.
    """

    is_morph = True

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        index = mode == "index"
        matches = FR_TOKEN_PATTERN.finditer(value) if tokenize else [_Whole(value)]
        cache = _TERMS_CACHE
        pos = None
        for number, match in enumerate(matches):
            raw = match.group(0)
            terms = cache.get((raw, index))
            if terms is None:
                terms = word_terms(raw, index)
            t.boost = 1.0
            if keeporiginal:
                t.original = raw
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            if not terms:
                if not removestops:
                    t.text = INNER_SPACE.sub("", raw).lower().translate(accent_map)
                    t.stopped = True
                    if positions:
                        t.pos = start_pos + number
                    yield t
                continue
            t.stopped = False
            if positions:
                pos = start_pos + number if pos is None else pos + 1
                t.pos = pos
            for term in terms:
                t.text = term
                yield t


def index_occurrences(value: str) -> dict[str, list[int]]:
    """term → flat [position, startchar, endchar, ...] of a text, exactly as FrenchTokenizer indexes it.

    Indexing's fast path (schema.CompactCharacters): the same terms, positions and characters, without
    a Token object and a generator step per token, which were half of the analysis cost.
    """
    seen: dict[str, list[int]] = {}
    cache = _TERMS_CACHE
    pos = None
    for number, match in enumerate(FR_TOKEN_PATTERN.finditer(value)):
        raw = match.group()
        terms = cache.get((raw, True))
        if terms is None:
            terms = word_terms(raw, True)
        if not terms:
            continue
        pos = number if pos is None else pos + 1
        start, end = match.span()
        for term in terms:
            flat = seen.get(term)
            if flat is None:
                seen[term] = [pos, start, end]
            else:
                flat += (pos, start, end)
    return seen


def french_analyzer():
    """The analyzer of every text field (title, body)."""
    return FrenchTokenizer()


def normalize_query(text: str) -> str:
    """Join "70 000" into 70000 and "rtx 4090 d" into "rtx 4090d", as the analyzer does for the texts."""
    text = QUERY_NUMBER.sub(lambda match: INNER_SPACE.sub("", match.group()), text)
    return QUERY_MODEL.sub(lambda match: INNER_SPACE.sub("", match.group()), text)

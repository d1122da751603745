"""Split a French news article body into sentence-level units with character offsets.

Scraped articles keep one paragraph per line, so the body is cut into lines first and every
non-empty line is classified on its own: the title, a heading (no final punctuation, or a short
question), a bullet, a line of site boilerplate, or running text that is split into sentences.

Offsets are code-point indices into the unchanged body and exclude surrounding whitespace and
bullet markers, so that ``body[s.start:s.end] == s.text`` always holds. Nothing is dropped:
boilerplate lines are classified, so that later stages can skip them. A bullet line holding
several sentences gives one ``bullet`` unit per sentence.

Plain Python on purpose: no Django import here (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

KIND_TITLE = "title"
KIND_HEADING = "heading"
KIND_SENTENCE = "sentence"
KIND_BULLET = "bullet"
KIND_BOILERPLATE = "boilerplate"
KINDS = (KIND_TITLE, KIND_HEADING, KIND_SENTENCE, KIND_BULLET, KIND_BOILERPLATE)

MAX_TITLE_LENGTH = 200
MAX_QUESTION_HEADING_LENGTH = 150
# Real sentences may contain "cookies" or "abonnez-vous"; site furniture is short.
MAX_BOILERPLATE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of an article: a sentence, a heading, a bullet, the title or a boilerplate line."""

    index: int
    start: int
    end: int
    text: str
    kind: str


def _uppercase_class() -> str:
    """Body of a character class holding every uppercase letter up to U+1FFF (re has no \\p{Lu})."""
    ranges: list[list[int]] = []
    for code in range(0x2000):
        if chr(code).isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )


_UPPER = _uppercase_class()
# The line breaks of str.splitlines(), which cuts the body into lines; "\r\n" counts as one.
_EOL_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NEWLINE = rf"(?:\r\n|[{_EOL_CHARS}])"
_HSPACE = rf"[^\S{_EOL_CHARS}]"

_BLANK_LINE_AFTER = re.compile(rf"{_HSPACE}*{_NEWLINE}{_HSPACE}*{_NEWLINE}")
_BULLET = re.compile(r"[•\-*–—▪●◦·]\s+")
_SPACES = re.compile(r"\s*")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")

# A sentence ends at a run of terminators, with the closing guillemet, quote or bracket that
# follows it (French typography puts a (narrow) no-break space before "»"), when whitespace and
# then a capital, a digit or an opening quote or bracket come next. A colon never ends a
# sentence: French keeps a capital after it in titles ("Guerre des IA : La Chine ...").
_BOUNDARY = re.compile(
    r"([.!?…][.!?…]*)"  # one class first, so that re scans for it quickly
    r"(?:\s*[»”]|[)\]\"])*"
    rf"(?=\s+[«“\"(\[\d{_UPPER}])"
)

# Abbreviations whose period never ends a sentence, even before a capital or a digit. "etc."
# and the company forms often end a sentence too; a merged sentence costs less than a false split.
# Case-sensitive; each lowercase entry also accepts a capital first letter (start of sentence).
_ABBREVIATIONS = (
    # civil and academic titles, always followed by a name
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Dr", "Drs", "Pr", "Prof",
    "St", "Ste", "Sr", "Jr", "Mr", "Mrs", "Ms",
    # references and Latin
    "p", "pp", "cf", "vol", "chap", "fig", "art", "éd", "coll", "op", "cit", "ibid", "ex",
    "p.ex", "c.-à-d", "c-à-d", "i.e", "e.g", "vs", "etc", "env", "av", "apr", "J.-C",
    # months, followed by a day or a year
    "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc",
    # company forms, usually followed by the rest of the sentence
    "Corp", "Inc", "Ltd", "Co", "Cie", "S.A", "S.A.S",
)  # fmt: skip


def _abbreviation_pattern() -> re.Pattern[str]:
    variants = set(_ABBREVIATIONS)
    variants.update(word[0].upper() + word[1:] for word in _ABBREVIATIONS)
    alternatives = "|".join(re.escape(word) for word in sorted(variants, key=len, reverse=True))
    # A single capital is an initial ("J. Huang"), unless a number precedes it ("RTX 4090 D.").
    return re.compile(rf"(?<!\w)(?:{alternatives}|(?<!\d\s)[{_UPPER}])\Z")


_ABBREVIATION = _abbreviation_pattern()
_ABBREVIATION_WINDOW = 8

# Site furniture, matched against a whole line, case-insensitively. Classified, never dropped.
_BOILERPLATE_PATTERNS = (
    r"sources?",
    r"sources?\s*:.{1,80}",
    r"(?:comments?|commentaires?|réactions?)(?:\s*\(\s*\d+\s*\))?",
    r"\d+\s+(?:comments?|commentaires?|réactions?)",
    r"(?:laisser|laissez|ajouter|écrire)\s+un\s+commentaire",
    r"(?:voir|lire|en\s+savoir)\s+plus|plus|lire\s+la\s+suite|réagir|répondre",
    r"send\s+this\s+to\s+a\s+friend|share(?:\s+this)?|(?:envoyer|transférer)\s+à\s+un\s+ami",
    r"partager(?:\s+(?:sur|via|cet\s+article|l['’]article)\b.{0,40})?(?:\s*\(\d+\))?",
    r"facebook|twitter|x|linkedin|whatsapp|telegram|e-?mail|imprimer|copier\s+le\s+lien",
    r"suivez(?:-nous)?(?:\s+(?:également|aussi))?\s.{0,60}\bsur\s+(?:google\s+"
    r"(?:actualités|news)|facebook|twitter|x|linkedin|instagram|whatsapp|telegram)\s*[.!]?",
    r".{0,100}\babonnez-vous\b.{0,80}",
    r"(?:article\s+)?réservé\s+aux\s+abonnés\s*\.?|déjà\s+abonné\s*\?.{0,60}|s['’]abonner",
    r"(?:inscrivez-vous|recevez|s['’]inscrire|inscription)\b.{0,80}\bnewsletters?\b.{0,60}",
    r"(?:notre\s+|la\s+)?newsletters?",
    r"(?:à|a)\s+lire\s+(?:aussi|également|encore)\b.{0,160}",
    r"(?:lire|voir)\s+(?:aussi|également)\b.{0,160}",
    r"sur\s+le\s+même\s+sujet.{0,160}|articles?\s+(?:similaires|liés|connexes)",
    r"publicité|contenu\s+sponsorisé|sponsorisé|annonce|advertisement",
    r"lecture\s+zen|résumer\s+l['’]article|écouter\s+(?:cet|l['’])\s*article",
    r"temps\s+de\s+lecture\s*:?.{0,20}|\d+\s*min(?:utes?)?\s+de\s+lecture",
    r".{0,120}\b(?:utilise|utilisons|utilisent)\s+des\s+cookies\b.{0,160}",
    r"(?:accepter|refuser|gérer|paramétrer)(?:\s+(?:et\s+fermer|tout|les\s+cookies|mes\s+"
    r"(?:choix|préférences)|les\s+préférences))?",
    r"(?:©|copyright\b).{0,120}",
    r".{0,120}\btous\s+droits\s+réservés\b.{0,40}",
    r"(?:tags?|mots-clés)\s*:.{0,160}",
    r"(?:crédits?\s+photo|photo|illustration)\s*:.{1,80}",
    r"retour\s+(?:en\s+haut|à\s+l['’]accueil)|haut\s+de\s+page|signaler\s+(?:un\s+abus|une\s+erreur)",
)
_BOILERPLATE = re.compile("|".join(f"(?:{pattern})" for pattern in _BOILERPLATE_PATTERNS), re.IGNORECASE)

# Characters that may follow the final terminator of a line: closing quotes and brackets.
_CLOSERS = " \t\u00a0\u202f\u2009»”\"')]"
_FINAL_PUNCTUATION = ".!?…;:"
# Pairs inside which a terminator does not end the sentence as long as the pair closes later.
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"), ("[", "]"))


def segment(body: str, *, title: str | None = None) -> list[Segment]:
    """Split body into ordered, non-overlapping segments, each with its kind and offsets."""
    segments: list[Segment] = []
    title_key = _fold(title) if title else None
    first = True
    for base, line in _lines(body):
        named = first and title_key is not None and _fold(line) == title_key
        shaped = first and not named and _is_title_shaped(body, base, line)
        for start, end, kind in _line_units(line, named_title=named, shaped_title=shaped):
            segments.append(Segment(len(segments), base + start, base + end, line[start:end], kind))
        first = False
    return segments


def looks_like_title_line(body: str) -> str | None:
    """The first line of body when it reads as a title: non-empty, no final sentence punctuation
    (. ! ? … ; :), not too long (<= 200 chars), and followed by a blank line. Else None.

    Leading blank lines are skipped and the line is returned without surrounding whitespace.
    """
    start, line = next(_lines(body), (0, ""))
    return line if line and _is_title_shaped(body, start, line) else None


def _is_title_shaped(body: str, start: int, line: str) -> bool:
    """Whether the stripped line at body[start:] is short, unpunctuated and followed by a blank line."""
    if len(line) > MAX_TITLE_LENGTH or _has_final_punctuation(line) or _BULLET.match(line):
        return False
    return _BLANK_LINE_AFTER.match(body, start + len(line)) is not None


def _lines(body: str) -> Iterator[tuple[int, str]]:
    """Non-empty lines of body, stripped, each with the offset of its first character."""
    position = 0
    for raw in body.splitlines(keepends=True):
        line = raw.strip()
        if line:
            yield position + len(raw) - len(raw.lstrip()), line
        position += len(raw)


def _line_units(line: str, *, named_title: bool, shaped_title: bool) -> list[tuple[int, int, str]]:
    """Units of one stripped line as (start, end, kind), offsets relative to the line.

    A line equal to the title argument is the title; a title-shaped first line is the title
    unless it is site boilerplate.
    """
    if named_title:
        return [(0, len(line), KIND_TITLE)]
    if not _ALNUM.search(line):
        # Separators such as "* * *" or a lone bullet glyph.
        return [(0, len(line), KIND_BOILERPLATE)]
    bullet = _BULLET.match(line)
    offset = bullet.end() if bullet else 0
    content = line[offset:]
    if _is_boilerplate(content):
        return [(offset, len(line), KIND_BOILERPLATE)]
    if shaped_title:
        return [(0, len(line), KIND_TITLE)]
    if bullet:
        return [(offset + start, offset + end, KIND_BULLET) for start, end in _sentences(content)]
    if content[0] == "(" and content[-1] == ")":
        # An aside on its own line, such as "(Selon le Financial Times)", is an attribution.
        return [(0, len(line), KIND_SENTENCE)]
    if not _has_final_punctuation(content):
        return [(0, len(line), KIND_HEADING)]
    spans = _sentences(content)
    if len(spans) == 1 and _is_question_heading(content):
        return [(0, len(line), KIND_HEADING)]
    return [(start, end, KIND_SENTENCE) for start, end in spans]


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one line of running text."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if _is_false_boundary(text, start, match.start(), match.group(1), end):
            continue
        spans.append((start, end))
        start = _SPACES.match(text, end).end()
    spans.append((start, len(text)))
    return spans


def _is_false_boundary(text: str, start: int, stop: int, terminators: str, end: int) -> bool:
    """Whether a candidate boundary at text[stop:end] sits inside the sentence begun at start."""
    if terminators == "." and _ABBREVIATION.search(text, max(0, stop - _ABBREVIATION_WINDOW), stop):
        return True
    if not _LETTER.search(text, start, stop):
        # A list number ("1. Premier point") is not a sentence of its own.
        return True
    return _inside_quote(text, end)


def _inside_quote(text: str, end: int) -> bool:
    """Whether text[:end] leaves a quote or bracket open that closes later in the line."""
    for opening, closing in _QUOTE_PAIRS:
        if (
            opening in text
            and text.count(opening, 0, end) > text.count(closing, 0, end)
            and text.find(closing, end) != -1
        ):
            return True
    if '"' in text:
        return text.count('"', 0, end) % 2 == 1 and text.find('"', end) != -1
    return False


def _is_question_heading(text: str) -> bool:
    # Inter-titles are often one short question ("… pour l’IA ?", with or without the French
    # space before "?"); a long one is a paragraph that happens to be a question.
    return text.endswith("?") and len(text) <= MAX_QUESTION_HEADING_LENGTH


def _is_boilerplate(text: str) -> bool:
    return len(text) <= MAX_BOILERPLATE_LENGTH and _BOILERPLATE.fullmatch(text) is not None


def _has_final_punctuation(text: str) -> bool:
    last = text.rstrip(_CLOSERS)[-1:]
    return last != "" and last in _FINAL_PUNCTUATION


def _fold(text: str) -> str:
    """Comparison key for titles: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()

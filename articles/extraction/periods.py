"""Find dates and periods in French news text and resolve them against the publication date.

Rule-based on purpose: dateparser's ``search_dates`` reads "sa" (the possessive) as a Saturday and "H20" or
"10%" as days of the month, and misses "au premier trimestre" or "Début 2023" (research, section 2.4).

Each expression is reported with the words that give it its meaning ("en décembre dernier", "dès
septembre", "tout au long de 2023") and a ``value_text``: "2023-08-09" (day), "2023-08" (month), "2025-Q1"
(quarter), "2023-H1" / "2023-H2" (half year, also "début 2023" / "fin 2023"), "2024" (year), or "2020/2021"
for a span of years ("entre 2020 et 2021"). A month, day, quarter or half year named without its year is
the latest one begun by the publication month (the "past" reading news copy calls for: "en octobre" in
August 2023 is 2022-10, "au quatrième trimestre" in February 2024 is 2023-Q4), except that "décembre
dernier" is the latest strictly before it, "mars prochain" the first after it, "d'ici juin" this one or the
next one, and "dès septembre" / "à partir de mars" the one within six months either way. A weekday alone is
the latest such day up to publication ("a annoncé lundi"). Relative expressions keep their own precision:
"l'année prochaine" is a year, "il y a huit mois" a month.

A relative expression is resolved only when every day the publication date may stand for gives the same
answer: the precision ("day", "month", "year") makes the date an interval and, as every reading here moves
forward with the publication date, the interval's first and last days decide. So "le mois dernier" stays
unresolved with a year-precision date, while "décembre dernier" does not need the month (it is always the
previous year's December). Unresolved expressions are still reported, with an empty ``value_text``; so are
vague periods ("dans les prochains mois", qualifier "vague") and weeks. Fiscal periods ("l'exercice 2024")
keep the company's own label: they are not mapped onto the calendar.

Plain Python: no Django import here.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from articles.extraction.types import DATE, FigureFound

PRECISIONS = ("day", "month", "year", "unknown")

Resolver = Callable[[datetime.date], str]


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    value: str | Resolver  # a resolver when the value depends on the publication date
    qualifier: str = "exact"


def _rx(source: str) -> re.Pattern[str]:
    """Compile a pattern written with plain spaces and apostrophes, the way the French is typed."""
    # A space stands for any run of spaces, no-break ones included, but not a line break: a date does not run
    # across paragraphs. Typographic and straight apostrophes are both common in French copy.
    return re.compile(source.replace(" ", r"[^\S\n]+").replace("'", "['’]"), re.IGNORECASE)


def _any(words) -> str:
    # Longest first, so that "d'ici à" is tried before "d'ici".
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# Each month's number is its index + 1 in this tuple of how its names begin.
_MONTH_STARTS = ("jan", "f", "mar", "avr", "mai", "juin", "juil", "ao", "sep", "oct", "nov", "d")
_MONTH_WORDS = (
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout", "septembre",
    "octobre", "novembre", "décembre", "decembre",
)  # fmt: skip
_MONTH_ABBREVIATIONS = ("janv", "févr", "fevr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "dec")
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "dix-huit": 18, "vingt": 20, "trente": 30,
}  # fmt: skip
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# The guards keep "mai" out of "maintenir" and "domaine"; an abbreviation needs its dot.
_MONTH = rf"(?<!\w)(?:{_any(_MONTH_WORDS)}(?!\w)|{_any(_MONTH_ABBREVIATIONS)}\.)"
# A year is 1990-2099 and does not start an amount, a spec or a model: "de 2000 à 3000 dollars", "de 2048
# cœurs" and "RTX 2080 Ti" are not dates.
_UNITS = (
    r"%|€|\$|dollars?|euros?|yuans?|yens?|USD|EUR|CNY|RMB|puces|processeurs|cartes|[GNCT]PU|unités|serveurs|"
    r"c(?:œ|oe)urs|threads|transistors|employés|personnes|exemplaires|km|kg|[GMT]o|nm|mm|[kM]?W|[MG]Hz|points|"
    r"fois|milliards?|millions?|mille|Mds?|(?-i:Ti|SUPER|Super|D|XT|X)"
)
_YEAR = rf"(?:199\d|20\d\d)(?!\d|[.,]\d)(?!\s*(?:(?:à|et|-|–)\s*\d[\d\s]*)?(?:{_UNITS})(?!\w))"

_LEADS = (
    "tout au long de", "dans le courant de", "au cours de", "au titre de", "à partir de", "aux alentours de",
    "autour de", "jusqu'en", "jusqu'à", "d'ici à", "d'ici", "depuis", "courant", "durant", "pendant", "avant",
    "après", "dès", "vers", "plus tôt", "plus tard", "en", "de",
)  # fmt: skip
_APPROX_LEADS = ("vers", "aux alentours", "autour")
_MODIFIER = (
    r"(?:(?P<early>(?:au |en |le |dès le |depuis le )?début (?:de |d')?)"
    r"|(?P<late>(?:à la |en |la |à )?fin (?:de |d')?)|(?P<mid>(?:à la |vers la |la )?mi-[^\S\n]?))"
)
_NEXT_OR_LAST = r"(?:prochaine?|derni[èe]re?|pass[ée]e?)"
_REL_YEAR = rf"(?P<rel>l'(?:année|an) {_NEXT_OR_LAST}|cette année(?!-)|l'année en cours)"
_FISCAL = r"(?P<fy>(?:l'(?:année|exercice)|(?:son |leur )?exercice)(?: fiscale?)? )"
_YEAR_REF = rf"(?:{_REL_YEAR}|{_FISCAL}?(?P<y>{_YEAR}))"
_ORDINAL = (
    r"(?:premier|1e|1er|1re|deuxi[èe]me|2n?d|2e|2[èe]me|second|troisi[èe]me|3e|3[èe]me|quatri[èe]me|4e|4[èe]me"
    r"|dernier)"
)
_DAY_LEAD = _any((
    "le", "du", "au", "ce", "depuis le", "dès le", "jusqu'au", "avant le", "après le", "à partir du",
    "d'ici le", "d'ici au", "vers le", "aux alentours du", "autour du",
))  # fmt: skip
_PERIOD_LEAD = _any((
    "au", "du", "le", "ce", "en", "sur le", "dès le", "depuis le", "au cours du", "pendant le", "durant le",
    "à partir du", "jusqu'au", "d'ici le", "d'ici au", "d'ici la fin du", "avant le", "après le", "vers le",
    "au titre du", "à la fin du", "fin du", "au début du", "début du", "tout au long du", "lors du",
))  # fmt: skip
_START = r"(?<![\w.,])"
_LEAD = rf"(?:(?P<lead>{_any(_LEADS)}) )?"

_YEAR_RX = _rx(rf"{_START}{_LEAD}{_MODIFIER}?(?:{_YEAR_REF}|(?P<this>(?:l')?année(?!\w)))")
_RANGE_RX = _rx(
    rf"{_START}(?:entre (?P<a>{_YEAR}) et (?P<b>{_YEAR})|(?:de|depuis) (?P<c>{_YEAR}) (?:à|jusqu'à|jusqu'en) "
    rf"(?P<d>{_YEAR})|(?:(?:en|de) )?(?P<e>{_YEAR})[-–/](?P<f>{_YEAR}))"
)
_MONTH_RX = _rx(
    rf"{_START}(?:(?P<lead>{_any((*_LEADS, 'au mois de', 'le mois de', 'du mois de'))}) "
    rf"|(?P<elided>à partir d'|au mois d'|d'))?{_MODIFIER}?(?P<m>{_MONTH})"
    rf"(?: (?:de l'année )?(?P<y>{_YEAR})| (?P<dir>dernier|prochain|passé))?"
)
_DAY_RX = _rx(
    rf"{_START}(?:(?P<lead>{_DAY_LEAD}) )?(?:{_any(_WEEKDAYS)} )?(?P<d>1er|[12]\d|3[01]|0?[1-9]) "
    rf"(?P<m>{_MONTH})(?: (?P<y>{_YEAR})| (?P<dir>dernier|prochain))?"
)
_PERIOD_RX = _rx(
    rf"{_START}(?:(?P<lead>{_PERIOD_LEAD}) )?(?:(?P<ord>{_ORDINAL}) (?P<unit>trimestre|semestre)(?: fiscal)?"
    r"|(?-i:(?P<code>[TQHS][1-4])))"
    rf"(?:(?: (?:de |d'|du )?|[^\S\n]?[-/][^\S\n]?){_YEAR_REF}|(?P<this> de l'année))?(?!\w)"
)
_RELATIVE_RX = _rx(
    rf"{_START}{_LEAD}(?:(?P<month>le mois (?:dernier|prochain|passé)|ce mois(?:-ci)?)"
    r"|(?P<quarter>le trimestre (?:dernier|prochain|passé|en cours)|le prochain trimestre|ce trimestre)"
    r"|(?P<week>la semaine (?:derni[èe]re|prochaine|pass[ée]e)|cette semaine)|(?<!d')(?P<day>avant-hier|hier)"
    # After "le", "les", "du", "au" or "chaque" a weekday is a habit ("le lundi"), not a date.
    rf"|(?<!le\x20)(?<!les\x20)(?<!du\x20)(?<!au\x20)(?<!chaque\x20)(?:ce )?(?P<wd>{_any(_WEEKDAYS)})"
    r"(?: (?:dernier|prochain))?)(?!\w)"
)
_AGO_RX = _rx(
    rf"{_START}(?P<lead>il y a|dans|d'ici) (?:(?P<approx>environ|près de|quelque|presque) )?"
    rf"(?P<n>\d{{1,3}}|{_any(_NUMBER_WORDS)}) (?P<unit>jours?|semaines?|mois|ans|années?)(?!\w)"
)
_VAGUE_RX = _rx(
    rf"{_START}(?:depuis (?:plusieurs|quelques|des|de nombreuse?s) (?:années|ans|mois|semaines|décennies)"
    r"|ces (?:\w+ )?derni(?:ères|ers) (?:années|mois|semaines|décennies)"
    r"|(?:dans|au cours) (?:les|des) (?:\w+ )?prochaine?s (?:années|mois|semaines|jours)"
    r"|au cours des (?:\w+ )?derni(?:ères|ers) (?:années|mois|semaines)"
    r"|dans les (?:années|mois|semaines|jours) (?:qui viennent|à venir)"
    r"|(?:il y a|dans|d'ici|depuis) (?:quelques|plusieurs) (?:jours|semaines|mois|années|ans))(?!\w)"
)


def find_dates(
    text: str, *, published: datetime.date | None = None, precision: str = "unknown"
) -> list[FigureFound]:
    """Dates and periods in text, in order, resolved against the article's publication date when possible."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    days = _publication_days(published, precision) if published and precision != "unknown" else None
    hits: dict[tuple[int, int], _Hit] = {}
    for anchor, readers in _anchors(text):
        for pattern, read, tail in readers:
            match = _covering(pattern, text, anchor, tail)
            if match and match.span() not in hits and (hit := read(match, text)):
                hits[match.span()] = hit
    return [_figure(text, hit, days) for hit in _longest_first(hits.values())]


def _publication_days(published: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """First and last day the publication date may stand for."""
    day = datetime.date(published.year, published.month, published.day)  # a datetime would print its time
    if precision == "day":
        return day, day
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def _figure(text: str, hit: _Hit, days: tuple[datetime.date, datetime.date] | None) -> FigureFound:
    value = hit.value
    if callable(value):
        # Readings only move forward with the publication date: if both ends agree, every day between does.
        first, last = (value(day) for day in days) if days else ("", "")
        value = first if first == last else ""
    return FigureFound(
        start=hit.start, end=hit.end, surface=text[hit.start : hit.end], kind=DATE, value=None,
        value_max=None, unit="date", qualifier=hit.qualifier, value_text=value,
    )  # fmt: skip


def _longest_first(hits) -> list[_Hit]:
    """Keep the longest of overlapping hits ("le 9 août 2023" over "août 2023"), in text order."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


# Every expression holds a month, a year, a time word or a quarter code, and its lead-in words fit in the
# _REACH characters before it. Patterns are tried only around those anchors: over the whole text re would
# try every alternative at every position, several milliseconds for one article.
_REACH = 50
_YEAR_ANCHOR = re.compile(r"(?:199|20)\d\d")
_NOT_IN_WORD = re.compile(r"[^\w\s]")


def _anchors(text: str) -> Iterator[tuple[int, tuple]]:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters; keep offsets aligned
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    spaced = _NOT_IN_WORD.sub(" ", lowered)  # so that split() gives the words ("l'année" → "année")
    for word in _ANCHOR_WORDS.keys() & set(spaced.split()):
        at = spaced.find(word)
        while at >= 0:
            end = at + len(word)
            if not (at and spaced[at - 1].isalnum()) and not spaced[end : end + 1].isalnum():
                yield at, _ANCHOR_WORDS[word]
            at = spaced.find(word, end)
    yield from ((match.start(), _AT_YEAR) for match in _YEAR_ANCHOR.finditer(text))


def _covering(pattern: re.Pattern[str], text: str, anchor: int, tail: int) -> re.Match[str] | None:
    """The match that holds the anchor; tail is how far the pattern may need to read past it."""
    for match in pattern.finditer(text, max(0, anchor - _REACH), anchor + tail):
        if match.start() > anchor:
            return None
        if match.end() > anchor:
            return match
    return None


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _period_label(year: int, index: int, months: int) -> str:
    """'2025-Q1' for a quarter (3 months), '2023-H2' for a half year (6 months)."""
    return f"{year}-{'Q' if months == 3 else 'H'}{index}"


def _shift(day: datetime.date, count: int, months: int = 1) -> str:
    """The month (or quarter, with months=3) count steps away from the one holding day."""
    per_year = 12 // months
    year, rank = divmod(day.year * per_year + (day.month - 1) // months + count, per_year)
    return _ym(year, rank + 1) if months == 1 else _period_label(year, rank + 1, months)


def _direction(words: str) -> int:
    """+1 for "prochain(e)", -1 for "dernier", "dernière" or "passé(e)", else 0."""
    words = words.lower()
    return 1 if "prochain" in words else -1 if re.search("derni|pass[ée]", words) else 0


def _reading(match: re.Match[str]) -> str:
    """How to place a month, day or quarter named without its year (see the module docstring)."""
    words = match.group().lower().replace("’", "'")
    if step := _direction(words):
        return "after" if step > 0 else "before"
    if words.startswith("d'ici"):
        return "upcoming"
    return "nearest" if words.startswith(("dès", "à partir")) else "latest"


def _month_year(month: int, published: datetime.date, reading: str) -> int:
    """The year of a month named without one, placed against the publication month."""
    gap = month - published.month
    if reading in ("before", "after"):  # strictly
        return published.year + (gap <= 0 if reading == "after" else -(gap >= 0))
    if reading == "upcoming":
        return published.year + (gap < 0)
    if reading == "nearest":  # within six months either way
        return published.year + (gap <= -6) - (gap > 6)
    return published.year - (gap > 0)


def _on_year(match: re.Match[str], label: Callable[[int], str], offset: int | None) -> str | Resolver | None:
    """The label of the year the match names: "2024", or "l'année prochaine" (publication year + 1).

    Without one, offset (years from the publication year) stands for it; None then means no year at all.
    """
    if match.group("y"):
        return label(int(match.group("y")))
    if match.group("rel"):
        offset = _direction(match.group("rel"))
    return None if offset is None else lambda published: label(published.year + offset)


def _hit(match: re.Match[str], value: str | Resolver, qualifier: str = "") -> _Hit:
    approx = match.group().lower().startswith(_APPROX_LEADS)
    return _Hit(match.start(), match.end(), value, qualifier or ("approx" if approx else "exact"))


# One reader per pattern: it checks what the pattern cannot and says what the match means.


def _read_year(match: re.Match[str], text: str) -> _Hit | None:
    modified = match.group("early") or match.group("late") or match.group("mid")
    if match.group("this") and not modified:  # "l'IPO de l'année" is a superlative, "fin d'année" a period
        return None
    aside = text[match.start() - 2 : match.start()] == ", " and text[match.end() : match.end() + 1] == ","
    # A number alone is a year only as an aside (", 2022,"); otherwise a lead-in word must say so.
    if match.group("y") and not (match.group("lead") or modified or match.group("fy") or aside):
        return None
    half = 1 if match.group("early") else 2 if match.group("late") else 0
    label = (lambda year: _period_label(year, half, 6)) if half else str
    return _hit(match, _on_year(match, label, 0))  # "fin d'année": this year


def _read_range(match: re.Match[str], text: str) -> _Hit | None:
    low, high = (int(next(filter(None, match.group(*names)))) for names in (("a", "c", "e"), ("b", "d", "f")))
    return _hit(match, f"{low}/{high}") if low < high else None


def _month_number(word: str) -> int:
    return next(number for number, start in enumerate(_MONTH_STARTS, 1) if word.lower().startswith(start))


def _read_month(match: re.Match[str], text: str) -> _Hit | None:
    word, year, reading = match.group("m"), match.group("y"), _reading(match)
    led = match.group("lead") or match.group("elided") or match.group("early") or match.group("late")
    if not (led or match.group("mid") or year or match.group("dir")):
        return None  # a month name alone is as often a name: "Mars", "Avril"
    # Inside a phrase French writes months in lower case: "de Mars" is the planet or the brand.
    if not year and word in ("Mars", "Mai") and match.start("m") > match.start():
        return None
    month = _month_number(word)
    if year:
        return _hit(match, _ym(int(year), month))
    return _hit(match, lambda published: _ym(_month_year(month, published, reading), month))


def _read_day(match: re.Match[str], text: str) -> _Hit | None:
    month, day = _month_number(match.group("m")), int(match.group("d").lower().removesuffix("er"))
    if match.group("y"):
        value = _iso(int(match.group("y")), month, day)
        return _hit(match, value) if value else None
    if day > calendar.monthrange(2024, month)[1]:  # 2024 is a leap year, so "29 février" stays
        return None
    reading = _reading(match)

    def value(published: datetime.date) -> str:
        if reading not in ("before", "after"):
            return _iso(_month_year(month, published, reading), month, day)
        # "le 15 septembre dernier" counts from the publication day, not from its month
        named, today = (month, day), (published.month, published.day)
        return _iso(
            published.year + (named <= today if reading == "after" else -(named >= today)), month, day
        )

    return _hit(match, value)


def _iso(year: int, month: int, day: int) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # "31 avril", or "29 février" in a common year
        return ""


_ORDINALS = {"p": 1, "1": 1, "d": 2, "s": 2, "2": 2, "t": 3, "3": 3, "q": 4, "4": 4}


def _read_period(match: re.Match[str], text: str) -> _Hit | None:
    code, ordinal = match.group("code"), (match.group("ord") or "").lower()
    months = 3 if (code[0] in "TQ" if code else match.group("unit").lower() == "trimestre") else 6
    index = int(code[1]) if code else 12 // months if ordinal == "dernier" else _ORDINALS[ordinal[0]]
    value = _on_year(
        match, lambda year: _period_label(year, index, months), 0 if match.group("this") else None
    )
    # "T1" alone could be anything, "au T1" is a quarter; "H1" and "S1" need their year.
    if index > 12 // months or (code and value is None and (months == 6 or not match.group("lead"))):
        return None
    if value is None:
        # "le dernier trimestre" may be the fourth quarter or the latest one: the text does not say.
        value = "" if ordinal == "dernier" else _placed_like_first_month(index, months, _reading(match))
    return _hit(match, value)


def _placed_like_first_month(index: int, months: int, reading: str) -> Resolver:
    first = (index - 1) * months + 1
    return lambda published: _period_label(_month_year(first, published, reading), index, months)


def _read_relative(match: re.Match[str], text: str) -> _Hit | None:
    step = _direction(match.group())
    if match.group("month") or match.group("quarter"):
        months = 1 if match.group("month") else 3
        return _hit(match, lambda published: _shift(published, step, months))
    if match.group("week"):
        return _hit(match, "")  # our formats have no week
    if match.group("day"):
        back = datetime.timedelta(days=2 if match.group("day").lower().startswith("avant") else 1)
        return _hit(match, lambda published: (published - back).isoformat())
    weekday = _WEEKDAYS.index(match.group("wd").lower())

    def value(published: datetime.date) -> str:
        if step > 0:
            return (published + datetime.timedelta(days=(weekday - published.weekday()) % 7 or 7)).isoformat()
        back = (published.weekday() - weekday) % 7 or (7 if step < 0 else 0)
        return (published - datetime.timedelta(days=back)).isoformat()

    return _hit(match, value)


def _read_ago(match: re.Match[str], text: str) -> _Hit | None:
    number, unit = match.group("n").lower(), match.group("unit").lower()
    count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    count *= -1 if match.group("lead").lower().startswith("il") else 1
    qualifier = "approx" if match.group("approx") else "exact"
    if unit.startswith("jour"):
        return _hit(match, lambda day: (day + datetime.timedelta(days=count)).isoformat(), qualifier)
    if unit.startswith("semaine"):
        return _hit(match, "", qualifier)  # our formats have no week
    if unit == "mois":
        return _hit(match, lambda published: _shift(published, count), qualifier)
    return _hit(match, lambda published: str(published.year + count), qualifier)


def _read_vague(match: re.Match[str], text: str) -> _Hit | None:
    return _hit(match, "", "vague")


# Each pattern with its reader and how far past its anchor a match may read (guards included).
_DAY_READ, _MONTH_READ = (_DAY_RX, _read_day, 45), (_MONTH_RX, _read_month, 50)
_YEAR_READ, _RANGE_READ = (_YEAR_RX, _read_year, 32), (_RANGE_RX, _read_range, 40)
_PERIOD_READ, _RELATIVE_READ = (_PERIOD_RX, _read_period, 60), (_RELATIVE_RX, _read_relative, 24)
_AGO_READ, _VAGUE_READ = (_AGO_RX, _read_ago, 10), (_VAGUE_RX, _read_vague, 24)
_AT_YEAR = (_RANGE_READ, _YEAR_READ)
_ANCHOR_WORDS = {
    **dict.fromkeys(_MONTH_WORDS + _MONTH_ABBREVIATIONS, (_DAY_READ, _MONTH_READ)),
    **dict.fromkeys(("trimestre", "semestre"), (_PERIOD_READ, _RELATIVE_READ)),
    **dict.fromkeys((f"{letter}{n}" for letter in "tqhs" for n in "1234"), (_PERIOD_READ,)),
    **dict.fromkeys(("an", "année"), (_YEAR_READ, _AGO_READ)),
    **dict.fromkeys(("ans", "années", "jours", "semaines", "décennies"), (_VAGUE_READ, _AGO_READ)),
    "mois": (_RELATIVE_READ, _VAGUE_READ, _AGO_READ),
    "semaine": (_RELATIVE_READ, _AGO_READ),
    "jour": (_AGO_READ,),
    **dict.fromkeys(("hier", *_WEEKDAYS), (_RELATIVE_READ,)),
}

"""The grammar of one stated amount in French press copy: a numeral, a scale word and a unit.

Everything here reads the *matching copy* of a text (`matching_copy`): it has the same length as the
text, so its offsets are offsets into the original, but typographic apostrophes, no-break and thin spaces
and dashes are made plain. `read_amount` reads the amount that starts at a numeral found by `NUMERAL_RE`;
figures.py adds what surrounds it (masks, qualifiers, ranges, conversions).

Numbers in words are isolated here and only then evaluated by text2num: its `alpha2digit` must never see
running text (it turns "1 milliard" into "1 1000000000").
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from text_to_num import text2num

from articles.extraction.types import COUNT, DURATION, MONEY, MULTIPLIER, PERCENT, QUANTITY

ChipEnd = Callable[[int], int | None]  # end of the chip name starting at an offset, or None

_PLAIN = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "),
    ("\u2007", " "), ("\u2013", "-"), ("\u2014", "-"), ("\u2212", "-"),
)  # fmt: skip


def matching_copy(text: str) -> str:
    """The text with plain apostrophes, spaces and hyphens, same length (offsets stay valid)."""
    # str.replace is an order of magnitude faster than str.translate with a dict here.
    for typographic, plain in _PLAIN:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


# What may come right before a numeral or a model name. Scanning for one of these characters is far
# faster than a lookbehind at every position; the scanned copy starts with "\n" so position 0 is covered.
BOUNDARY = r"[ \n\t'\"(\[«“”»~≈$€¥£/:;!?*•+×-]"
_WORD = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|vingts?|trente|quarante|cinquante|soixante|cents?|mille"
)
# First letters of number words, to fail fast at the many word starts that cannot begin one.
_STARTS = (
    r"(?=[0-9]|[uU]n|[dD](?:eu|ix|ou|em)|[tT]r[oe]|[qQ]u[ai]|[cC](?:in|en)|[sS](?:ix|ep|ei|oi)|[hH]ui|[nN]eu"
    r"|[oO]nz|[vV]ing|[mM]ill|[zZ][ée]r)"
)
# "un"/"une" is an article unless a scale word or the second bound of a range follows: skip it early.
_LONE_ONE = r"(?!une?(?![\w-])(?! (?:milli|billi|trilli|à |ou )))"
# "vingt et un", "soixante-et-onze": French joins with "et" only before un/une/onze.
_WORDS = rf"(?:{_WORD})(?:(?:[ -]|-et-| et (?=(?:un|une|onze)\b))(?:{_WORD}))*"
_DIGITS = (
    r"[0-9]{1,3}(?: [0-9]{3})+(?![0-9])(?:,[0-9]+)?"  # French groups: "100 000", "3 000,5"
    r"|[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9]|,[0-9])"  # dotted thousands: "1.600", "294.000"
    r"|[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])"  # copied from English: "420,000"
    r"|[0-9]+(?:[.,][0-9]+)?"
)
_ABOUT = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
NUMERAL_RE = re.compile(
    rf"{BOUNDARY}{_STARTS}(?P<n>(?P<d>{_DIGITS})"
    r"|(?i:(?P<half>(?:un )?demi-(?:milliard|million))"
    rf"|(?P<about>une? (?:{'|'.join(_ABOUT)}))|(?P<w>{_LONE_ONE}{_WORDS}))(?![\w-]))"
)

SCALES = {
    "mille": 10**3, "milliers": 10**3, "million": 10**6, "millions": 10**6, "milliard": 10**9,
    "milliards": 10**9, "billion": 10**12, "billions": 10**12, "trillion": 10**18, "trillions": 10**18,
    "md": 10**9, "mds": 10**9, "mrd": 10**9, "mrds": 10**9, "bn": 10**9, "m": 10**6, "k": 10**3,
}  # fmt: skip
_CURRENCY_AHEAD = r"(?= ?(?:\$|€|¥|£|(?:USD|EUR|CNY)\b)| (?:de dollars|d'euros|de yuans)\b)"
# "5 de milliards" is a typo seen in real copy; "M" and "k" are scales only when glued to a currency.
_SCALE_RE = re.compile(
    r" ?(?:de )?(?P<s>(?i:milliards?|millions?|billions?|trillions?|milliers|mille)(?![\w-])"
    rf"|(?:Mds?|Mrds?|bn)(?![\w-])|(?:M|k|K){_CURRENCY_AHEAD})"
)
_AND_A_HALF_RE = re.compile(r" et demie?(?![\w-])")

# English copy puts the sign first and means 10^9 by "billion": "$5 billion", "US$ 2bn".
_ENGLISH_SCALES = {"billion": 10**9, "billions": 10**9, "trillion": 10**12, "trillions": 10**12}
_SIGN_BEFORE_RE = re.compile(r"(?<![\w$])(?P<u>HK\$|NT\$|US ?\$|\$ ?US|\$|€|¥|£|USD|EUR|CNY|RMB) ?$")
_SIGN_AFTER_RE = re.compile(
    r" ?(?:de )?(?P<u>HK\$|NT\$|US ?\$|\$ ?US(?![\w])|\$|€|¥|£|元"
    r"|(?:USD|EUR|CNY|RMB|HKD|TWD|JPY|KRW|GBP|CHF)(?![\w]))"
)
_CURRENCY_WORD_RE = re.compile(
    r" (?:de |d')?(?P<u>(?i:(?:nouveaux )?dollars?|euros?|yuans?|renminbis?|yens?|wons?|livres? sterling"
    r"|francs? suisses|roupies?|roubles?)|(?:RMB|CNY|USD|EUR)(?=\W|$))(?![\w-])"
    r"(?P<q> (?i:américains?|US|des États-Unis|de Hong Kong|hongkongais|taïwanais|singapouriens"
    r"|australiens|canadiens|renminbi)(?![\w-]))?"
)
_SIGNS = {
    "$": "USD", "us$": "USD", "$us": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "¥": "CNY", "元": "CNY",
    "cny": "CNY", "rmb": "CNY", "hk$": "HKD", "hkd": "HKD", "nt$": "TWD", "twd": "TWD", "£": "GBP",
    "gbp": "GBP", "jpy": "JPY", "krw": "KRW", "chf": "CHF",
}  # fmt: skip
_WORD_CURRENCIES = {
    "dollar": "USD", "euro": "EUR", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY",
    "yen": "JPY", "won": "KRW", "livre": "GBP", "franc": "CHF", "roupie": "INR", "rouble": "RUB",
    "usd": "USD", "eur": "EUR",
}  # fmt: skip
_DOLLAR_PLACES = {
    "de hong kong": "HKD", "hongkongais": "HKD", "taïwanais": "TWD", "singapouriens": "SGD",
    "australiens": "AUD", "canadiens": "CAD",
}  # fmt: skip

_PERCENT_RE = re.compile(r" ?%| ?(?i:pour ?cents?|pourcents?)(?![\w-])")
_DETERMINER = r"(?:ses|ces|leurs|nos|vos|mes|tes|les)"
_ADJECTIVE = (
    r"(?:nouvelles?|nouveaux|nouveau|autres|puissante?s|puissants|avancée?s|derni[eè]re?s|premi[eè]re?s"
    r"|anciennes?|anciens|futures?|futurs|précieuses|précieux|coûteuses|coûteux|meilleures?|modernes"
    r"|performante?s|performants|fameuses|fameux|propres|principales|principaux|grandes|grands)"
)
HARDWARE_NOUN = (
    r"(?:puces?(?: (?:électroniques|graphiques|d'IA|IA))?|GPUs?|CPUs?|NPUs?|TPUs?|ASICs?"
    r"|processeurs?(?: graphiques)?|accélérateurs?(?: (?:d'IA|IA|graphiques))?"
    r"|cartes?(?: (?:graphiques|accélératrices|GPU))?|serveurs?|racks?|baies|wafers?|plaquettes?"
    r"|dies|unités(?: de traitement(?: graphique)?)?|modules|exemplaires|semi-?conducteurs|composants|chips)"
)
_HARDWARE_RE = re.compile(
    rf" (?:(?:de |d')(?P<det>{_DETERMINER} )?)?(?:{_ADJECTIVE} ){{0,2}}{HARDWARE_NOUN}(?![\w-])", re.I
)
_CHIP_LEAD_RE = re.compile(r" (?:de |d')?")
_DURATION_RE = re.compile(
    r" (?P<u>mois|ans?|années?|semaines?|jours?|heures?|trimestres?|décennies?)(?![\w-])", re.I
)
_DURATIONS = {"moi": "months", "an": "years", "ans": "years", "ann": "years", "sem": "weeks", "jou": "days",
              "heu": "hours", "tri": "quarters", "déc": "decades"}  # fmt: skip
_MULTIPLIER_RE = re.compile(r" fois(?![\w-])", re.I)
_COUNT_RE = re.compile(
    rf" (?:(?:de |d')(?:{_DETERMINER} )?)?(?:{_ADJECTIVE} )?(?P<u>employés|salariés|personnes|ingénieurs"
    r"|chercheurs|hommes|femmes|cadres|clients|utilisateurs|sources|entreprises|sociétés|groupes|fabricants"
    r"|fournisseurs|géants|firmes|fonderies|start-?ups?|usines|pays|provinces)(?![\w-])",
    re.I,
)
_COUNT_UNITS = {
    "sources": "sources", "usines": "sites", "pays": "countries", "provinces": "regions",
    "clients": "customers",
}  # fmt: skip
_PEOPLE = (
    "employés", "salariés", "personnes", "ingénieurs", "chercheurs", "hommes", "femmes", "cadres",
    "utilisateurs",
)  # fmt: skip


@dataclass(slots=True)
class Amount:
    """One numeral with its scale word and, when one follows, its unit."""

    start: int  # the numeral, or a currency sign written before it ("US$ 5 milliards")
    num_end: int  # end of the numeral and scale word
    end: int  # end of the amount with its unit (and a chip name after a hardware noun)
    numeral: Decimal
    scale: int  # 1 when no scale word is written
    kind: str | None = None
    unit: str | None = None
    approx: bool = False  # "une dizaine de ..."
    year_like: bool = False  # four bare digits 1990-2099
    lone_one: bool = False  # "un"/"une" alone: an article far more often than a number
    words: bool = False

    @property
    def value(self) -> Decimal:
        return exact(self.numeral * self.scale)


def exact(value: Decimal) -> Decimal:
    """A whole value without exponent or trailing decimals ("13700000000", not "1.37E+10")."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@lru_cache(maxsize=512)
def words_value(words: str) -> int | None:
    """The value of an isolated run of French number words, or None when text2num rejects it."""
    try:
        return text2num(words.lower().replace("-", " "), "fr")
    except ValueError:
        return None


def digits_value(digits: str, *, scaled: bool) -> Decimal:
    """Read grouped digits; one 3-digit group after a comma or dot before a scale word is a decimal."""
    if " " in digits:
        return Decimal(digits.replace(" ", "").replace(",", "."))
    for mark in ".,":
        groups = digits.split(mark)
        # "1,250 milliard" is a French decimal comma; a dot before three digits is always thousands.
        decimal_comma = mark == "," and scaled and len(groups) == 2
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and not decimal_comma:
            return Decimal("".join(groups))
    return Decimal(digits.replace(",", "."))


def _numeral(m: re.Match) -> tuple[Decimal | None, int | None, bool]:
    """(numeral, fixed scale or None, approximate) of a NUMERAL_RE match."""
    if m["half"]:
        return Decimal("0.5"), SCALES[m["half"].lower().rsplit("-", 1)[1]], False
    if m["about"]:
        return Decimal(_ABOUT[m["about"].split(" ")[1].lower()]), None, True
    if m["w"]:
        # "-un" in "peut-on" or "Top-10" style compounds is not a number word.
        value = None if m.string[m.start()] == "-" else words_value(m["w"])
        return (None if value is None else Decimal(value)), None, False
    return Decimal(0), None, False  # digits are read once the scale word is known


def read_amount(text: str, m: re.Match, chip_end: ChipEnd) -> Amount | None:
    """The amount whose numeral NUMERAL_RE matched at `m` in the matching copy `text`."""
    numeral, scale, approx = _numeral(m)
    if numeral is None:
        return None
    first, pos = m.start("n"), m.end("n")
    sign = _SIGN_BEFORE_RE.search(text, max(0, first - 6), first)
    if scale is None:
        scale, pos = _read_scale(text, pos, english=bool(sign))
    if m["d"]:
        numeral = digits_value(m["d"], scaled=scale > 1)
    if half := _AND_A_HALF_RE.match(text, pos):
        numeral, pos = numeral + Decimal("0.5"), half.end()
    digits = m["d"] or ""
    amount = Amount(
        start=sign.start() if sign else first, num_end=pos, end=pos, numeral=numeral, scale=scale,
        approx=approx, words=bool(m["w"]), lone_one=(m["w"] or "").lower() in ("un", "une") and scale == 1,
        year_like=scale == 1 and len(digits) == 4 and digits.isdigit() and 1990 <= int(digits) <= 2099,
    )  # fmt: skip
    if sign:
        amount.kind, amount.unit = MONEY, _SIGNS[sign["u"].replace(" ", "").lower()]
    elif not amount.lone_one:  # "un"/"une" alone is an article; it only counts as the low end of a range
        _read_unit(text, amount, chip_end)
    return amount


def _read_scale(text: str, pos: int, *, english: bool) -> tuple[int, int]:
    if not (s := _SCALE_RE.match(text, pos)):
        return 1, pos
    word = s["s"].lower()
    return (_ENGLISH_SCALES.get(word) if english else None) or SCALES[word], s.end()


def _read_unit(text: str, a: Amount, chip_end: ChipEnd) -> None:
    """Set kind, unit and end of `a` from what follows its numeral; leave them unset when nothing fits."""
    pos = a.num_end
    if m := _PERCENT_RE.match(text, pos):
        a.kind, a.unit, a.end = PERCENT, "percent", m.end()
    elif m := _SIGN_AFTER_RE.match(text, pos):
        a.kind, a.unit, a.end = MONEY, _SIGNS[m["u"].replace(" ", "").lower()], m.end()
    elif m := _CURRENCY_WORD_RE.match(text, pos):
        a.kind, a.unit, a.end = MONEY, _word_currency(m["u"], m["q"]), m.end()
    elif not a.year_like and (lead := _CHIP_LEAD_RE.match(text, pos)) and (end := chip_end(lead.end())):
        a.kind, a.unit, a.end = QUANTITY, "unit", end  # "10 000 H100", "un million de H20"
    elif m := _HARDWARE_RE.match(text, pos):
        a.kind, a.unit = QUANTITY, "unit"
        # "un million de ses nouvelles puces": the figure is the amount, the noun is far from it.
        a.end = pos if m["det"] else _after_chip(text, m.end(), chip_end)
    elif m := _DURATION_RE.match(text, pos):
        a.kind, a.unit, a.end = DURATION, _DURATIONS[m["u"].lower()[:3]], m.end()
    elif m := _MULTIPLIER_RE.match(text, pos):
        a.kind, a.unit, a.end = MULTIPLIER, "times", m.end()
    elif m := _COUNT_RE.match(text, pos):
        noun = m["u"].lower()
        unit = "people" if noun in _PEOPLE else _COUNT_UNITS.get(noun, "companies")
        a.kind, a.unit, a.end = COUNT, unit, m.end()


def _after_chip(text: str, pos: int, chip_end: ChipEnd) -> int:
    """Extend a hardware noun over the chip name written right after it ("puces H200")."""
    return (chip_end(pos + 1) or pos) if text.startswith(" ", pos) else pos


def _word_currency(word: str, qualifier: str | None) -> str:
    word = word.lower().removeprefix("nouveaux ")
    if word.startswith("dollar") and qualifier:
        return _DOLLAR_PLACES.get(qualifier.strip().lower(), "USD")
    return _WORD_CURRENCIES[word.split(" ")[0].rstrip("s")]

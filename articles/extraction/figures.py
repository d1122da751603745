"""Find the figures a French text states: money, hardware quantities and percentages (GUIDELINES.md).

Durations ("huit mois"), multipliers ("quatre fois ce montant") and counts of people or companies
("deux employés") are returned too, as context; dates are left to the period tagger. Numbers inside
chip and model names, process nodes and bare years are never figures.

Decisions the guidelines leave open, taken here (and matched against the annotated dev set):
- Vague plurals with no numeral ("des milliards de dollars", "des dizaines de milliers de GPU") are not
  returned at all: a money figure needs a value. "Une dizaine de milliers" is approx 10 000.
- "supérieur à"/"inférieur à" is more_than/less_than, except when it compares two figures ("4 milliards
  sont nettement supérieurs à 1 milliard"): there the second figure is exact.
- "de X à Y" is a range, except after a verb of change ("est passé de", "s'est envolé de"), or when X
  is larger than Y: then X and Y are two exact figures, X borrowing Y's unit ("de 104 à 829 yuans").
  With percentages only "passer de" marks a change: "a augmenté de 30 à 50 %" is a range.
- A money figure converting the one just before it, in parentheses or after "soit", has conversion_of
  and inherits its qualifier when it has none of its own.
- A bare scaled amount repeats the unit of the amount before it in the same sentence ("17 milliards de
  dollars ... contre 130,5 milliards"); "un"/"une" alone is an article, never a figure; a small number
  in words after a definite article ("les deux puces") points back at chips and is a count.
- English copy: a currency sign before the number keeps its English scale ("$5 billion" is 5e9); a
  French "billion" is 10^12. "points de pourcentage" are not percentages.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from articles.extraction.numbers import (
    BOUNDARY,
    HARDWARE_NOUN,
    NUMERAL_RE,
    Amount,
    ChipEnd,
    exact,
    matching_copy,
    read_amount,
)
from articles.extraction.types import COUNT, MONEY, PERCENT, QUANTITY, FigureFound

CORE_KINDS = frozenset({MONEY, QUANTITY, PERCENT})

_BRANDS = (
    "RTX|GTX|RX|Ascend|Kirin|Atlas|TaiShan|Taishan|CloudMatrix|Snapdragon|Dimensity|Exynos|Core|Ryzen|EPYC"
    "|Epyc|Xeon|Radeon|Instinct|Gaudi|Kunpeng|Kunlun|Dhyana|Loongson|Sunway|Zen|Hopper|Blackwell|Rubin"
    "|Jetson|Orin|Pro|Titan|Quadro|Tesla|Top|TOP|Mate|Pura|Pixel|Galaxy|Xinghuo|Ernie|Llama|Qwen|GPT|MTT"
    "|Hanguang|Siyuan|iPhone|CAC|Nasdaq|Nikkei|Stoxx|DAX|FTSE|SBF|S&P"
)
# A name followed by a number is a model ("CloudMatrix 384") unless what follows makes it an amount.
_NOT_AMOUNT = (
    r"(?![ ,.]?[0-9])(?! ?(?:%|\$|€|¥|£|(?i:milliards?|millions?|milliers|mille"
    rf"|(?:de |d')?(?:dollars|euros|yuans|{HARDWARE_NOUN}))(?![\w])))"
)
_NOT_ACRONYM = r"(?:USD|EUR|CNY|RMB|HKD|TWD|JPY|KRW|GBP|CHF|GPUs?|NPUs?|CPUs?|TPUs?|IA|AI|PDG|CEO)"
_MODEL_RE = re.compile(
    rf"{BOUNDARY}(?P<m>"
    rf"(?P<brand>(?:{_BRANDS}) [0-9]+[A-Za-z]*(?: [A-Z](?![\w]))?){_NOT_AMOUNT}"  # RTX 4090 D, Ascend 950
    r"|(?P<chip>[A-Z][\w-]*[0-9][\w-]*)"  # H20, A800, GB200, NVL72, MI308X, B30A, DeepSeek-R1
    r"|[a-z][\w-]*[0-9][\w-]*"  # x86-64, o1
    r"|[0-9]+(?:[.,][0-9]+)? ?nm(?![\w])"  # process node: 7 nm
    r"|(?P<glued>[0-9]+(?:[.,][0-9]+)?[A-Za-z][\w-]*)"  # 910B, 9000s, 38e, 1er, 86Research
    rf"|(?:[A-Z][a-z]+[A-Z]\w*|i[A-Z]\w*) [0-9]+[A-Za-z]*{_NOT_AMOUNT}"  # CloudMatrix 384, TaiShan 950
    rf"|(?!{_NOT_ACRONYM}(?![\w]))[A-Z]{{2,6}} [0-9]{{2,5}}[A-Za-z]?(?![\w])(?: [A-Z](?![\w]))?{_NOT_AMOUNT}"
    r")"
)
_DIGIT_RUN_RE = re.compile(r"[0-9]+")
_GLUED_OR_NODE_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?:[A-Za-z]| ?nm(?![\w]))")
# Glued scale and currency are an amount, not a model name: "1,2Md$", "300M€", "5bn".
_GLUED_AMOUNT_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?:Mds?|Mrds?|Md|bn|M|k|K)(?![\w-])")

# A qualifier is the last words before the amount: searched with "$" in a short window that ends there.
_ADVERB = r"(?:désormais|déjà|largement|aujourd'hui|bientôt|même|ainsi|maintenant|nettement|allègrement)"
_QUALIFIER_RE = re.compile(
    r"(?<![\w])(?:"
    r"(?P<approx>environ|env\.|à peu près|grosso modo|approximativement|quasiment|quasi|presque"
    r"|pas loin (?:de |d')|près (?:de |d')|autour (?:de |d'|des )|aux alentours (?:de |d'|des )"
    r"|de l'ordre (?:de |d'|des )|quelques?|avoisinant(?: les)?|~|≈)"
    r"|(?P<at_least>au moins|pas moins (?:de |d')|au minimum|(?:un )?minimum (?:de |d')?|a minima|au bas mot)"
    r"|(?P<at_most>jusqu'(?:à |aux )|(?:tout )?au plus|au maximum|(?:un )?maximum (?:de |d')?"
    r"|pas plus (?:de |d')|plafonnée?s? à|(?:ne )?(?:pas|sans) dépasser (?:les )?|n'excédant pas (?:les )?"
    r"|ne dépass\w* pas (?:les )?|n'excèd\w* pas (?:les )?|pouvant atteindre (?:les )?)"
    r"|(?P<more_than>(?:un peu |bien |largement |nettement )?(?<!\ben )plus (?:de |d')"
    r"|au-delà (?:de |d'|des )|excédant(?: les)?"
    rf"|dépass\w* (?:{_ADVERB} )?(?:les |la barre (?:des |de |d'))?)"
    r"|(?P<less_than>(?:un peu )?moins (?:de |d')|en deçà (?:de |d'|des )|sous la barre (?:des |de |d'))"
    r"|(?P<more_than_cmp>supérieure?s? (?:à |aux ))|(?P<less_than_cmp>inférieure?s? (?:à |aux ))"
    r") ?$",
    re.I,
)
# Press copy also qualifies after the amount: "5 milliards de dollars (et plus)", "10 000 GPU au moins".
_TRAILING_RE = re.compile(
    r"(?: ?\((?P<paren>et plus|ou plus|au moins|minimum|environ)\)"
    r"| (?P<word>et plus|ou plus|voire plus|au moins|au minimum|environ|au maximum|au plus))"
    r"(?![\w-])(?! ?(?:de |d'|tard|que |en |\d))",
    re.I,
)
_TRAILING = {"environ": "approx", "au maximum": "at_most", "au plus": "at_most"}  # the rest: at_least
_CLAUSE_END_RE = re.compile(r"[.;:!?]")
_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")
# "dont 39 milliards de subventions" is money; "1,4 milliard d'habitants" is not.
_NOUN_AFTER_RE = re.compile(r" (?:de |d'|des )")
_MONEY_NOUN_AFTER_RE = re.compile(
    r" (?:de |d')(?:subventions|revenus|recettes|ventes|commandes|achats|investissements|aides|bénéfices?"
    r"|pertes|dépenses|crédits|prêts|dettes?|financements?|capitalisation|chiffre d'affaires|valorisation"
    r"|dividendes|contrats?|amendes?)(?![\w-])",
    re.I,
)

# French ranges: "entre X et Y", "X à Y", "X ou Y", and "X-Y" written without spaces (a spaced dash is
# too often a clause break).
_LINK_RE = re.compile(r" (?P<word>à|et|ou) |-(?=\d)")
_BETWEEN_RE = re.compile(r"(?<![\w])entre $", re.I)
# Verbs of change whose "de X à Y" names a start and an end value, not a range.
_CHANGE_RE = re.compile(
    r"(?<![\w])(?P<verb>pass|port(?=é|er|ant|ai|a )|grimp|chut|baiss|augment|diminu|envol|bondi|recul"
    r"|progress|évolu|mont(?!ant)|descend|tomb|ramen|rédui|relev|abaiss|gonfl|dégringol|flamb|explos|doubl"
    r"|tripl|plong|gliss|hauss)"
    r"\w*(?: [\w']+){0,4} (?:de |d')$",
    re.I,
)
_THE_RE = re.compile(r"(?<![\w])(?:les|ces|ses|leurs|nos|vos) $", re.I)

# "(13,7 milliards de dollars)" right after the amount, or after a few words: "... en 2023 (environ 98 ...)".
_PAREN_GAP_RE = re.compile(r"(?: [\w'-]+){0,3}[ \"”»']*\( ?(?:soit |ou |≈ ?)?")
_SOIT_GAP_RE = re.compile(
    r"(?: [\w'-]+){0,3},? (?:soit|c'est-à-dire|ou encore|l'équivalent de|équivalant à) "
)


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    kind: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    qualifier: str
    conversion_of: int | None = None


def find_figures(text: str, *, chip_names: Iterable[str] = ()) -> list[FigureFound]:
    """All figures in text (one sentence or a whole body), in order of start; offsets into text."""
    copy = "\n" + matching_copy(text)  # every numeral then follows a BOUNDARY character; offsets are +1
    chip_re = _chip_name_re(chip_names if isinstance(chip_names, tuple) else tuple(chip_names))
    mask, chip_at = _masks(copy, chip_re)

    def chip_end(pos: int) -> int | None:
        if pos in chip_at or not chip_re:
            return chip_at.get(pos)
        m = chip_re.match(copy, pos - 1)  # gazetteer names without digits: "10 000 Blackwell"
        return m.end("m") if m else None

    drafts: list[_Draft] = []
    consumed = 0
    for m in NUMERAL_RE.finditer(copy):
        if m.start("n") < consumed or mask.find(1, m.start("n"), m.end("n")) >= 0:
            continue
        new, consumed = _read_at(copy, m, mask, chip_end, drafts)
        for draft in new:
            _link_conversion(copy, drafts, draft)
            drafts.append(draft)
    return [
        FigureFound(
            start=d.start - 1,
            end=d.end - 1,
            surface=text[d.start - 1 : d.end - 1],
            kind=d.kind,
            value=d.value,
            value_max=d.value_max,
            unit=d.unit,
            qualifier=d.qualifier,
            conversion_of=d.conversion_of,
        )
        for d in drafts
    ]


@lru_cache(maxsize=64)
def _chip_name_re(names: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for the gazetteer's chip names, longest first so "RTX 4090 D" beats "RTX 4090"."""
    names = tuple({n for n in (matching_copy(n.strip()) for n in names) if n})
    if not names:
        return None
    alternatives = "|".join(re.escape(n).replace("\\ ", " ") for n in sorted(names, key=len, reverse=True))
    # A lookahead on the first two letters lets the scan skip most word starts cheaply.
    starts = "|".join(sorted({re.escape(n[:2].lower()) for n in names}))
    return re.compile(rf"{BOUNDARY}(?=(?i:{starts}))(?P<m>(?i:{alternatives}))(?![\w])")


def _masks(copy: str, chip_re: re.Pattern | None) -> tuple[bytearray, dict[int, int]]:
    """Characters no numeral may start in (chip and model names), and chip names by start offset."""
    mask, chip_at, covered = bytearray(len(copy)), {}, 0
    # Only the words holding a digit, or the two words before one, can start a model name: try those few
    # places instead of scanning the whole text (this is most of the time spent here).
    for run in _DIGIT_RUN_RE.finditer(copy):
        if run.start() < covered:
            continue
        span = _model_span(copy, run.start(), chip_re)
        if span is None:
            continue
        start, covered, is_chip = span
        mask[start:covered] = b"\x01" * (covered - start)
        if is_chip:
            chip_at[start] = covered
    return mask, chip_at


def _model_span(copy: str, digit: int, chip_re: re.Pattern | None) -> tuple[int, int, bool] | None:
    """(start, end, is a chip) of the model name holding the digit at `digit`, if any."""
    token = _word_start(copy, digit)
    if token == digit and not _GLUED_OR_NODE_RE.match(copy, digit) and not _capitalised_before(copy, token):
        return None  # "de 100 000", "en 2023": no name can hold these digits
    places = [token]
    while len(places) < 3 and places[0] > 1 and copy[places[0] - 1] == " ":
        places.insert(0, _word_start(copy, places[0] - 1))
    for place in places if chip_re else ():
        if (m := chip_re.match(copy, place - 1)) and m.end("m") > digit:
            return m.start("m"), m.end("m"), True
    # A name before the number ("RTX 4090") only when the number is a word of its own.
    for place in places[-2:] if token == digit else (token,):
        m = _MODEL_RE.match(copy, place - 1)
        if m and m.end("m") > digit and not (m["glued"] and _GLUED_AMOUNT_RE.fullmatch(m["glued"])):
            return m.start("m"), m.end("m"), bool(m["chip"] or m["brand"])
    return None


def _capitalised_before(copy: str, token: int) -> bool:
    """Is the word before `token` capitalised ("RTX 4090", "Ascend 950", "iPhone 15")?"""
    if token < 2 or copy[token - 1] != " ":
        return False
    word = copy[_word_start(copy, token - 1) : token - 1]
    return bool(word) and (word[0].isupper() or (word[0] == "i" and word[1:2].isupper()))


def _word_start(copy: str, pos: int) -> int:
    """Start of the word (letters, digits, "-", "&") that ends at or holds `pos`."""
    while pos > 0 and (copy[pos - 1].isalnum() or copy[pos - 1] in "-&_"):
        pos -= 1
    return pos


def _read_at(copy: str, m: re.Match, mask: bytearray, chip_end: ChipEnd, before: list[_Draft]):
    """The figures that start with the numeral matched at `m`, and where reading may resume."""
    a = read_amount(copy, m, chip_end)
    if a is None:
        return [], m.end("n")
    prev_end = before[-1].end if before else -1
    if (pair := _read_pair(copy, a, mask, chip_end, prev_end)) is not None:
        return pair
    if a.unit is None and (stated := _stated_unit(copy, a, before)):
        a.kind, a.unit = stated.kind, stated.unit
    if a.unit is None or a.lone_one or (a.year_like and a.kind not in CORE_KINDS):
        return [], m.end("n")
    return [_draft(copy, a, prev_end)], a.end


def _stated_unit(copy: str, a: Amount, before: list[_Draft]) -> _Draft | None:
    """The amount whose unit a bare "contre 130,5 milliards" repeats, earlier in the same sentence."""
    # Only with a scale word: a bare number is too often a date or a rank.
    if a.scale < 10**6:
        return None
    if _MONEY_NOUN_AFTER_RE.match(copy, a.num_end):
        kinds = (MONEY,)
    elif _NOUN_AFTER_RE.match(copy, a.num_end):
        return None
    else:
        kinds = (MONEY, QUANTITY)
    for prev in reversed(before):
        if prev.end + 150 < a.start or _SENTENCE_END_RE.search(copy, prev.end, a.start):
            return None
        if prev.kind in kinds and prev.conversion_of is None:
            return prev
    return None


def _read_pair(copy: str, a: Amount, mask: bytearray, chip_end: ChipEnd, prev_end: int):
    """A range "entre X et Y", "X à Y", "X-Y", "X ou Y", or the first value of a change "de X à Y"."""
    link = _LINK_RE.match(copy, a.end if a.unit else a.num_end)
    if not link or a.year_like:
        return None
    m2 = NUMERAL_RE.match(copy, link.end() - 1)  # from the space or hyphen before the second numeral
    if not m2 or mask.find(1, m2.start("n"), m2.end("n")) >= 0:
        return None
    b = read_amount(copy, m2, chip_end)
    if b is None or b.unit is None or b.lone_one or (a.unit and (a.kind, a.unit) != (b.kind, b.unit)):
        return None
    between = _BETWEEN_RE.search(copy, max(0, a.start - 6), a.start)
    word = link["word"] or "-"
    if word == "et" and not between:
        return None
    # "de 2 à 3 milliards de dollars": the low bound shares the scale word and unit of the high one.
    low = exact(a.numeral * (a.scale if a.scale > 1 or a.unit else b.scale))
    if word in ("à", "-") and not between and (low >= b.value or _is_change(copy, a, b)):
        if a.unit:
            return None  # two figures, each read on its own
        qualifier, start = _prefix_qualifier(copy, a.start, prev_end)
        return [_Draft(start, a.num_end, b.kind, low, None, b.unit, qualifier)], a.num_end
    if low >= b.value:
        return None
    start = between.start() if between else a.start
    return [_Draft(start, b.end, b.kind, low, b.value, b.unit, "range")], b.end


def _is_change(copy: str, a: Amount, b: Amount) -> bool:
    """Is "de X à Y" a move from X to Y ("est passé de 56% à 68,3%") rather than a range?"""
    verb = _CHANGE_RE.search(copy, max(0, a.start - 50), a.start)
    # "augmenter de 30 à 50 %" reads as a range of increases; "passer de" always names two values.
    return bool(verb) and (
        verb["verb"].lower() in ("pass", "port") or b.kind != PERCENT or a.unit is not None
    )


def _draft(copy: str, a: Amount, prev_end: int) -> _Draft:
    qualifier, start = _prefix_qualifier(copy, a.start, prev_end)
    end = a.end
    if qualifier == "exact" and (trailing := _TRAILING_RE.match(copy, end)):
        cue = (trailing["paren"] or trailing["word"]).lower()
        qualifier, end = _TRAILING.get(cue, "at_least"), trailing.end()
    elif qualifier == "exact" and a.approx:
        qualifier = "approx"
    kind = a.kind
    # "les deux puces" points back at chips already named: not a count of hardware bought or sold.
    if kind == QUANTITY and a.words and a.numeral < 10 and _THE_RE.search(copy, max(0, a.start - 7), a.start):
        kind = COUNT
    return _Draft(start, end, kind, a.value, None, a.unit, qualifier)


def _prefix_qualifier(copy: str, start: int, prev_end: int) -> tuple[str, int]:
    """The qualifier written just before `start`, and where the surface then starts."""
    cue = _QUALIFIER_RE.search(copy, max(0, start - 40), start)
    if not cue:
        return "exact", start
    name = cue.lastgroup
    if name.endswith("_cmp"):
        # "4 milliards sont nettement supérieurs à 1 milliard": a comparison, the second is exact.
        near = 0 <= prev_end <= cue.start() <= prev_end + 40
        if near and not _CLAUSE_END_RE.search(copy, prev_end, cue.start()):
            return "exact", start
        name = name.removesuffix("_cmp")
    return name, cue.start()


def _link_conversion(copy: str, before: list[_Draft], cur: _Draft) -> None:
    """Mark "100 milliards de yuans (13,7 milliards de dollars)" as a conversion of the figure before."""
    prev = before[-1] if before else None
    if not prev or prev.kind != MONEY or cur.kind != MONEY or prev.unit == cur.unit:
        return
    gap = copy[prev.end : cur.start]
    if _PAREN_GAP_RE.fullmatch(gap) or _SOIT_GAP_RE.fullmatch(gap):
        cur.conversion_of = len(before) - 1
        if cur.qualifier == "exact" and prev.qualifier != "range":
            cur.qualifier = prev.qualifier

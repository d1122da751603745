"""Sentence-level reading for the event rules: which triggers stand, which figures and parties count.

events.py walks an article sentence by sentence and keeps the context; this module answers questions
about one sentence: its facts (triggers, companies, chips, trade figures, dates), whether a trigger is
news or background ("malgré les restrictions"), which type wins, and who buys and sells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from articles.extraction import events_lexicon as lex
from articles.extraction.events_lexicon import NEEDS_FIGURE, NEEDS_OBJECT, NOUN, SALE, VERB, Trigger
from articles.extraction.mentions import chip_maker, company_role
from articles.extraction.types import (
    CHIP,
    COMPANY,
    DATE,
    MONEY,
    MULTIPLIER,
    QUANTITY,
    FigureFound,
    Gazetteer,
    MentionFound,
)

TRADE_TYPES = frozenset({"order", "purchase", "resale", "stockpile"})
# When a sentence holds several triggers, the most specific reading wins: a licence to buy is an
# authorization, a purchase from a company that is not a chip maker is a resale.
PRIORITY = (
    "authorization", "restriction", "resale", "smuggling", "dismantling", "stockpile", "order", "purchase",
    "production",
)  # fmt: skip
MAKERS = frozenset({"chipmaker", "foundry"})
# Below this, a money figure is the price of one chip or card ("entre 12 000 et 13 000 dollars").
MIN_TRADE_AMOUNT = Decimal(100_000)
WINDOW = 80  # characters read before a trigger or a figure for its cues


@dataclass(frozen=True, slots=True)
class Party:
    """A company named in the sentence and what the sentence makes of it."""

    name: str
    start: int
    end: int
    role: str
    bystander: bool  # a platform ("sur WeChat") or a source ("selon Nvidia"): never buyer nor seller


@dataclass(frozen=True, slots=True)
class Figure:
    """A trade figure of the sentence: its index in the result, value and place."""

    index: int
    value: Decimal
    currency: str
    start: int
    end: int


@dataclass(slots=True)
class Facts:
    """What one sentence says, read once: offsets are into the sentence."""

    text: str  # matching copy: same length as the sentence
    kind: str
    triggers: list[Trigger]
    loss: bool = False  # "manque à gagner", "trou de trésorerie"
    habitual: bool = False  # "souvent", "chaque année"
    parties: list[Party] = field(default_factory=list)
    chips: list[tuple[str, int, int]] = field(default_factory=list)  # (canonical name, start, end)
    amounts: list[Figure] = field(default_factory=list)
    quantities: list[Figure] = field(default_factory=list)
    multipliers: list[Figure] = field(default_factory=list)  # "quatre fois ce montant": value = factor
    dates: list[FigureFound] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    _chip_word: bool | None = None

    @property
    def has_figure(self) -> bool:
        return bool(self.amounts or self.quantities or self.multipliers)

    @property
    def about_chips(self) -> bool:
        """Whether the sentence names a chip or speaks of chips ("puces", "GPU", "accélérateurs")."""
        if self._chip_word is None:
            self._chip_word = bool(self.chips) or lex.CHIP_WORD.search(self.text) is not None
        return self._chip_word


def read_facts(
    text: str,
    kind: str,
    figures: Sequence[tuple[int, FigureFound]],
    mentions: Sequence[MentionFound],
    gazetteer: Gazetteer,
) -> Facts:
    """The facts of one sentence; figures are (result index, figure) with offsets into text."""
    copy = lex.matching_copy(text)
    found = lex.find_triggers(copy)
    cues = {t.type for t in found}
    triggers = [t for t in found if t.type not in (lex.LOSS, lex.HABITUAL)]
    facts = Facts(copy, kind, triggers, lex.LOSS in cues, lex.HABITUAL in cues)
    for mention in mentions:
        if mention.kind == COMPANY:
            role = company_role(mention.name, gazetteer)
            bystander = _bystander(copy, mention, role)
            facts.parties.append(Party(mention.name, mention.start, mention.end, role, bystander))
        elif mention.kind == CHIP:
            facts.chips.append((mention.name, mention.start, mention.end))
        else:
            facts.authorities.append(mention.name)
    for index, figure in figures:
        _sort_figure(facts, index, figure)
    return facts


def _bystander(text: str, mention: MentionFound, role: str) -> bool:
    """A source ("selon Nvidia") or, for a company that is not a maker, a platform ("sur WeChat")."""
    start = mention.start
    near = text[max(0, start - 60) : start].lower()
    if any(cue in near[-30:] for cue in lex.SOURCE_CUES) and lex.SOURCE_BEFORE.search(
        text, max(0, start - 30), start
    ):
        return True
    if role in MAKERS:
        return False  # "reposent sur SMIC": a foundry is never a platform
    if any(cue in near for cue in lex.PLATFORM_CUES) and lex.PLATFORM_BEFORE.search(
        text, max(0, start - 60), start
    ):
        return True
    if near[-5:].rstrip().endswith(("de", "d'", "du", "chez")) and lex.RELATION_BEFORE.search(
        text, max(0, start - 40), start
    ):
        return True  # "Baidu, concurrent de ByteDance", "un employé de Baidu": named, not buying
    return lex.PLATFORM_AFTER.match(text, mention.end) is not None


def _sort_figure(facts: Facts, index: int, figure: FigureFound) -> None:
    text = facts.text
    if figure.kind == DATE:
        facts.dates.append(figure)
    elif figure.value is None:
        return
    elif figure.kind == MONEY and _is_trade_money(text, figure):
        facts.amounts.append(Figure(index, figure.value, figure.unit, figure.start, figure.end))
    elif figure.kind == QUANTITY and not lex.CONFIGURATION_BEFORE.search(
        text, max(0, figure.start - 40), figure.start
    ):
        facts.quantities.append(Figure(index, figure.value, "", figure.start, figure.end))
    elif figure.kind == MULTIPLIER and (
        lex.SAME_AMOUNT.match(text, figure.end) or "montant" in figure.surface.lower()
    ):
        facts.multipliers.append(Figure(index, figure.value, "", figure.start, figure.end))


def _is_trade_money(text: str, figure: FigureFound) -> bool:
    """Whether a money figure can be the value of a trade (not a conversion, a price or a company's worth)."""
    if figure.conversion_of is not None or figure.value < MIN_TRADE_AMOUNT:
        return False
    if lex.NOT_TRADE_MONEY_BEFORE.search(text, max(0, figure.start - WINDOW), figure.start):
        return False
    return lex.NOT_TRADE_MONEY_AFTER.match(text, figure.end) is None


# --- which triggers stand --------------------------------------------------------------------------


def standing_triggers(facts: Facts) -> list[Trigger]:
    """Triggers that announce news in this sentence, background and unsupported ones left out."""
    return [trigger for trigger in facts.triggers if _stands(facts, trigger)]


def _stands(facts: Facts, trigger: Trigger) -> bool:
    text, kind = facts.text, trigger.type
    if kind in TRADE_TYPES:
        if facts.habitual or _negated(text, trigger):
            return False
        if trigger.form in (NOUN, NEEDS_FIGURE, SALE) and not facts.has_figure:
            return False
        return not (kind == "stockpile" and _sellers_stock(facts, trigger))
    if kind in ("restriction", "authorization"):
        return _ruling_stands(facts, trigger)
    if kind == "production":
        return _production_stands(facts, trigger)
    return not _negated(text, trigger)


def _sellers_stock(facts: Facts, trigger: Trigger) -> bool:
    """ "les stocks disponibles de Nvidia", "les stocks de Nvidia": the maker's inventory, not a stockpile."""
    if lex.AVAILABLE_STOCK.match(facts.text, trigger.start):
        return True
    if trigger.form != NOUN:
        return False
    for party in facts.parties:
        if party.role in MAKERS and trigger.end <= party.start <= trigger.end + 25:
            return lex.OF_SELLER.fullmatch(facts.text, trigger.end, party.start) is not None
    return False


def _clause_start(text: str, position: int) -> int:
    """Start of the clause holding position: after the last comma, semicolon, colon or bracket."""
    mark = lex.LAST_CLAUSE_MARK.search(text, max(0, position - WINDOW), position)
    return mark.end() if mark else max(position - WINDOW, 0)


def _negated(text: str, trigger: Trigger) -> bool:
    return lex.NEGATION.search(text, _clause_start(text, trigger.start), trigger.start) is not None


def _ruling_stands(facts: Facts, trigger: Trigger) -> bool:
    """A ban or a licence is news when stated with what it bears on, not as the backdrop of a sentence."""
    text = facts.text
    if not facts.about_chips:
        return False  # a ban on gallium or on investments: its own sentence must be about chips
    if lex.BACKGROUND.search(text, _clause_start(text, trigger.start), trigger.start):
        return False
    if trigger.form == NEEDS_OBJECT:
        bears_on = lex.TRADE_OBJECT.match(text, trigger.end)
        if bears_on is None:
            return False
        if not lex.TRADE_WORD.search(bears_on.group()) and not facts.authorities:
            return False  # "suspendu la production de la puce": a company's choice, not a ban
    if trigger.form == NOUN:
        told_before = lex.ANAPHORIC_DETERMINER.search(text, max(0, trigger.start - 30), trigger.start)
        if told_before and not facts.has_figure:
            return False  # "ces restrictions" without news
        imposed = lex.IMPOSITION.search(text, max(0, trigger.start - 40), trigger.start)
        if not (imposed or lex.TRADE_COMPLEMENT.match(text, trigger.end)):
            return False
        if not (facts.parties or facts.authorities or facts.dates or facts.has_figure):
            return False  # "les critères d'approbation des puces": no one bans or allows anything
    # A ban on investments is not a ban on chips.
    return not (trigger.type == "restriction" and lex.INVESTMENT.search(text, trigger.end, trigger.end + 100))


def _production_stands(facts: Facts, trigger: Trigger) -> bool:
    """Production is news when a foundry makes a named chip, a chip enters production, or a volume is told."""
    if _negated(facts.text, trigger):
        return False
    foundry = any(
        p.role == "foundry" and not p.bystander and not lex.EXAMPLE_BEFORE.search(facts.text, 0, p.start)
        for p in facts.parties
    )  # "les fabricants tels que TSMC": a kind of company, not the one that makes these chips
    if foundry and (facts.chips or (trigger.form == VERB and facts.about_chips)):
        return True  # "puces Ascend 910C gravées par SMIC", "s'appuie sur SMIC pour fabriquer ses puces"
    started = "production" in facts.text[trigger.start : trigger.end].lower() and trigger.form == VERB
    if started and facts.about_chips:
        return True
    return trigger.form == VERB and bool(facts.quantities)


def loss_of_ban(facts: Facts) -> bool:
    """A trade amount lost to a ban the same sentence names, even in passing ("après l'interdiction")."""
    return facts.loss and bool(facts.amounts) and any(t.type == "restriction" for t in facts.triggers)


def choose_type(triggers: list[Trigger]) -> str:
    return min((t.type for t in triggers), key=PRIORITY.index)


def has_verb(triggers: list[Trigger]) -> bool:
    return any(t.form in (VERB, NEEDS_OBJECT) for t in triggers)


@dataclass(frozen=True, slots=True)
class Slot:
    """One event to build from a sentence: its scope, amount and where its buyers come from."""

    start: int
    end: int
    amount: Figure | None
    owner: Party | None = None
    from_context: bool = False


def slots(facts: Facts, before: Figure | None, trigger_at: int, *, split: bool) -> list[Slot]:
    """One slot per amount stated for a different thing, else one slot for the sentence.

    "quatre fois ce montant" multiplies the last amount before it, in the sentence or, as `before`,
    earlier in the paragraph; the product is an event of its own, whose parties are the paragraph's.
    """
    whole = (0, len(facts.text))
    amounts = _distinct(facts.amounts)
    if split and facts.multipliers:
        multiplier = facts.multipliers[0]
        base = next((a for a in reversed(amounts) if a.start < multiplier.start), before)
        if base is not None:
            value = base.value * multiplier.value
            derived = Figure(multiplier.index, value, base.currency, multiplier.start, multiplier.end)
            own = [Slot(*whole, amount)] if (amount := next(iter(amounts), None)) else []
            return [*own, Slot(*whole, derived, from_context=True)]
    if split and len(amounts) > 1:
        owners = [owner_of(facts, amount) for amount in amounts]
        names = {owner.name for owner in owners if owner is not None}
        if len(names) == len(amounts):
            return [
                Slot(*clause_bounds(facts.text, amount.start), amount, owner)
                for amount, owner in zip(amounts, owners, strict=True)
            ]
    # One amount for the sentence: the one stated nearest to what happens ("dont 90 milliards pour l'achat").
    near = min(amounts, key=lambda amount: abs(amount.start - trigger_at), default=None)
    return [Slot(*whole, near)]


def _distinct(amounts: list[Figure]) -> list[Figure]:
    kept: list[Figure] = []
    for amount in amounts:
        if not any(abs(amount.value - other.value) <= Decimal("0.005") * other.value for other in kept):
            kept.append(amount)
    return kept


# --- parties ---------------------------------------------------------------------------------------


def buyers_in(
    facts: Facts, start: int, end: int, exclude: set[str], *, complements: bool = True
) -> list[str]:
    """Companies that may buy, named between start and end: not makers, platforms, sources or sellers.

    Without complements, a company introduced by "de" ("l'entraînement de DeepSeek") is left out too:
    a ban names the companies it bears on directly ("interdit à ByteDance").
    """
    names: list[str] = []
    for party in facts.parties:
        if not (start <= party.start < end) or party.bystander or party.role in MAKERS:
            continue
        if not complements and lex.COMPLEMENT_BEFORE.search(facts.text, max(0, party.start - 5), party.start):
            continue
        if party.name not in exclude and party.name not in names:
            names.append(party.name)
    return names


def resale_seller(facts: Facts, after: int) -> str | None:
    """A company that is not a chip maker, named as the source after a purchase ("acquis … de ByteDance")."""
    for party in facts.parties:
        if party.start < after or party.bystander or party.role in MAKERS:
            continue
        if lex.SELLER_BEFORE.search(facts.text, max(0, party.start - 12), party.start):
            return party.name
    return None


def subject_seller(facts: Facts, trigger: Trigger) -> str | None:
    """The company that sells on, named as the subject of "revendre" / "vendre" ("ByteDance a revendu")."""
    before = [p for p in facts.parties if p.start < trigger.start and not p.bystander]
    return before[-1].name if before and before[-1].role not in MAKERS else None


def makers_in(facts: Facts, start: int, end: int, roles: str | frozenset[str] = "chipmaker") -> list[str]:
    """Companies of the given role(s) named between start and end, in order."""
    wanted = {roles} if isinstance(roles, str) else roles
    return [p.name for p in facts.parties if start <= p.start < end and p.role in wanted and not p.bystander]


def chip_near(facts: Facts, start: int, end: int, anchor: int) -> str | None:
    """The chip named in [start, end) closest to anchor, one after it preferred on a tie."""
    chips = [(name, s) for name, s, _ in facts.chips if start <= s < end]
    if not chips:
        return None
    return min(chips, key=lambda chip: (abs(chip[1] - anchor), chip[1] < anchor))[0]


def maker_fits(chip: str | None, seller: str | None, gazetteer: Gazetteer) -> bool:
    """Whether a chip carried over from context can belong to this event's seller."""
    if chip is None or seller is None or company_role(seller, gazetteer) != "chipmaker":
        return True
    maker = chip_maker(chip, gazetteer)
    return maker is None or maker == seller


def owner_of(facts: Facts, figure: Figure) -> Party | None:
    """The company named in the same clause as a figure, the nearest one."""
    start, end = clause_bounds(facts.text, figure.start)
    near = [p for p in facts.parties if start <= p.start < end and not p.bystander]
    return min(near, key=lambda p: abs(p.start - figure.start)) if near else None


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    """The clause around position, cut at brackets, semicolons, colons and spaced dashes."""
    start = 0
    for match in lex.CLAUSE_BREAK.finditer(text):
        if match.end() <= position:
            start = match.end()
        else:
            return start, match.start()
    return start, len(text)


def period_of(facts: Facts, start: int, end: int, anchor: int) -> FigureFound | None:
    """The date the event concerns: the nearest after its figure or trigger, else the nearest before."""
    dates = [d for d in facts.dates if start <= d.start < end]
    after = [d for d in dates if d.start >= anchor]
    if after:
        return min(after, key=lambda d: d.start)
    before = [d for d in dates if d.start < anchor]
    return max(before, key=lambda d: d.start) if before else None


def definite_chip_noun(text: str) -> bool:
    """Whether text speaks of chips named before: "les GPU", "ces puces"."""
    return lex.DEFINITE_CHIP.search(text) is not None

"""Find chip-trade events (GUIDELINES.md, "Events") in an article, sentence by sentence.

Trigger lexicons (events_lexicon.py) say what may have happened; role patterns, gazetteer mentions and
figure slots (events_rules.py) say between whom, on which chip, for how much and when. What a sentence
leaves out is read from its paragraph, as the press writes it: "Ces autorisations…" are the ones just
granted to the companies named before, "quatre fois ce montant" multiplies the last amount, "Deux employés"
work for the company of the previous sentence, "Les GPU ont été achetés par Tencent" are the GPUs a
company was just said to hold.

Precision matters as much as recall, so a trigger is not an event when it is the backdrop of a sentence
("malgré les restrictions"), a restatement without news ("ces autorisations", an export ban told twice),
a habit ("passant souvent commande"), or when no chip is in sight. Headings fire only with a verb and named
buyers ("La Chine autorise Alibaba… à acheter…"), not as noun phrases ("Démantèlement de cartes").

Conventions: buyers and seller are canonical company names; for production the seller is the foundry and
the buyer the chip's maker. An event computed from "N fois ce montant" points its amount_figure at the
multiplier figure. A party that denies the report ("ByteDance a nié") makes the events told before that it
is a party to "denied". A later sentence naming the chip of purchases told before ("les achats de GPU
concernent les puces A800"), or the body's first chip for a title, fills the chip those events left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from articles.extraction import events_lexicon as lex
from articles.extraction import events_rules as rules
from articles.extraction.events_rules import Facts, Figure
from articles.extraction.mentions import chip_maker
from articles.extraction.types import DENIED, REPORTED, EventFound, FigureFound, Gazetteer, MentionFound

HEADLINES = frozenset({"title", "heading"})


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One segment as the event rules see it: offsets of its figures and mentions are into text."""

    index: int
    text: str
    kind: str  # segment kind: title, heading, sentence, bullet, boilerplate
    paragraph: int
    figures: tuple[tuple[int, FigureFound], ...] = ()  # (index in the extraction result, figure)
    mentions: tuple[MentionFound, ...] = ()


@dataclass(slots=True)
class _Draft:
    """An event being built: later sentences may still deny it, name its chip or absorb it."""

    sentence: int
    type: str
    buyers: list[str]
    seller: str | None = None
    chip: str | None = None
    quantity: Figure | None = None
    amount: Figure | None = None
    currency: str = ""
    period: FigureFound | None = None
    status: str = REPORTED
    text: str = ""
    kind: str = ""
    authority: str | None = None  # the government the sentence names, to tell two bans apart

    @property
    def has_figure(self) -> bool:
        return self.quantity is not None or self.amount is not None


@dataclass(slots=True)
class _Context:
    """What the current paragraph has said so far."""

    paragraph: int = -1
    buyers: list[str] = field(default_factory=list)
    chip: str | None = None
    chipmaker: str | None = None
    amount: Figure | None = None
    holder: str | None = None  # the company said to hold chips, a seller if another one buys "the GPUs"
    holder_chip: str | None = None
    had_event: bool = False
    last_type: str = ""
    absorbed: _Draft | None = None  # a ban without figures that this sentence's loss figure completes


def find_events(sentences: Sequence[SentenceView], gazetteer: Gazetteer) -> list[EventFound]:
    """Events of an article, in sentence order."""
    drafts: list[_Draft] = []
    context = _Context()
    body_chips: list[str] = []
    for view in sentences:
        if view.kind == "boilerplate":
            continue
        if view.paragraph != context.paragraph:
            context = _Context(paragraph=view.paragraph)
        facts = rules.read_facts(view.text, view.kind, view.figures, view.mentions, gazetteer)
        if view.kind != "title":
            body_chips.extend(name for name, _, _ in facts.chips)
        new = _sentence_events(view, facts, context, drafts, gazetteer)
        _note_denial(facts, view.index, drafts, new)
        _note_chip_identity(facts, drafts)
        drafts.extend(new)
        _update_context(context, facts, new)
    _fill_headline_chips(drafts, body_chips)
    _fill_card_chips(drafts, body_chips)
    return [_event(draft) for draft in drafts]


def _sentence_events(
    view: SentenceView, facts: Facts, context: _Context, drafts: list[_Draft], gazetteer: Gazetteer
) -> list[_Draft]:
    triggers = rules.standing_triggers(facts)
    absorbed = _ban_to_complete(facts, view.index, drafts)
    continued = bool(facts.multipliers and context.last_type and context.amount)
    if not triggers and absorbed is None and not continued and not rules.loss_of_ban(facts):
        return []
    if view.kind in HEADLINES and not (
        rules.has_verb(triggers) and rules.buyers_in(facts, 0, len(facts.text), set())
    ):
        return []
    # An event is about chips: named here, or the sentence goes on spending for the chips of the one
    # before ("… alors 5 milliards de dollars sont ce qu'elles sont prêtes à dépenser").
    goes_on = context.had_event and (
        continued or any("dépens" in facts.text[t.start : t.end] for t in triggers)
    )
    if not (facts.about_chips or goes_on or absorbed):
        return []
    if absorbed is not None:
        drafts.remove(absorbed)
        kind, seller = "restriction", absorbed.seller
    elif rules.loss_of_ban(facts):
        kind, seller = "restriction", None  # "… après l'interdiction du H20, une charge de 5,5 milliards"
    elif triggers:
        kind, seller = _refine_type(facts, triggers, context)
    else:
        kind, seller = context.last_type, None  # "… trois fois ce montant": the story goes on
    context.absorbed = absorbed
    first = min((t.start for t in triggers), default=0)
    if kind == "restriction" and not facts.loss:
        facts.amounts = []  # a ban has no amount of its own; money in its sentence is about something else
    new = [
        _draft(view, facts, slot, kind, first, context, seller, gazetteer)
        for slot in rules.slots(facts, context.amount, first, split=kind != "production")
    ]
    return [draft for draft in new if not _restates(draft, drafts)]


def _refine_type(facts: Facts, triggers, context: _Context) -> tuple[str, str | None]:
    """The event type, and the seller when the type was decided by who sells."""
    kind = rules.choose_type(triggers)
    first = next(t for t in triggers if t.type == kind)
    if kind == "resale":
        return kind, rules.subject_seller(facts, first) or rules.resale_seller(facts, first.start)
    if kind in ("order", "purchase") and _made_to_order(facts, first):
        return "production", None  # a chip maker orders from a foundry
    if kind != "purchase":
        return kind, None
    if lex.FUTURE_DELIVERY.search(facts.text) or (first.form != lex.SALE and _planned(facts.text, first)):
        return "order", None  # bought for a later delivery, or planned: an order
    if first.form == lex.SALE:
        # A sale by a company that does not make the chips is a resale; "à X" names the buyer.
        seller = rules.subject_seller(facts, first)
        return ("resale", seller) if seller else (kind, None)
    if seller := rules.resale_seller(facts, first.start):
        return "resale", seller  # "acquis … de ByteDance"
    if _from_holder(facts, context):
        return "resale", context.holder
    return kind, None


def _planned(text: str, trigger) -> bool:
    return bool(
        lex.INTENTION.search(text, max(0, trigger.start - 30), trigger.start)
        or lex.INTENTION.match(text, trigger.start)
        or lex.SPEND_PLAN.search(text)
    )


def _made_to_order(facts: Facts, trigger) -> bool:
    """Whether a chip maker named before the trigger buys from a foundry named after it."""
    before = rules.makers_in(facts, 0, trigger.start)
    return bool(before) and bool(rules.makers_in(facts, trigger.end, len(facts.text), "foundry"))


def _from_holder(facts: Facts, context: _Context) -> bool:
    """Whether "the GPUs" bought here are the ones another company of the paragraph was said to hold."""
    if context.holder is None or not rules.definite_chip_noun(facts.text):
        return False
    buyers = rules.buyers_in(facts, 0, len(facts.text), set())
    return bool(buyers) and context.holder not in buyers and not rules.makers_in(facts, 0, len(facts.text))


def _ban_to_complete(facts: Facts, index: int, drafts: list[_Draft]) -> _Draft | None:
    """A loss figure right after a ban without figures ("cela crée un trou de … pour Nvidia") completes it.

    GUIDELINES anchor an event spread over two adjacent sentences at the one holding its figure, so the
    ban's draft moves here and gives its chip and seller.
    """
    if not facts.amounts or not facts.loss or not drafts:
        return None
    last = drafts[-1]
    if last.sentence == index - 1 and last.type == "restriction" and not last.has_figure:
        return last
    return None


def _draft(
    view: SentenceView,
    facts: Facts,
    slot: rules.Slot,
    kind: str,
    trigger_at: int,
    context: _Context,
    seller: str | None,
    gazetteer: Gazetteer,
) -> _Draft:
    quantity = next((q for q in facts.quantities if slot.start <= q.start < slot.end), None)
    anchor = (quantity or slot.amount).start if (quantity or slot.amount) else trigger_at
    seller = _seller(facts, slot, kind, trigger_at, context, seller, gazetteer)
    draft = _Draft(view.index, kind, [], seller, quantity=quantity, amount=slot.amount, text=view.text)
    draft.kind = view.kind
    draft.currency = slot.amount.currency if slot.amount else ""
    draft.chip = _chip(facts, slot, anchor, draft, context, gazetteer)
    draft.seller = draft.seller or chip_maker(draft.chip, gazetteer)
    if (
        kind == "production"
        and seller
        and any(p.name == seller and p.role == "foundry" for p in facts.parties)
    ):
        # The foundry's client: the chip's maker, else the chip maker the paragraph is about.
        maker = chip_maker(draft.chip, gazetteer) or next(
            iter(rules.makers_in(facts, 0, len(facts.text))), None
        )
        maker = maker or context.chipmaker
        draft.buyers = [maker] if maker else []
    else:
        draft.buyers = _buyers(facts, slot, kind, seller, context)
    draft.period = rules.period_of(facts, slot.start, slot.end, anchor)
    absorbed = context.absorbed
    draft.authority = facts.authorities[0] if facts.authorities else absorbed.authority if absorbed else None
    return draft


def _seller(facts, slot, kind, trigger_at, context, known, gazetteer) -> str | None:
    if slot.owner is not None and slot.owner.role in rules.MAKERS:
        return slot.owner.name
    if known:
        return known
    if kind == "resale":
        return context.holder
    if kind == "production":
        foundries = rules.makers_in(facts, slot.start, slot.end, "foundry")
        if foundries:
            return foundries[0]
    # The maker of the chip the sentence names, else a chip maker or foundry it names ("puces Nvidia").
    named = rules.chip_near(facts, slot.start, slot.end, trigger_at)
    makers = rules.makers_in(facts, slot.start, slot.end, rules.MAKERS)
    return chip_maker(named, gazetteer) or (makers[0] if makers else None) or context.chipmaker


def _chip(facts, slot, anchor, draft: _Draft, context, gazetteer) -> str | None:
    named = rules.chip_near(facts, slot.start, slot.end, anchor)
    if named:
        return named
    if context.absorbed is not None and rules.maker_fits(context.absorbed.chip, draft.seller, gazetteer):
        return context.absorbed.chip
    if draft.type == "resale" and draft.seller == context.holder and context.holder_chip:
        return context.holder_chip
    # An indefinite "des puces graphiques" is some chips; "les GPU", "Ces autorisations…" or no chip word
    # at all, the ones before.
    refers_back = (
        rules.definite_chip_noun(facts.text)
        or lex.ANAPHORIC_SUBJECT.search(facts.text)
        or not lex.CHIP_WORD.search(facts.text)
    )
    if refers_back and rules.maker_fits(context.chip, draft.seller, gazetteer):
        return context.chip
    return None


def _buyers(facts: Facts, slot: rules.Slot, kind: str, seller: str | None, context: _Context) -> list[str]:
    exclude = {seller} if seller else set()
    if slot.owner is not None:
        return [slot.owner.name] if slot.owner.role not in rules.MAKERS else []
    if slot.from_context and context.buyers:
        # "quatre fois ce montant": the clause names nobody, the parties are the paragraph's.
        return [name for name in context.buyers if name not in exclude]
    named = rules.buyers_in(facts, slot.start, slot.end, exclude, complements=kind != "restriction")
    if named or kind in ("restriction", "production") or facts.kind in HEADLINES:
        return named
    if lex.ANAPHORIC_SUBJECT.search(facts.text) and not lex.GENERIC_PARTY.search(facts.text):
        return [name for name in context.buyers if name not in exclude]
    return []


def _restates(draft: _Draft, drafts: list[_Draft]) -> bool:
    """A draft without figures nor named buyers that repeats an earlier event is a restatement."""
    if draft.has_figure or draft.buyers:
        return False
    return any(
        (d.type, d.chip, d.seller) == (draft.type, draft.chip, draft.seller)
        and (d.authority == draft.authority or None in (d.authority, draft.authority))
        for d in drafts
    )


def _note_denial(facts: Facts, index: int, drafts: list[_Draft], new: list[_Draft]) -> None:
    """A party that denies the report ("ByteDance a nié") makes the events of the story about it denied."""
    if not facts.parties or not lex.might_deny(facts.text) or not lex.DENIAL.search(facts.text):
        return
    deniers = {p.name for p in facts.parties}  # "un porte-parole de ByteDance dément": ByteDance denies
    for draft in (*drafts, *new):
        if deniers & {*draft.buyers, draft.seller} or draft.sentence == index:
            draft.status = DENIED


def _note_chip_identity(facts: Facts, drafts: list[_Draft]) -> None:
    """ "Les achats de GPU concernent les puces A800": earlier events without a chip were about the A800."""
    if not facts.chips or not lex.might_identify(facts.text):
        return
    match = lex.CHIP_IDENTIFIED.search(facts.text)
    chip = next((name for name, start, _ in facts.chips if match and start >= match.end()), None)
    if chip is None:
        return
    for draft in drafts:
        if draft.chip is None and draft.type in rules.TRADE_TYPES:
            draft.chip = chip


def _fill_headline_chips(drafts: list[_Draft], body_chips: list[str]) -> None:
    """A title summarises the article: the chip it leaves out is the first one the body names."""
    for draft in drafts:
        if draft.kind in HEADLINES and draft.chip is None and body_chips:
            draft.chip = body_chips[0]


def _fill_card_chips(drafts: list[_Draft], body_chips: list[str]) -> None:
    """Cards taken apart without a model named are the article's graphics card, its base model if it
    names a variant too ("RTX 4090 D" and "RTX 4090")."""
    cards = sorted(
        {name for name in body_chips if name.startswith(("RTX", "GeForce"))}, key=lambda n: (len(n), n)
    )
    if not cards:
        return
    for draft in drafts:
        if draft.type == "dismantling" and draft.chip is None and lex.CARD_WORD.search(draft.text):
            draft.chip = cards[0]


def _update_context(context: _Context, facts: Facts, new: list[_Draft]) -> None:
    named = rules.buyers_in(facts, 0, len(facts.text), set())
    if named:
        context.buyers = named
    if facts.chips:
        context.chip = facts.chips[-1][0]
    makers = rules.makers_in(facts, 0, len(facts.text))
    if makers:
        context.chipmaker = makers[-1]
    if facts.amounts:
        context.amount = facts.amounts[-1]
    for draft in new:
        context.chip = draft.chip or context.chip
        if draft.type == "stockpile" and len(draft.buyers) == 1:
            context.holder, context.holder_chip = draft.buyers[0], draft.chip
        elif draft.type == "resale" and draft.seller:
            context.holder, context.holder_chip = draft.seller, draft.chip or context.holder_chip
        if draft.amount is not None:
            context.amount = draft.amount
        context.last_type = draft.type
    context.had_event = bool(new)
    context.absorbed = None


def _event(draft: _Draft) -> EventFound:
    period = draft.period
    return EventFound(
        sentence_index=draft.sentence,
        type=draft.type,
        buyers=tuple(draft.buyers),
        seller=draft.seller,
        chip=draft.chip,
        quantity=draft.quantity.value if draft.quantity else None,
        quantity_figure=draft.quantity.index if draft.quantity else None,
        amount=draft.amount.value if draft.amount else None,
        amount_figure=draft.amount.index if draft.amount else None,
        currency=draft.currency,
        period=(period.value_text or period.surface) if period else "",
        period_surface=period.surface if period else "",
        status=draft.status,
    )

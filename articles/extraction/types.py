"""The plain data that goes into and comes out of extraction.

Everything is a frozen dataclass so results can be compared, cached and passed between processes; offsets
are code-point indices. The gazetteer is passed in (the app builds it from the database, where editors keep
it), so the pipeline never reads a database itself.
"""

from dataclasses import dataclass
from decimal import Decimal

# Figure kinds: the first three are the figures of GUIDELINES.md; the others are kept for periods and context.
MONEY, QUANTITY, PERCENT = "money", "quantity", "percent"
DATE, DURATION, MULTIPLIER, COUNT = "date", "duration", "multiplier", "count"
FIGURE_KINDS = (MONEY, QUANTITY, PERCENT, DATE, DURATION, MULTIPLIER, COUNT)

QUALIFIERS = ("exact", "approx", "at_least", "more_than", "less_than", "at_most", "range", "vague")

EVENT_TYPES = (
    "order", "purchase", "stockpile", "resale", "authorization", "restriction", "smuggling", "production",
    "dismantling",
)  # fmt: skip
REPORTED, DENIED = "reported", "denied"

COMPANY, CHIP, AUTHORITY = "company", "chip", "authority"


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One company or chip: its canonical name and the other ways the press writes it."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str = ""  # companies: "tech", "chipmaker", "foundry" or "other"
    maker: str | None = None  # chips: canonical name of the company that designs it


@dataclass(frozen=True, slots=True)
class Gazetteer:
    companies: tuple[GazetteerEntry, ...] = ()
    chips: tuple[GazetteerEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class FigureFound:
    """A number the text states, with what it counts and how sure the text is of it."""

    start: int
    end: int
    surface: str  # the words as written, qualifier included: "environ 700 millions de dollars"
    kind: str  # one of FIGURE_KINDS
    value: Decimal | None  # in base units (1 milliard = 1000000000); None for dates and vague amounts
    value_max: Decimal | None  # high bound of a range
    unit: str  # ISO 4217 code for money, "unit" for hardware, "percent", "date", "months", "years", …
    qualifier: str  # one of QUALIFIERS
    value_text: str = ""  # dates: "2023-08-09", "2023-08", "2025-Q1", "2024"; empty when unresolved
    conversion_of: int | None = None  # index, in the same result, of the figure this one converts
    sentence_index: int = -1  # set by the pipeline


@dataclass(frozen=True, slots=True)
class MentionFound:
    """A company, chip or authority named in the text (by name, alias, typo or descriptor)."""

    start: int
    end: int
    surface: str
    kind: str  # COMPANY, CHIP or AUTHORITY
    name: str  # canonical name ("ByteDance", "A800", "Chine", "États-Unis")
    sentence_index: int = -1


@dataclass(frozen=True, slots=True)
class EventFound:
    """Something reported to happen to AI chips between parties, anchored at the sentence of its figure."""

    sentence_index: int
    type: str  # one of EVENT_TYPES
    buyers: tuple[str, ...] = ()
    seller: str | None = None
    chip: str | None = None
    quantity: Decimal | None = None
    quantity_figure: int | None = None  # index into ExtractionResult.figures
    amount: Decimal | None = None
    amount_figure: int | None = None
    currency: str = ""
    period: str = ""  # resolved when possible ("2024", "2025-Q1"), else as written
    period_surface: str = ""
    status: str = REPORTED


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    figures: tuple[FigureFound, ...] = ()  # offsets into the article body
    mentions: tuple[MentionFound, ...] = ()
    events: tuple[EventFound, ...] = ()

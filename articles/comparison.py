"""Reports of the same deal from several articles, grouped so that readers can compare the sources.

Two events report the same deal when they name the same set of buyers, the same chip (or both name none), the
same family of deal (an order and a purchase are one deal told two ways; stockpiles, resales and
authorizations are each their own family) and compatible periods. An event with neither buyers nor chip
names no deal and is never grouped, nor are restrictions, production and teardowns, which are no deal.

Periods: "2024", "2024-H1", "2024-Q1", "2024-03", "2024-03-15" and "2023/2024" are read as date ranges; two
periods are compatible when equal or when one contains the other ("2024" contains "2024-Q1"). Every member of
a group must be compatible with every other, so "2024-Q1" and "2024-Q2" stay apart even though "2024" holds
both; the coarse "2024" joins the first of them. A period the extraction could not resolve ("cette année") is
treated as missing. A report without a period joins a group only when everything else matches and exactly
one dated group exists for that deal (or none: undated reports then form their own group); the group then
says that some sources give no period. With several dated groups it could be any of them, so it stays out.

Disagreement is judged between sources from different articles, on intervals that take the qualifiers into
account: "plus de 100 000" is [100 000, ∞) and agrees with "100 000"; "environ 70 000" is ±10 % and
disagrees with "100 000". Amounts are compared in US dollars with a 10 % tolerance, because each source (or
our yearly average rate) converts at its own rate.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.models import Figure, PurchaseEvent, Qualifier

APPROX_MARGIN = Decimal("0.10")
AMOUNT_TOLERANCE = Decimal("0.10")
# An order and a purchase of the same chips are the same deal reported at two moments.
FAMILIES = {"order": "acquisition", "purchase": "acquisition"}
NOT_DEALS = {"restriction", "production", "dismantling"}
FAMILY_LABELS = {"acquisition": _("commande ou achat")} | dict(PurchaseEvent.Type.choices)

_PERIOD_RX = re.compile(
    r"^(?P<year>\d{4})(?:/(?P<year2>\d{4})|-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|"
    r"(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$"
)


@dataclass(frozen=True)
class Span:
    """A reported number as the interval it allows; `high` is None when it has no upper bound."""

    low: Decimal
    high: Decimal | None

    def scaled(self, factor: Decimal) -> "Span":
        return Span(self.low * factor, None if self.high is None else self.high * factor)

    def agrees_with(self, other: "Span", tolerance: Decimal = Decimal(0)) -> bool:
        """True when the two intervals meet once each lower bound is lowered by `tolerance`."""
        margin = 1 - tolerance
        below_other = other.high is None or self.low * margin <= other.high
        below_self = self.high is None or other.low * margin <= self.high
        return below_other and below_self


@dataclass(frozen=True)
class Report:
    """What one event says about a deal, reduced to what the grouping and the comparison need."""

    event_id: int
    article_id: int
    type: str
    buyers: frozenset[str]
    chip: str
    period: str = ""
    quantity: Span | None = None
    amount_usd: Span | None = None
    denied: bool = False
    event: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DealGroup:
    """Reports of one deal; a comparison when they come from at least two articles."""

    buyers: frozenset[str]
    chip: str
    family: str
    reports: tuple[Report, ...]

    @property
    def buyer_list(self) -> list[str]:
        return sorted(self.buyers)

    @property
    def is_comparison(self) -> bool:
        return len({report.article_id for report in self.reports}) >= 2

    @property
    def period(self) -> str:
        """The widest resolved period of the group, "" when no source resolves one."""
        dated = [report.period for report in self.reports if period_range(report.period)]
        return min(dated, key=period_sort_key) if dated else ""

    @property
    def period_missing(self) -> bool:
        return any(period_range(report.period) is None for report in self.reports)

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(self.family, self.family)

    @property
    def quantities_disagree(self) -> bool:
        return _sources_disagree(self.reports, "quantity", Decimal(0))

    @property
    def amounts_disagree(self) -> bool:
        return _sources_disagree(self.reports, "amount_usd", AMOUNT_TOLERANCE)

    @property
    def denied(self) -> bool:
        return any(report.denied for report in self.reports)

    @property
    def anchor(self) -> str:
        """A readable fragment id, the same on /comparaison/ and on the article pages that link to it."""
        parts = [
            self.family,
            self.chip or "puce-non-precisee",
            *sorted(self.buyers),
            self.period or "sans-date",
        ]
        return "accord-" + slugify("-".join(parts))

    @property
    def events(self) -> list:
        return [report.event for report in self.reports]


def _sources_disagree(reports, attribute: str, tolerance: Decimal) -> bool:
    for first, second in combinations(reports, 2):
        spans = getattr(first, attribute), getattr(second, attribute)
        if first.article_id == second.article_id or None in spans:
            continue
        if not spans[0].agrees_with(spans[1], tolerance):
            return True
    return False


def span_of(value: Decimal | None, value_max: Decimal | None = None, qualifier: str = "exact") -> Span | None:
    """The interval a figure allows given its qualifier: "environ" ±10 %, "plus de" has no upper bound…"""
    if value is None:
        return None
    if value_max is not None:
        return Span(min(value, value_max), max(value, value_max))
    if qualifier in (Qualifier.APPROX, Qualifier.VAGUE):
        return Span(value * (1 - APPROX_MARGIN), value * (1 + APPROX_MARGIN))
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return Span(value, None)
    if qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN):
        return Span(Decimal(0), value)
    return Span(value, value)


def period_range(text: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a resolved period covers; None for a missing or unresolved one."""
    match = _PERIOD_RX.match(text or "")
    if match is None:
        return None
    year = int(match["year"])
    try:
        if match["year2"]:
            return datetime.date(year, 1, 1), datetime.date(int(match["year2"]), 12, 31)
        if match["half"] or match["quarter"]:
            months = 6 if match["half"] else 3
            first = (int((match["half"] or match["quarter"])[1]) - 1) * months + 1
            return datetime.date(year, first, 1), _month_end(year, first + months - 1)
        if match["day"]:
            day = datetime.date(year, int(match["month"]), int(match["day"]))
            return day, day
        if match["month"]:
            month = int(match["month"])
            return datetime.date(year, month, 1), _month_end(year, month)
    except ValueError:  # "2024-13" or "2024-02-30": not a period
        return None
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_sort_key(text: str) -> tuple:
    """Widest period first, then chronological: the order in which groups are seeded."""
    first, last = period_range(text)
    return (-(last - first).days, first, text)


def periods_compatible(first: str, second: str) -> bool:
    """Equal periods, or one inside the other."""
    a, b = period_range(first), period_range(second)
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def deal_key(report: Report) -> tuple | None:
    # Export rules, chip production and teardown are no company's deal: different articles saying "the
    # H20 is restricted" report different measures, and grouping them would invent a disagreement.
    if report.type in NOT_DEALS or (not report.buyers and not report.chip):
        return None
    return report.buyers, report.chip, FAMILIES.get(report.type, report.type)


def group_reports(reports) -> list[DealGroup]:
    """Every deal group, in a stable order (chip, buyers, family, period); single reports included."""
    reports = list(reports)
    by_key = defaultdict(list)
    for report in reports:
        key = deal_key(report)
        if key is not None:
            by_key[key].append(report)
    # Sources keep the order they were given in (the loaders give oldest article first).
    position = {report.event_id: rank for rank, report in enumerate(reports)}
    groups = [
        DealGroup(*key, reports=tuple(sorted(cluster, key=lambda report: position[report.event_id])))
        for key, members in by_key.items()
        for cluster in _clusters_by_period(members)
    ]
    return sorted(groups, key=lambda g: (g.chip.lower(), sorted(g.buyers), g.family, g.period, g.anchor))


def _clusters_by_period(members: list[Report]) -> list[list[Report]]:
    dated = sorted(
        (report for report in members if period_range(report.period)),
        key=lambda report: (period_sort_key(report.period), report.event_id),
    )
    clusters: list[list[Report]] = []
    for report in dated:
        home = next(
            (c for c in clusters if all(periods_compatible(report.period, o.period) for o in c)), None
        )
        if home is None:
            clusters.append([report])
        else:
            home.append(report)
    undated = [report for report in members if period_range(report.period) is None]
    if undated and len(clusters) <= 1:
        if not clusters:
            clusters.append([])
        clusters[0].extend(undated)
    return clusters


def comparisons(reports) -> list[DealGroup]:
    """Only the groups reported by at least two different articles."""
    return [group for group in group_reports(reports) if group.is_comparison]


# From the database: the public events, loaded in a fixed number of queries.


def report_of(event: PurchaseEvent, *, buyers: frozenset[str] | None = None) -> Report:
    """The comparison's view of an event loaded with `for_display()`; its buyers' names unless given."""
    if buyers is None:
        buyers = frozenset(company.name for company in event.buyers.all())
    return Report(
        event_id=event.pk,
        article_id=event.article_id,
        type=event.type,
        buyers=buyers,
        chip=event.chip.name if event.chip_id else "",
        period=event.period,
        quantity=_quantity_span(event),
        amount_usd=_amount_usd_span(event),
        denied=event.status == PurchaseEvent.Status.DENIED,
        event=event,
    )


def _quantity_span(event: PurchaseEvent) -> Span | None:
    figure = event.quantity_figure
    if figure is not None and figure.kind == Figure.Kind.QUANTITY and figure.value is not None:
        return span_of(figure.value, figure.value_max, figure.qualifier)
    return span_of(event.quantity)


def _amount_usd_span(event: PurchaseEvent) -> Span | None:
    figure = event.amount_figure
    # An amount worked out from another figure ("quatre fois plus") has no money figure of its own.
    if figure is not None and figure.kind == Figure.Kind.MONEY and figure.value:
        if figure.value_usd is not None:
            rate = figure.value_usd / figure.value
        elif figure.unit == "USD":
            rate = Decimal(1)
        else:  # no rate known for this currency: it cannot be compared honestly
            return None
        return span_of(figure.value, figure.value_max, figure.qualifier).scaled(rate)
    if event.amount is not None and event.currency == "USD":
        return span_of(event.amount)
    return None


def _public_events():
    oldest_first = F("article__published_on").asc(nulls_last=True)
    return PurchaseEvent.objects.for_display().order_by(oldest_first, "article_id", "sentence__index", "pk")


def comparisons_load(*, company=None, chip=None) -> list[DealGroup]:
    """The comparisons of all public events, optionally only those naming `company` (buyer or seller)
    or about `chip`."""
    events = _public_events()
    if chip is not None:  # groups never mix chips, so filtering first changes no group
        events = events.filter(chip=chip)
    groups = comparisons(report_of(event) for event in events)
    if company is not None:
        groups = [
            group for group in groups
            if company.name in group.buyers or any(event.seller_id == company.pk for event in group.events)
        ]  # fmt: skip
    return groups


def comparisons_attach(events: list[PurchaseEvent]) -> None:
    """Set `.comparison` (its group or None) and `.other_sources` (events of other articles) on each of
    an article's events (loaded with their buyers), in one query whatever the number of events."""
    for event in events:
        event.comparison, event.other_sources = None, []
    buyer_sets = {}  # frozenset of company ids -> frozenset of their names
    keys = set()
    for event in events:
        report = report_of(event)
        if deal_key(report) is not None:
            keys.add(deal_key(report))
            buyer_sets[frozenset(company.pk for company in event.buyers.all())] = report.buyers
    if not keys:
        return
    by_event = {
        report.event_id: group
        for group in comparisons(_candidate_reports(keys, buyer_sets))
        for report in group.reports
    }
    for event in events:
        group = by_event.get(event.pk)
        if group is not None:
            event.comparison = group
            event.other_sources = [e for e in group.events if e.article_id != event.article_id]


def _candidate_reports(keys: set, buyer_sets: dict) -> list[Report]:
    """The public events that could share one of `keys`: same chip, family and exact set of buyers.

    The groups of those keys come out exactly as on /comparaison/. Buyers are matched in SQL (a count of
    all buyers and a count of those in each wanted set) rather than prefetched, to stay at one query.
    """
    families = {family for _buyers, _chip, family in keys}
    types = [value for value in PurchaseEvent.Type.values if FAMILIES.get(value, value) in families]
    chips = {chip for _buyers, chip, _family in keys}
    same_chip = Q(chip__name__in=chips - {""}) | (Q(chip__isnull=True) if "" in chips else Q(pk__in=[]))
    wanted = list(buyer_sets.items())
    counts = {f"buyers_in_{rank}": _buyer_count(ids) for rank, (ids, _names) in enumerate(wanted)}
    exact_set = Q(pk__in=[])
    for rank, (ids, _names) in enumerate(wanted):
        exact_set |= Q(buyer_total=len(ids), **{f"buyers_in_{rank}": len(ids)})
    # Before the per-row buyer counts, keep only events sharing a buyer with a wanted set (or having none
    # when a wanted set is empty): on a large archive a chip alone matches thousands of events.
    named_ids = set().union(*(ids for ids, _names in wanted))
    through = PurchaseEvent.buyers.through.objects
    shares_buyer = Q(pk__in=through.filter(company__in=named_ids).values("purchaseevent"))
    if any(not ids for ids, _names in wanted):
        shares_buyer |= ~Q(pk__in=through.values("purchaseevent"))
    candidates = (
        _public_events().prefetch_related(None).filter(same_chip, shares_buyer, type__in=types)
        .annotate(buyer_total=_buyer_count(None), **counts).filter(exact_set)
    )  # fmt: skip
    reports = []
    for event in candidates:
        rank = next(
            rank for rank, (ids, _names) in enumerate(wanted)
            if event.buyer_total == len(ids) == getattr(event, f"buyers_in_{rank}")
        )  # fmt: skip
        reports.append(report_of(event, buyers=wanted[rank][1]))
    return reports


def _buyer_count(company_ids):
    """How many buyers an event has (among `company_ids` when given), as a subquery."""
    rows = PurchaseEvent.buyers.through.objects.filter(purchaseevent=OuterRef("pk"))
    if company_ids is not None:
        rows = rows.filter(company__in=company_ids)
    counted = rows.order_by().values("purchaseevent").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)

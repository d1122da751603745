"""Read-only queries behind the company and chip pages: their events, the articles naming them, and the
figures they reported, per year and over time.

Every helper runs a fixed number of queries whatever the number of events, and shows only what readers
may see: rejected events and rejected figures are left out; denied events are listed but never summed.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Func, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext as _

from articles import charts
from articles.models import Article, Chip, Company, Figure, PurchaseEvent, Qualifier, ReviewStatus, UsdSource
from articles.templatetags.archive import figure_usd, figure_value, published_display, review_label

PUBLIC_STATUSES = [status for status in ReviewStatus.values if status != ReviewStatus.REJECTED]
# A sum of lower bounds is a lower bound; a range is summed by its low end, so it is one too.
LOWER_BOUNDS = {Qualifier.AT_LEAST, Qualifier.MORE_THAN, Qualifier.RANGE}
EXACT = {Qualifier.EXACT}
ORDINALS = {"1": "1er", "2": "2e", "3": "3e", "4": "4e"}
PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2}))(?:-(\d{2}))?)?$")


def count_distinct(queryset, column: str = "pk"):
    """A correlated COUNT(DISTINCT …) subquery: no GROUP BY, so the joins of `queryset` cannot inflate it."""
    counted = queryset.order_by().annotate(
        n=Func(F(column), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def companies_with_counts():
    """All companies with `event_count` (public events where they buy or sell) and `article_count`."""
    events = PurchaseEvent.objects.public().filter(Q(buyers=OuterRef("pk")) | Q(seller=OuterRef("pk")))
    articles = Article.objects.filter(
        Q(mentions__company=OuterRef("pk"))
        | Q(events__buyers=OuterRef("pk"), events__review_status__in=PUBLIC_STATUSES)
        | Q(events__seller=OuterRef("pk"), events__review_status__in=PUBLIC_STATUSES)
    )
    return Company.objects.annotate(
        event_count=count_distinct(events), article_count=count_distinct(articles)
    )


def chips_with_totals() -> list[Chip]:
    """All chips with `event_count`, `article_count` and `quantity_total` (a `Total` of reported units)."""
    events = PurchaseEvent.objects.public().filter(chip=OuterRef("pk"))
    articles = Article.objects.filter(
        Q(mentions__chip=OuterRef("pk"))
        | Q(events__chip=OuterRef("pk"), events__review_status__in=PUBLIC_STATUSES)
    )
    chips = list(
        Chip.objects.select_related("maker", "variant_of").annotate(
            event_count=count_distinct(events), article_count=count_distinct(articles)
        )
    )
    quantities = (
        PurchaseEvent.objects.public()
        .exclude(status=PurchaseEvent.Status.DENIED)
        .filter(
            chip__isnull=False,
            quantity_figure__kind=Figure.Kind.QUANTITY,
            quantity_figure__review_status__in=PUBLIC_STATUSES,
        )
        .select_related("quantity_figure")
    )
    totals: dict[int, Total] = {}
    seen: set[tuple[int, int]] = set()
    for event in quantities:
        figure = event.quantity_figure
        if (event.chip_id, figure.pk) not in seen and figure.value is not None:
            seen.add((event.chip_id, figure.pk))
            totals.setdefault(event.chip_id, Total()).add(figure.value, figure, event.article_id)
    for chip in chips:
        chip.quantity_total = totals.get(chip.pk, Total())
    return chips


def event_list(events) -> list[PurchaseEvent]:
    """Events ready for display, newest article first, each with `amount_shown` and `quantity_shown`."""
    ordered = events.for_display().order_by(
        F("article__published_on").desc(nulls_last=True), "article_id", "sentence__index", "pk"
    )
    rows = list(ordered)
    for event in rows:
        event.amount_shown = shown_figure(event.amount_figure, Figure.Kind.MONEY)
        event.quantity_shown = shown_figure(event.quantity_figure, Figure.Kind.QUANTITY)
        # The event's own number, shown plain only when no figure backs it: a rejected figure hides it too.
        event.amount_plain = event.amount is not None and event.amount_figure is None
        event.quantity_plain = event.quantity is not None and event.quantity_figure is None
    return rows


def shown_figure(figure: Figure | None, kind: str) -> Figure | None:
    """The figure unless an editor rejected it or it is of another kind.

    An event can stay public while one of its figures is rejected; and the extraction sometimes links a
    multiplier ("quatre fois") as an amount, which the article page does not mark, so a link would dangle.
    """
    if figure is None or figure.review_status == ReviewStatus.REJECTED or figure.kind != kind:
        return None
    return figure


def company_events(company: Company) -> list[PurchaseEvent]:
    """Public events where the company buys, stockpiles, is authorised (a buyer) or sells."""
    involved = PurchaseEvent.objects.filter(Q(buyers=company) | Q(seller=company)).values("pk")
    return event_list(PurchaseEvent.objects.filter(pk__in=involved))


def chip_events(chip: Chip) -> list[PurchaseEvent]:
    """Public events about this chip."""
    return event_list(PurchaseEvent.objects.filter(chip=chip))


def articles_about(entity: Company | Chip, events: list[PurchaseEvent]) -> list[Article]:
    """Articles naming the company or chip, or reporting one of its events, newest first.

    Each has `mention_count` and `first_index` (the first sentence naming it) so a link can go straight there.
    """
    name = "company" if isinstance(entity, Company) else "chip"
    named = Q(**{f"mentions__{name}": entity})
    mentioned = Article.objects.filter(**{f"mentions__{name}": entity}).values("pk")
    return list(
        Article.objects.filter(Q(pk__in=mentioned) | Q(pk__in={event.article_id for event in events}))
        .select_related("publication")
        .annotate(
            mention_count=Count("mentions", filter=named),
            first_index=Min("mentions__sentence__index", filter=named),
        )
        .newest_first()
    )


@dataclass
class Total:
    """A sum of reported figures that remembers whether it is exact, approximate or a lower bound."""

    value: Decimal = Decimal(0)
    figures: int = 0
    articles: set = field(default_factory=set)
    approximate: bool = False
    lower_bound: bool = False

    def add(self, value: Decimal, figure: Figure, article_id: int, *, estimate: bool = False) -> None:
        self.value += value
        self.figures += 1
        self.articles.add(article_id)
        if figure.qualifier in LOWER_BOUNDS:
            self.lower_bound = True
        elif figure.qualifier not in EXACT or estimate:
            self.approximate = True

    @property
    def sign(self) -> str:
        """The sign a total needs: "≈ " once a part is approximate or estimated, "≥ " for lower bounds."""
        if not self.figures:
            return ""
        return "≈ " if self.approximate else "≥ " if self.lower_bound else ""

    @property
    def article_count(self) -> int:
        return len(self.articles)


@dataclass
class YearTotal:
    year: int | None
    quantity: Total = field(default_factory=Total)
    amount: Total = field(default_factory=Total)
    unconverted: int = 0
    articles: set = field(default_factory=set)

    @property
    def article_count(self) -> int:
        return len(self.articles)


@dataclass(frozen=True)
class Reported:
    """One public figure of a reported (not denied) event, placed in time."""

    figure: Figure
    event: PurchaseEvent
    when: date | None
    when_text: str


def reported_figures(events: list[PurchaseEvent]) -> list[Reported]:
    """Each public figure once (several events may share one), skipping denied events."""
    seen: set[int] = set()
    reported = []
    for event in events:
        if event.status == PurchaseEvent.Status.DENIED:
            continue
        when, when_text = event_when(event)
        for figure in (event.amount_shown, event.quantity_shown):
            if figure is not None and figure.value is not None and figure.pk not in seen:
                seen.add(figure.pk)
                reported.append(Reported(figure, event, when, when_text))
    return sorted(reported, key=lambda item: (item.when or date.max, item.figure.pk))


def event_when(event: PurchaseEvent) -> tuple[date | None, str]:
    """When an event happened: its resolved period when there is one, else its article's publication date."""
    match = PERIOD.match(event.period or "")
    if match:
        year, quarter, month, day = match.groups()
        start_month = (int(quarter) - 1) * 3 + 1 if quarter else int(month or 1)
        when = date(int(year), start_month, int(day or 1))
        if quarter:
            return when, _("%(n)s trimestre %(year)s") % {"n": ORDINALS[quarter], "year": year}
        if day:
            return when, formats.date_format(when, "j F Y")
        return when, formats.date_format(when, "F Y") if month else year
    article = event.article
    if article.published_on is None:
        return None, _("date inconnue")
    return article.published_on, _("%(date)s (date de l’article)") % {"date": published_display(article)}


def yearly_totals(events: list[PurchaseEvent]) -> list[YearTotal]:
    """Quantities and dollar amounts reported per year, undated last (one deal may be reported twice)."""
    years: dict[int | None, YearTotal] = {}
    for item in reported_figures(events):
        year = item.when.year if item.when else None
        row = years.setdefault(year, YearTotal(year))
        figure = item.figure
        row.articles.add(figure.article_id)
        if figure.kind == Figure.Kind.QUANTITY:
            row.quantity.add(figure.value, figure, figure.article_id)
        elif figure.value_usd is None:
            row.unconverted += 1
        else:
            estimate = figure.usd_source == UsdSource.RATE
            row.amount.add(figure.value_usd, figure, figure.article_id, estimate=estimate)
    return sorted(years.values(), key=lambda row: (row.year is None, row.year or 0))


# A chart (and its data table) of thousands of points is unreadable and megabytes heavy: past this, the
# most recent figures are drawn and the page says how many are left out.
TIMELINE_MAX_FIGURES = 300


@dataclass
class Timeline:
    amount_svg: str
    quantity_svg: str
    rows: list[Reported]
    denied: int
    undated: int
    unconverted: int
    omitted: int = 0

    @property
    def empty(self) -> bool:
        return not (self.amount_svg or self.quantity_svg)


def event_timeline(events: list[PurchaseEvent]) -> Timeline:
    """The two charts (amounts in dollars, quantities) and the rows of their accessible data table."""
    reported = reported_figures(events)
    dated = [item for item in reported if item.when is not None]
    omitted = max(0, len(dated) - TIMELINE_MAX_FIGURES)
    if omitted:
        kept = {id(item) for item in dated[-TIMELINE_MAX_FIGURES:]}
        reported = [item for item in reported if item.when is None or id(item) in kept]
    amounts, quantities = [], []
    unconverted = 0
    for item in reported:
        if item.when is None:
            continue
        if item.figure.kind == Figure.Kind.QUANTITY:
            quantities.append(chart_point(item, item.figure.value, item.figure.value_max, charts.QUANTITY))
        elif item.figure.value_usd is None:
            unconverted += 1
        else:
            amounts.append(chart_point(item, *usd_values(item.figure), charts.AMOUNT))
    return Timeline(
        amount_svg=charts.timeline_svg(amounts, title=_("Montants rapportés"), unit=_("$ US")),
        quantity_svg=charts.timeline_svg(quantities, title=_("Quantités rapportées"), unit=_("unités")),
        rows=reported,
        denied=sum(1 for event in events if event.status == PurchaseEvent.Status.DENIED),
        undated=sum(1 for item in reported if item.when is None),
        unconverted=unconverted,
        omitted=omitted,
    )


def usd_values(figure: Figure) -> tuple[Decimal, Decimal | None]:
    """The dollar value and, for a range, its high end converted at the same rate."""
    if figure.value_max is None or not figure.value:
        return figure.value_usd, None
    return figure.value_usd, figure.value_max * figure.value_usd / figure.value


def chart_point(item: Reported, value, value_max, kind: str) -> charts.Point:
    figure = item.figure
    parts = [
        item.when_text,
        figure_value(figure),
        figure_usd(figure),
        review_label(figure),
        figure.article.title,
    ]
    return charts.Point(
        when=item.when,
        value=value,
        value_max=value_max,
        kind=kind,
        label=" · ".join(str(part) for part in parts if part),
        link=figure.get_absolute_url(),
        verified=figure.review_status == ReviewStatus.VERIFIED,
        estimate=kind == charts.AMOUNT and figure.usd_source == UsdSource.RATE,
    )

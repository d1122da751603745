"""Apply the extraction pipeline to stored articles, without ever undoing an editor's work.

A re-run is idempotent: a figure is recognised by its sentence and span, an event by its content, so
unchanged results keep their rows (and the ids that pages link to). Items an editor created, edited,
verified or rejected are never deleted, changed or duplicated; the machine only adds what is new and
drops its own stale, untouched items.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from articles.extraction.money import usd_values
from articles.extraction.pipeline import extract
from articles.extraction.segmenter import Segment
from articles.extraction.types import ExtractionResult, Gazetteer, GazetteerEntry
from articles.models import (
    Article,
    Chip,
    Company,
    ExchangeRate,
    Figure,
    Mention,
    Origin,
    PurchaseEvent,
    ReviewStatus,
)
from articles.search_sync import search_enqueue


@dataclass
class ExtractReport:
    articles: int = 0
    figures_added: int = 0
    figures_removed: int = 0
    events_added: int = 0
    events_removed: int = 0
    editorial_kept: int = 0

    def add(self, other: "ExtractReport") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def summary(self) -> str:
        return (
            f"articles {self.articles}: figures added {self.figures_added}, removed {self.figures_removed}; "
            f"events added {self.events_added}, removed {self.events_removed}; "
            f"editorial items kept {self.editorial_kept}"
        )


@dataclass(frozen=True)
class Context:
    """What every article of one run shares: the gazetteer and rates as plain data, and name lookups."""

    gazetteer: Gazetteer
    rates: dict
    companies: dict
    chips: dict

    @classmethod
    def load(cls) -> "Context":
        companies = {company.name: company for company in Company.objects.all()}
        chips = {chip.name: chip for chip in Chip.objects.select_related("maker")}
        rates = {(rate.currency, rate.year): rate.usd_per_unit for rate in ExchangeRate.objects.all()}
        return cls(gazetteer=gazetteer_from_db(), rates=rates, companies=companies, chips=chips)


def gazetteer_from_db() -> Gazetteer:
    """The editors' companies and chips, as the plain data the pipeline takes."""
    companies = tuple(
        GazetteerEntry(name=c.name, aliases=tuple(c.alias_list), role=c.role) for c in Company.objects.all()
    )
    chips = tuple(
        GazetteerEntry(name=c.name, aliases=tuple(c.alias_list), maker=c.maker.name if c.maker else None)
        for c in Chip.objects.select_related("maker")
    )
    return Gazetteer(companies=companies, chips=chips)


def articles_extract(
    *, articles: Iterable[Article], progress: Callable[[list], Iterator] | None = None
) -> ExtractReport:
    """Extract figures, mentions and events for many articles, each in its own transaction."""
    context = Context.load()
    report = ExtractReport()
    items = list(articles)
    for article in progress(items) if progress else items:
        report.add(article_extract(article, context=context))
    return report


def article_extract(article: Article, *, context: Context | None = None) -> ExtractReport:
    """Run the pipeline on one article and store its results next to what editors did."""
    context = context or Context.load()
    sentences = {sentence.index: sentence for sentence in article.sentences.all()}
    segments = [Segment(s.index, s.start, s.end, s.text, s.kind) for s in sentences.values()]
    result = extract(
        article.body,
        gazetteer=context.gazetteer,
        title=article.title,
        published=article.published_on,
        precision=article.date_precision,
        segments=segments,
    )
    report = ExtractReport(articles=1)
    with transaction.atomic():
        figure_rows = figures_store(article, result, sentences, context, report)
        events_store(article, result, sentences, figure_rows, context, report)
        mentions_store(article, result, sentences, context)
        Article.objects.filter(pk=article.pk).update(extracted_at=timezone.now())
        # bulk_create and update() send no signals: queue the article for the search index ourselves.
        search_enqueue([article.pk])
    return report


def figures_store(article, result: ExtractionResult, sentences, context: Context, report) -> dict:
    """Create the new figures, keep the unchanged and the editorial ones; return result index -> row."""
    existing = list(Figure.objects.filter(article=article).select_related("sentence"))
    editorial = {figure_key(f): f for f in existing if f.is_editorial}
    report.editorial_kept += len(editorial)
    machine = {figure_key(f): f for f in existing if not f.is_editorial}
    year = article.published_on.year if article.published_on else None
    usd = usd_values(result.figures, rates=context.rates, year=year)
    rows: dict[int, Figure] = {}
    for index, found in enumerate(result.figures):
        key = (found.sentence_index, found.start, found.end)
        if key in editorial:
            rows[index] = editorial[key]
            continue
        fields = figure_fields(found, usd[index])
        row = machine.pop(key, None)
        if row is None:
            row = Figure(article=article, sentence=sentences[found.sentence_index], **fields)
            row.save()
            report.figures_added += 1
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        rows[index] = row
    for index, found in enumerate(result.figures):
        row = rows[index]
        target = rows.get(found.conversion_of) if found.conversion_of is not None else None
        if not row.is_editorial and row.conversion_of_id != (target.pk if target else None):
            Figure.objects.filter(pk=row.pk).update(conversion_of=target)
    stale = [row.pk for row in machine.values()]
    report.figures_removed += len(stale)
    Figure.objects.filter(pk__in=stale).delete()
    return rows


def figure_key(figure: Figure) -> tuple:
    return (figure.sentence.index, figure.char_start, figure.char_end)


def figure_fields(found, usd) -> dict:
    return {
        "kind": found.kind,
        "surface": found.surface[:300],
        "char_start": found.start,
        "char_end": found.end,
        "value": found.value,
        "value_max": found.value_max,
        "value_text": found.value_text[:32],
        "unit": found.unit[:16],
        "qualifier": found.qualifier,
        "value_usd": usd.value if usd else None,
        "usd_rate": usd.rate.quantize(Decimal("1e-10")) if usd and usd.rate is not None else None,
        "usd_source": usd.source if usd else "",
    }


def events_store(article, result: ExtractionResult, sentences, figure_rows, context: Context, report) -> None:
    """Add the machine's events, keeping editors' ones; an edited event stands for the machine's original."""
    existing = list(
        PurchaseEvent.objects.filter(article=article).select_related("sentence", "seller", "chip")
        .prefetch_related("buyers")
    )  # fmt: skip
    found_by_slot, rows_by_slot = defaultdict(list), defaultdict(list)
    for found in result.events:
        found_by_slot[(found.sentence_index, found.type)].append(found)
    for row in existing:
        rows_by_slot[(row.sentence.index, row.type)].append(row)
    stale = []
    for slot in found_by_slot.keys() | rows_by_slot.keys():
        rows = rows_by_slot[slot]
        editorial = [row for row in rows if row.is_editorial]
        report.editorial_kept += len(editorial)
        untouched = {event_row_key(row): row for row in rows if not row.is_editorial}
        for found in machine_events_to_keep(found_by_slot[slot], editorial):
            kept = untouched.pop(event_found_key(found), None)
            if kept is None:
                event_create(article, found, sentences, figure_rows, context)
                report.events_added += 1
            else:
                event_relink(kept, found, figure_rows)
        stale.extend(row.pk for row in untouched.values())
    report.events_removed += len(stale)
    PurchaseEvent.objects.filter(pk__in=stale).delete()


def machine_events_to_keep(found: list, editorial: list) -> list:
    """Drop the machine's events an editor already holds: identical ones, then one per edited event."""
    editorial_keys = [event_row_key(row) for row in editorial]
    fresh = [event for event in found if event_found_key(event) not in editorial_keys]
    found_keys = {event_found_key(event) for event in found}
    corrected = sum(1 for key in editorial_keys if key not in found_keys)
    return fresh[corrected:]


def event_found_key(found) -> tuple:
    return (
        found.sentence_index, found.type, found.chip or "", normalise(found.quantity),
        normalise(found.amount), frozenset(found.buyers), found.seller or "", found.status,
    )  # fmt: skip


def event_row_key(row: PurchaseEvent) -> tuple:
    return (
        row.sentence.index, row.type, row.chip.name if row.chip else "", normalise(row.quantity),
        normalise(row.amount), frozenset(company.name for company in row.buyers.all()),
        row.seller.name if row.seller else "", row.status,
    )  # fmt: skip


def normalise(value) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def event_create(article, found, sentences, figure_rows, context: Context) -> PurchaseEvent:
    event = PurchaseEvent.objects.create(
        article=article,
        sentence=sentences[found.sentence_index],
        origin=Origin.MACHINE,
        review_status=ReviewStatus.PENDING,
        type=found.type,
        seller=context.companies.get(found.seller) if found.seller else None,
        chip=context.chips.get(found.chip) if found.chip else None,
        quantity=found.quantity,
        quantity_figure_id=figure_pk(figure_rows, found.quantity_figure),
        amount=found.amount,
        amount_figure_id=figure_pk(figure_rows, found.amount_figure),
        currency=found.currency[:3],
        period=found.period[:32],
        period_surface=found.period_surface[:200],
        status=found.status,
    )
    event.buyers.set([context.companies[name] for name in found.buyers if name in context.companies])
    return event


def event_relink(event: PurchaseEvent, found, figure_rows) -> None:
    """Point a kept event at this run's figure rows (a figure whose span moved has a new row), and take
    this run's period: a relative one ("l’an dernier") changes when the article's date is corrected."""
    links = {
        "quantity_figure_id": figure_pk(figure_rows, found.quantity_figure),
        "amount_figure_id": figure_pk(figure_rows, found.amount_figure),
        "period": found.period[:32],
        "period_surface": found.period_surface[:200],
    }
    if any(getattr(event, name) != pk for name, pk in links.items()):
        PurchaseEvent.objects.filter(pk=event.pk).update(**links)


def figure_pk(figure_rows, index: int | None) -> int | None:
    row = figure_rows.get(index) if index is not None else None
    return row.pk if row else None


def mentions_store(article, result: ExtractionResult, sentences, context: Context) -> None:
    """Mentions are the machine's alone: replace them all."""
    Mention.objects.filter(article=article).delete()
    Mention.objects.bulk_create(
        Mention(
            article=article,
            sentence=sentences[found.sentence_index],
            kind=found.kind,
            name=found.name[:120],
            surface=found.surface[:200],
            char_start=found.start,
            char_end=found.end,
            company=context.companies.get(found.name) if found.kind == "company" else None,
            chip=context.chips.get(found.name) if found.kind == "chip" else None,
        )
        for found in result.mentions
        if found.sentence_index in sentences
    )

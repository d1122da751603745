"""Figures and events as flat records, for the export commands and the downloadable tables.

The field names are a contract (shared/CONTRACTS.md): scripts and the scorer read them.
"""

import csv
import io
import json
from decimal import Decimal

from articles.models import Figure, PurchaseEvent, ReviewStatus

FIGURE_FIELDS = [
    "article_url", "article", "sentence_index", "sentence", "surface", "kind", "value", "value_max", "unit",
    "qualifier", "value_usd", "status",
]  # fmt: skip
EVENT_FIELDS = [
    "article_url", "article", "sentence_index", "sentence", "type", "buyers", "seller", "chip", "quantity",
    "amount", "currency", "period", "status", "review",
]  # fmt: skip


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: an integer when the value is whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def figure_queryset(*, include_rejected: bool = False):
    figures = Figure.objects.select_related("article", "sentence").order_by("article__slug", "char_start")
    return figures if include_rejected else figures.exclude(review_status=ReviewStatus.REJECTED)


def event_queryset(*, include_rejected: bool = False):
    events = (
        PurchaseEvent.objects.select_related("article", "sentence", "seller", "chip")
        .prefetch_related("buyers")
        .order_by("article__slug", "sentence__index", "pk")
    )
    return events if include_rejected else events.exclude(review_status=ReviewStatus.REJECTED)


def figure_record(figure: Figure) -> dict:
    return {
        "article_url": figure.article.source_url,
        "article": figure.article.slug,
        "sentence_index": figure.sentence.index,
        "sentence": figure.sentence.text,
        "surface": figure.surface,
        "kind": figure.kind,
        "value": number(figure.value),
        "value_max": number(figure.value_max),
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "value_usd": number(figure.value_usd),
        "status": figure.review_status,
    }


def event_record(event: PurchaseEvent) -> dict:
    return {
        "article_url": event.article.source_url,
        "article": event.article.slug,
        "sentence_index": event.sentence.index,
        "sentence": event.sentence.text,
        "type": event.type,
        "buyers": sorted(company.name for company in event.buyers.all()),
        "seller": event.seller.name if event.seller else None,
        "chip": event.chip.name if event.chip else None,
        "quantity": number(event.quantity),
        "amount": number(event.amount),
        "currency": event.currency or None,
        "period": event.period or event.period_surface or None,
        "status": event.status,
        "review": event.review_status,
    }


def as_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1)


def as_csv(records: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return out.getvalue()

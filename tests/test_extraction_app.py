"""Extraction in the app: on import, by command, in exports and on the article page, on a real database."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.exports import EVENT_FIELDS, FIGURE_FIELDS
from articles.models import Article, Figure, Mention, Origin, PurchaseEvent, ReviewStatus
from articles.services import articles_import
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

DEV = Path(__file__).resolve().parent / "data" / "dev"
FLOORS = {"F1": 0.97, "qual": 0.95, "strictF1": 0.80}


def command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def export(kind: str) -> list[dict]:
    return json.loads(command_output(f"export_{kind}", "--format", "json"))


@pytest.fixture
def extracted(db):
    report = articles_import(paths=[SEED_FILE])
    assert report.failed == 0 and not report.notices, report.notices
    return report


def test_import_extracts_figures_mentions_and_events(extracted):
    article = Article.objects.get(body__startswith="D'après le Financial Times")
    assert article.extracted_at is not None
    figure = Figure.objects.get(article=article, surface="environ 100 000 processeurs A800")
    assert (figure.kind, figure.value, figure.unit, figure.qualifier) == (
        "quantity",
        100000,
        "unit",
        "approx",
    )
    assert figure.sentence.index == 0
    assert article.body[figure.char_start : figure.char_end] == figure.surface
    assert Mention.objects.filter(article=article, name="ByteDance").exists()
    assert PurchaseEvent.objects.filter(article=article, chip__name="A800").exists()
    assert not Figure.objects.filter(surface__contains="A800", kind="quantity", value=800).exists()


def test_figure_export_has_the_contract_fields_as_json_numbers(extracted):
    records = export("figures")
    assert records and all(list(record) == FIGURE_FIELDS for record in records)
    money = next(r for r in records if r["surface"] == "1 milliard de dollars" and r["sentence_index"] == 0)
    assert money["value"] == 1000000000 and isinstance(money["value"], int)
    assert money["value_usd"] == 1000000000 and money["unit"] == "USD"
    decimal = next(r for r in records if r["surface"].startswith("13,7 milliards"))
    assert decimal["value"] == 13700000000


def test_event_export_has_the_contract_fields(extracted):
    records = export("events")
    assert records and all(list(record) == EVENT_FIELDS for record in records)
    assert all(isinstance(record["buyers"], list) for record in records)
    order = next(r for r in records if r["quantity"] == 70000)
    assert (order["buyers"], order["chip"], order["amount"], order["currency"]) == (
        ["ByteDance"], "A800", 700000000, "USD",
    )  # fmt: skip


def test_csv_exports_have_a_header_and_one_row_per_record(extracted):
    rows = list(csv.DictReader(io.StringIO(command_output("export_figures", "--format", "csv"))))
    assert list(rows[0]) == FIGURE_FIELDS
    assert len(rows) == Figure.objects.count()
    events = list(csv.DictReader(io.StringIO(command_output("export_events", "--format", "csv"))))
    assert len(events) == PurchaseEvent.objects.count()


def test_money_gets_dollars_from_the_article_or_from_the_rate_table(extracted):
    yuans = Figure.objects.get(surface__startswith="environ 100 milliards de yuans")
    assert (yuans.value_usd, yuans.usd_source) == (Decimal("13700000000.00"), "article")
    smaller = Figure.objects.get(surface__contains="2 milliards de yuans")
    assert smaller.usd_source == "rate"
    assert smaller.value_usd == Decimal("2000000000") * smaller.usd_rate


def test_extraction_rerun_is_idempotent(extracted):
    figures = sorted(Figure.objects.values_list("pk", "value", "unit"))
    events = sorted(PurchaseEvent.objects.values_list("pk", "type"))
    summary = command_output("extract_articles", "--all")
    assert "figures added 0, removed 0; events added 0, removed 0" in summary
    assert sorted(Figure.objects.values_list("pk", "value", "unit")) == figures
    assert sorted(PurchaseEvent.objects.values_list("pk", "type")) == events


def test_rerun_never_touches_what_editors_did(extracted):
    article = Article.objects.get(body__startswith="D'après le Financial Times")
    verified, rejected, edited = Figure.objects.filter(article=article, kind="money")[:3]
    Figure.objects.filter(pk=verified.pk).update(review_status=ReviewStatus.VERIFIED)
    Figure.objects.filter(pk=rejected.pk).update(review_status=ReviewStatus.REJECTED)
    Figure.objects.filter(pk=edited.pk).update(value=Decimal(42), edited=True)
    event = PurchaseEvent.objects.filter(article=article).first()
    PurchaseEvent.objects.filter(pk=event.pk).update(quantity=Decimal(1), edited=True)
    mine = Figure.objects.create(
        article=article, sentence=article.sentences.get(index=1), kind="money", surface="4 milliards",
        char_start=0, char_end=1, value=Decimal(4e9), unit="USD", origin=Origin.EDITOR,
    )  # fmt: skip
    before_figures, before_events = Figure.objects.count(), PurchaseEvent.objects.count()

    command_output("extract_articles", article.slug)

    assert Figure.objects.get(pk=verified.pk).review_status == ReviewStatus.VERIFIED
    assert Figure.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    assert Figure.objects.get(pk=edited.pk).value == 42
    assert PurchaseEvent.objects.get(pk=event.pk).quantity == 1
    assert Figure.objects.filter(pk=mine.pk).exists()
    assert (Figure.objects.count(), PurchaseEvent.objects.count()) == (before_figures, before_events)


def test_rejected_items_are_hidden_from_pages_and_exports(client, extracted):
    figure = Figure.objects.filter(kind="money").first()
    figure.review_status = ReviewStatus.REJECTED
    figure.save()
    assert all(
        r["surface"] != figure.surface or r["article"] != figure.article.slug for r in export("figures")
    )
    page = client.get(figure.article.get_absolute_url()).content.decode()
    assert f'id="f-{figure.pk}"' not in page


def test_article_page_marks_every_figure_and_lists_events(client, extracted):
    article = Article.objects.get(body__startswith="D'après le Financial Times")
    page = client.get(article.get_absolute_url()).content.decode()
    for figure in Figure.objects.filter(article=article, kind__in=Figure.CORE_KINDS):
        pattern = rf'<mark id="f-{figure.pk}" class="figure figure--pending" title="([^"]*)">([^<]*)</mark>'
        mark = re.search(pattern, page)
        assert mark, figure.surface
        assert mark.group(2).replace("&#x27;", "'") == figure.surface
    # French grouping uses a no-break space (Django's "fr" format).
    assert 'title="≈ 100\xa0000 unités · à vérifier"' in page
    for event in PurchaseEvent.objects.filter(article=article):
        assert f'href="#s-{event.sentence.index}"' in page
    assert "Ce que rapporte l’article" in page


def test_extract_command_needs_all_or_slugs(db):
    with pytest.raises(CommandError, match="--all"):
        call_command("extract_articles")
    with pytest.raises(CommandError, match="no article with slug nope"):
        call_command("extract_articles", "nope")


def test_dev_set_scores_above_the_floors():
    """The dev set (shared/gold/dev, copied into tests/data/dev), imported, extracted, exported and scored."""
    output = command_output("score_extraction", str(DEV / "gold"), "--import")
    summary = dict(re.findall(r"(\w+)=([0-9.]+)", output.splitlines()[-1]))
    scores = {name: float(summary[name]) for name in FLOORS}
    assert all(scores[name] >= floor for name, floor in FLOORS.items()), output


def test_score_command_explains_a_wrong_folder(tmp_path):
    with pytest.raises(CommandError, match="sibling articles/ folder"):
        call_command("score_extraction", str(tmp_path / "gold"))


def test_extraction_failure_keeps_the_import_and_says_so(monkeypatch, db):
    def broken(*args, **kwargs):
        raise RuntimeError("pipeline bug")

    monkeypatch.setattr("articles.services.extraction.extract", broken)
    report = articles_import(paths=[SEED_FILE])
    assert report.created == 5 and report.failed == 0
    assert len(report.notices) == 5 and "extraction failed (pipeline bug)" in report.notices[0]
    assert Article.objects.filter(extracted_at__isnull=True).count() == 5
    monkeypatch.undo()
    report = articles_import(paths=[SEED_FILE])  # unchanged articles never extracted are extracted now
    assert report.skipped == 5 and not report.notices
    assert not Article.objects.filter(extracted_at__isnull=True).exists()


def test_a_kept_event_follows_its_figure_when_the_figure_row_is_replaced(extracted):
    event = PurchaseEvent.objects.filter(amount_figure__isnull=False).first()
    old_figure = event.amount_figure
    # As if an older pipeline had read a shorter span: this run's figure gets a new row.
    Figure.objects.filter(pk=old_figure.pk).update(char_start=old_figure.char_start + 1)
    command_output("extract_articles", event.article.slug)
    event.refresh_from_db()
    assert not Figure.objects.filter(pk=old_figure.pk).exists()
    assert event.amount_figure is not None and event.amount_figure.surface == old_figure.surface


def test_article_page_query_count_does_not_grow_with_its_figures(
    client, extracted, django_assert_max_num_queries
):
    # Amounts in yuans show a dollar estimate that names the article's year: no query per figure for it.
    article = Article.objects.get(body__startswith="Tencent Holdings")
    assert Figure.objects.filter(article=article, unit="CNY").count() >= 2
    with django_assert_max_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200

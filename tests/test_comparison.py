"""Grouping reports of the same deal and flagging where sources disagree: pure rules, then on the database."""

from datetime import date
from decimal import Decimal

import pytest

from articles.comparison import (
    Report,
    Span,
    comparisons,
    comparisons_attach,
    comparisons_load,
    group_reports,
    period_range,
    span_of,
)
from articles.models import Chip, Company, DatePrecision, Figure, PurchaseEvent
from articles.services import article_ingest

D = Decimal


def report(event_id, article_id, **fields) -> Report:
    values = {"type": "order", "buyers": frozenset({"ByteDance"}), "chip": "A800"} | fields
    return Report(event_id=event_id, article_id=article_id, **values)


def exact(value) -> Span:
    return span_of(D(value))


# --- Pure rules: no database ---


def test_spans_take_the_qualifiers_into_account():
    assert span_of(D(100000), qualifier="more_than") == Span(D(100000), None)
    assert span_of(D(100000), qualifier="at_most") == Span(D(0), D(100000))
    assert span_of(D(100), qualifier="approx") == Span(D(90), D(110))
    assert span_of(D(130), D(100), "range") == Span(D(100), D(130))
    assert span_of(None) is None
    assert exact(100000).agrees_with(span_of(D(100000), qualifier="more_than"))
    assert not exact(70000).agrees_with(exact(100000))
    assert not span_of(D(70000), qualifier="approx").agrees_with(span_of(D(100000), qualifier="approx"))
    assert exact(95).agrees_with(exact(100), Decimal("0.10"))
    assert not exact(80).agrees_with(exact(100), Decimal("0.10"))


def test_periods_read_as_date_ranges():
    assert period_range("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_range("2025-Q1") == (date(2025, 1, 1), date(2025, 3, 31))
    assert period_range("2023-H2") == (date(2023, 7, 1), date(2023, 12, 31))
    assert period_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_range("2023-08-09") == (date(2023, 8, 9), date(2023, 8, 9))
    assert period_range("2020/2021") == (date(2020, 1, 1), date(2021, 12, 31))
    for unresolved in ("", "cette année", "2024-13", "2024-02-30", "2024-Q5"):
        assert period_range(unresolved) is None


def test_order_and_purchase_of_the_same_deal_from_two_articles_are_compared():
    groups = comparisons([report(1, 10, period="2024"), report(2, 20, type="purchase", period="2024-Q1")])
    assert len(groups) == 1
    group = groups[0]
    assert [r.event_id for r in group.reports] == [1, 2]
    assert group.period == "2024" and not group.period_missing
    assert group.anchor == "accord-acquisition-a800-bytedance-2024"


def test_a_deal_reported_by_one_article_only_is_not_a_comparison():
    reports = [report(1, 10, period="2024"), report(2, 10, period="2024")]
    assert len(group_reports(reports)) == 1
    assert comparisons(reports) == []


def test_different_buyers_chips_families_or_periods_are_different_deals():
    base = report(1, 10, period="2024")
    others = [
        report(2, 20, period="2024", buyers=frozenset({"ByteDance", "Tencent"})),
        report(3, 30, period="2024", chip="H20"),
        report(4, 40, period="2024", type="stockpile"),
        report(5, 50, period="2023"),
    ]
    assert comparisons([base, *others]) == []


def test_sibling_quarters_stay_apart_and_the_year_joins_the_first():
    reports = [report(1, 10, period="2024-Q1"), report(2, 20, period="2024-Q2"), report(3, 30, period="2024")]
    groups = group_reports(reports)
    assert sorted(sorted(r.event_id for r in g.reports) for g in groups) == [[1, 3], [2]]
    assert [g.period for g in comparisons(reports)] == ["2024"]


def test_an_undated_report_joins_the_only_dated_group_and_the_group_says_so():
    groups = comparisons([report(1, 10, period="2024"), report(2, 20, period="cette année")])
    assert len(groups) == 1 and groups[0].period_missing and groups[0].period == "2024"


def test_an_undated_report_is_left_out_when_it_could_be_either_of_two_deals():
    reports = [
        report(1, 10, period="2023"), report(2, 20, period="2023"),
        report(3, 30, period="2024"), report(4, 40, period="2024"),
        report(5, 50, period=""),
    ]  # fmt: skip
    groups = comparisons(reports)
    assert [sorted(r.event_id for r in g.reports) for g in groups] == [[1, 2], [3, 4]]


def test_events_naming_neither_buyer_nor_chip_are_never_grouped():
    reports = [report(1, 10, buyers=frozenset(), chip=""), report(2, 20, buyers=frozenset(), chip="")]
    assert group_reports(reports) == []


def test_70_000_against_100_000_is_a_disagreement():
    group = comparisons([report(1, 10, quantity=exact(70000)), report(2, 20, quantity=exact(100000))])[0]
    assert group.quantities_disagree and not group.amounts_disagree and not group.denied


def test_more_than_100_000_against_100_000_is_not_a_disagreement():
    more = span_of(D(100000), qualifier="more_than")
    group = comparisons([report(1, 10, quantity=more), report(2, 20, quantity=exact(100000))])[0]
    assert not group.quantities_disagree


def test_two_figures_in_the_same_article_are_not_a_disagreement_between_sources():
    reports = [
        report(1, 10, quantity=exact(70000)), report(2, 10, quantity=exact(100000)),
        report(3, 20, quantity=span_of(D(60000), D(110000), "range")),
    ]  # fmt: skip
    assert not comparisons(reports)[0].quantities_disagree


def test_amounts_compare_in_dollars_within_ten_percent():
    close = [report(1, 10, amount_usd=exact(1_000_000_000)), report(2, 20, amount_usd=exact(960_000_000))]
    far = [report(1, 10, amount_usd=exact(1_000_000_000)), report(2, 20, amount_usd=exact(700_000_000))]
    assert not comparisons(close)[0].amounts_disagree
    assert comparisons(far)[0].amounts_disagree


def test_a_denial_by_any_source_is_flagged():
    group = comparisons([report(1, 10), report(2, 20, denied=True)])[0]
    assert group.denied


# --- On the database ---


def make_article(title: str, *, publication: str = "Reuters", published: date = date(2024, 3, 1)):
    article, _outcome, _notice = article_ingest(
        body=f"{title}. ByteDance aurait commandé des puces Nvidia.",
        title=title,
        publication=publication,
        published=published,
        precision=DatePrecision.DAY,
    )
    return article


def make_event(article, *, quantity=None, qualifier="exact", amount=None, currency="USD", **fields):
    """A public event on the article's first sentence, with figure rows for its quantity and amount."""
    sentence = article.sentences.first()
    buyers = fields.pop("buyers", ["ByteDance"])
    chip = fields.pop("chip", "A800")
    figure = {
        "article": article,
        "sentence": sentence,
        "char_start": sentence.start,
        "char_end": sentence.end,
    }
    quantity_figure = amount_figure = None
    if quantity is not None:
        quantity_figure = Figure.objects.create(
            kind="quantity", surface=f"{quantity} puces", value=quantity, unit="unit", qualifier=qualifier,
            **figure,
        )  # fmt: skip
    if amount is not None:
        usd = {"value_usd": amount, "usd_source": "native"}
        if currency != "USD":
            usd = {"value_usd": amount * D("0.14"), "usd_source": "rate", "usd_rate": D("0.14")}
        amount_figure = Figure.objects.create(
            kind="money", surface=f"{amount} {currency}", value=amount, unit=currency, **usd, **figure
        )
    event = PurchaseEvent.objects.create(
        article=article, sentence=sentence, type=fields.pop("type", "order"),
        chip=Chip.objects.get_or_create(name=chip)[0] if chip else None,
        quantity=quantity, quantity_figure=quantity_figure, amount=amount, amount_figure=amount_figure,
        currency=currency if amount is not None else "", **fields,
    )  # fmt: skip
    event.buyers.set([Company.objects.get_or_create(name=name)[0] for name in buyers])
    return event


@pytest.fixture
def disputed_deal(db):
    """ByteDance's A800 order: 70 000 chips per the FT, 100 000 per Reuters, denied by Caixin."""
    ft = make_article("Commande de ByteDance selon le FT", publication="Financial Times")
    reuters = make_article("ByteDance commande des A800", published=date(2024, 3, 5))
    caixin = make_article("ByteDance dément", publication="Caixin", published=date(2024, 3, 9))
    return [
        make_event(ft, quantity=D(70000), amount=D(700_000_000), period="2024"),
        make_event(reuters, quantity=D(100000), amount=D(5_000_000_000), currency="CNY", period="2024-Q1"),
        make_event(caixin, status="denied", period="2024"),
    ]


def test_loaded_comparison_flags_the_disputed_deal(disputed_deal):
    (group,) = comparisons_load()
    assert [event.pk for event in group.events] == [event.pk for event in disputed_deal]
    # 5 billion yuans at 0,14 is 700 million dollars: the amounts agree once converted.
    assert group.quantities_disagree and not group.amounts_disagree and group.denied


def test_loaded_comparisons_never_include_rejected_events(disputed_deal):
    PurchaseEvent.objects.filter(pk__in=[e.pk for e in disputed_deal[1:]]).update(review_status="rejected")
    assert comparisons_load() == []


def test_loaded_comparisons_filter_by_company_and_chip(disputed_deal):
    assert len(comparisons_load(company=Company.objects.get(name="ByteDance"))) == 1
    assert comparisons_load(company=Company.objects.get_or_create(name="Tencent")[0]) == []
    assert comparisons_load(chip=Chip.objects.get_or_create(name="H20")[0]) == []


def test_attach_gives_each_article_event_its_group_and_the_other_sources(
    disputed_deal, django_assert_num_queries
):
    ft_event = disputed_deal[0]
    alone = make_event(ft_event.article, chip="H20", type="stockpile")
    # Loaded as the article page loads them.
    events = list(
        PurchaseEvent.objects.filter(article=ft_event.article)
        .select_related("chip", "quantity_figure", "amount_figure")
        .prefetch_related("buyers")
    )
    with django_assert_num_queries(1):
        comparisons_attach(events)
    by_pk = {event.pk: event for event in events}
    assert by_pk[alone.pk].comparison is None and by_pk[alone.pk].other_sources == []
    attached = by_pk[ft_event.pk]
    assert attached.comparison.anchor == comparisons_load()[0].anchor
    assert [e.pk for e in attached.other_sources] == [e.pk for e in disputed_deal[1:]]


def test_an_amount_worked_out_from_a_multiplier_is_compared_by_its_dollar_value(db):
    # "quatre fois plus" gives the event an amount whose figure is the multiplier, not a sum of money.
    first, second = make_article("Quatre fois plus"), make_article("Un milliard", publication="Bloomberg")
    event = make_event(first, amount=D(4_000_000_000), period="2024")
    multiplier = Figure.objects.create(
        article=first, sentence=event.sentence, kind="multiplier", surface="quatre fois", value=D(4),
        unit="times", char_start=event.sentence.start, char_end=event.sentence.end,
    )  # fmt: skip
    PurchaseEvent.objects.filter(pk=event.pk).update(amount_figure=multiplier)
    make_event(second, amount=D(1_000_000_000), period="2024")
    (group,) = comparisons_load()
    assert group.amounts_disagree


@pytest.mark.parametrize("kind", ["restriction", "production", "dismantling"])
def test_measures_that_are_no_deal_are_never_grouped(kind):
    reports = [
        Report(event_id=n, article_id=n, type=kind, buyers=frozenset(), chip="H20", period="") for n in (1, 2)
    ]
    assert comparisons(reports) == []

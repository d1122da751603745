"""USD values of money figures: the article's own conversion first, else the editors' yearly rates."""

from decimal import Decimal

from articles.extraction.money import ARTICLE, NATIVE, RATE, nearest_rate, usd_values
from articles.extraction.types import FigureFound

RATES = {("CNY", 2023): Decimal("0.1412"), ("CNY", 2024): Decimal("0.1389"), ("EUR", 2024): Decimal("1.082")}


def money(value, unit, *, conversion_of=None, kind="money", value_max=None):
    return FigureFound(
        start=0, end=1, surface="x", kind=kind, value=Decimal(value), value_max=value_max, unit=unit,
        qualifier="exact", conversion_of=conversion_of,
    )  # fmt: skip


def test_dollars_are_their_own_value():
    [usd] = usd_values([money("1000000000", "USD")], rates=RATES, year=2024)
    assert (usd.value, usd.source) == (Decimal("1000000000.00"), NATIVE)


def test_the_articles_conversion_wins_over_the_rate_table():
    figures = [money("100000000000", "CNY"), money("13700000000", "USD", conversion_of=0)]
    yuan, dollars = usd_values(figures, rates=RATES, year=2025)
    assert (yuan.value, yuan.source) == (Decimal("13700000000.00"), ARTICLE)
    assert yuan.rate == Decimal("0.137")
    assert dollars.source == NATIVE


def test_a_dollar_amount_converted_into_euros_keeps_the_dollars():
    figures = [money("12000", "USD"), money("11087", "EUR", conversion_of=0)]
    dollars, euros = usd_values(figures, rates=RATES, year=2024)
    assert (euros.value, euros.source) == (Decimal("12000.00"), ARTICLE)


def test_other_currencies_use_the_yearly_average_as_an_estimate():
    [yuan] = usd_values([money("2000000000", "CNY")], rates=RATES, year=2024)
    assert (yuan.value, yuan.rate, yuan.source) == (Decimal("277800000.00"), Decimal("0.1389"), RATE)


def test_nearest_year_is_used_when_the_year_is_missing_or_unknown():
    assert nearest_rate(RATES, currency="CNY", year=2026) == Decimal("0.1389")
    assert nearest_rate(RATES, currency="CNY", year=2010) == Decimal("0.1412")
    assert nearest_rate(RATES, currency="CNY", year=None) == Decimal("0.1389")
    assert nearest_rate(RATES, currency="JPY", year=2024) is None


def test_non_money_and_unknown_currencies_get_no_dollar_value():
    figures = [money("100000", "unit", kind="quantity"), money("5", "XYZ")]
    assert usd_values(figures, rates=RATES, year=2024) == [None, None]

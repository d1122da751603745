"""US-dollar values for money figures, so amounts in yuans, euros or dollars can be compared.

The article's own conversion is preferred ("100 milliards de yuans (13,7 milliards de dollars)"): it is what
the press reported. Otherwise a yearly average rate from the editors' table gives an estimate, which the
pages label as such. Plain Python: rates come in as a mapping.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from articles.extraction.types import MONEY, FigureFound

NATIVE, ARTICLE, RATE = "native", "article", "rate"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class UsdValue:
    value: Decimal
    rate: Decimal | None  # dollars for one unit of the figure's currency
    source: str  # NATIVE, ARTICLE or RATE


def usd_values(
    figures: Sequence[FigureFound], *, rates: Mapping[tuple[str, int], Decimal], year: int | None
) -> list[UsdValue | None]:
    """One entry per figure: its USD value, or None (not money, no value, or no rate known)."""
    return [usd_value(index, figures, rates=rates, year=year) for index in range(len(figures))]


def usd_value(
    index: int, figures: Sequence[FigureFound], *, rates: Mapping[tuple[str, int], Decimal], year: int | None
) -> UsdValue | None:
    figure = figures[index]
    if figure.kind != MONEY or figure.value is None or not figure.unit:
        return None
    if figure.unit == "USD":
        return UsdValue(value=figure.value.quantize(CENT), rate=Decimal(1), source=NATIVE)
    partner = article_conversion(index, figures)
    if partner is not None and partner.value and figure.value:
        rate = partner.value / figure.value
        return UsdValue(value=partner.value.quantize(CENT), rate=rate, source=ARTICLE)
    rate = nearest_rate(rates, currency=figure.unit, year=year)
    if rate is None:
        return None
    return UsdValue(value=(figure.value * rate).quantize(CENT), rate=rate, source=RATE)


def article_conversion(index: int, figures: Sequence[FigureFound]) -> FigureFound | None:
    """The USD figure the article gives as the conversion of figure `index`, either way round."""
    figure = figures[index]
    if figure.conversion_of is not None:
        original = figures[figure.conversion_of]
        return original if original.unit == "USD" and original.kind == MONEY else None
    for other in figures:
        if other.conversion_of == index and other.unit == "USD" and other.kind == MONEY:
            return other
    return None


def nearest_rate(
    rates: Mapping[tuple[str, int], Decimal], *, currency: str, year: int | None
) -> Decimal | None:
    """The rate of that year, else of the closest year known (the later one on a tie)."""
    years = [known for (code, known) in rates if code == currency]
    if not years:
        return None
    if year is None:
        return rates[(currency, max(years))]
    closest = min(years, key=lambda known: (abs(known - year), -known))
    return rates[(currency, closest)]

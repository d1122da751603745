"""Template helpers for French display of the archive's data."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from articles.models import DatePrecision

register = template.Library()


@register.filter
def published_display(article) -> str:
    """The publication date as precisely as known: "9 août 2023", "août 2023", "2025", "date inconnue"."""
    day = article.published_on
    if day is None or article.date_precision == DatePrecision.UNKNOWN:
        return _("date inconnue")
    if article.date_precision == DatePrecision.YEAR:
        return str(day.year)
    if article.date_precision == DatePrecision.MONTH:
        return formats.date_format(day, "F Y")
    # French writes the first day of a month as an ordinal: "1er août 2023".
    if day.day == 1:
        return formats.date_format(day, "1\\e\\r F Y")
    return formats.date_format(day, "j F Y")


@register.filter
def published_iso(article) -> str:
    """The machine-readable value for a <time datetime>: as precise as the date is known."""
    day = article.published_on
    if day is None or article.date_precision == DatePrecision.UNKNOWN:
        return ""
    return {
        DatePrecision.YEAR: f"{day:%Y}",
        DatePrecision.MONTH: f"{day:%Y-%m}",
    }.get(article.date_precision, day.isoformat())

"""Template helpers for French display of the archive's data."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from articles.citations import citation_text, text_fragment_url
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


QUALIFIER_SIGNS = {
    "approx": "≈ ",
    "at_least": "≥ ",
    "more_than": "plus de ",
    "less_than": "moins de ",
    "at_most": "≤ ",
    "vague": "≈ ",
}
UNIT_LABELS = {
    "USD": "$ US",
    "CNY": "yuans",
    "EUR": "€",
    "unit": "unités",
    "percent": "%",
    "times": "fois",
    "months": "mois",
    "years": "ans",
    "days": "jours",
    "weeks": "semaines",
}


@register.filter
def french_number(value) -> str:
    """13,7 and 1 000 000 with French separators; whole numbers without decimals."""
    if value is None:
        return ""
    decimals = 0 if value == value.to_integral_value() else max(0, -value.normalize().as_tuple().exponent)
    return formats.number_format(value, decimal_pos=min(decimals, 2), use_l10n=True, force_grouping=True)


SCALES = ((Decimal(10) ** 12, "billion", "billions"), (Decimal(10) ** 9, "milliard", "milliards"),
          (Decimal(10) ** 6, "million", "millions"))  # fmt: skip


@register.filter
def french_amount(value) -> str:
    """Large round amounts in words as the press writes them ("13,7 milliards"), others as digits."""
    if value is None:
        return ""
    for size, singular, plural in SCALES:
        scaled = value / size
        if abs(scaled) >= 1 and scaled == scaled.quantize(Decimal("0.01")):
            return f"{french_number(scaled)} {singular if abs(scaled) < 2 else plural}"
    return french_number(value)


@register.filter
def exchange_rate(value) -> str:
    """A rate with the digits it carries and no trailing zeros: 0,1389 and 0,14, never 0,1400."""
    if value is None:
        return ""
    rate = value.quantize(Decimal("0.0001")).normalize()
    decimals = max(0, -rate.as_tuple().exponent)
    return formats.number_format(rate, decimal_pos=decimals, use_l10n=True)


@register.filter
def event_period(event) -> str:
    """The period as written, with its resolved value when it adds something ("l'année prochaine (2024)")."""
    written, resolved = event.period_surface, event.period
    if written and resolved and resolved not in written:
        return f"{written} ({resolved})"
    return written or resolved


@register.filter
def figure_value(figure) -> str:
    """The normalised value as a reader checks it: "≈ 700 000 000 $ US", "100 000 – 130 000 unités"."""
    unit = UNIT_LABELS.get(figure.unit, figure.unit)
    if figure.value is None:
        return figure.value_text or figure.surface
    if figure.value_max is not None:
        return f"{french_amount(figure.value)} – {french_amount(figure.value_max)} {unit}"
    return f"{QUALIFIER_SIGNS.get(figure.qualifier, '')}{french_amount(figure.value)} {unit}"


@register.filter
def figure_usd(figure) -> str:
    """Its dollar value and where it comes from, or "" when it is in dollars already or unknown."""
    if figure.value_usd is None or figure.usd_source in ("", "native"):
        return ""
    amount = f"{french_amount(figure.value_usd)} $ US"
    if figure.usd_source == "article":
        return _("%(amount)s selon l’article") % {"amount": amount}
    year = figure.article.published_on.year if figure.article.published_on else None
    if year:
        return _("≈ %(amount)s (estimation au taux moyen de %(year)s)") % {"amount": amount, "year": year}
    return _("≈ %(amount)s (estimation au dernier taux moyen connu)") % {"amount": amount}


@register.filter
def figure_title(figure) -> str:
    """The hover text of a marked figure."""
    parts = [figure_value(figure), figure_usd(figure), figure.get_review_status_display()]
    return " · ".join(str(part) for part in parts if part)


@register.simple_tag(takes_context=True)
def figure_citation(context, figure) -> dict:
    """What the "citer" box of a figure shows: quote, source, permalink and link to the original page."""
    article, sentence = figure.article, figure.sentence
    request = context.get("request")
    permalink = figure.get_absolute_url()
    if request is not None:
        permalink = request.build_absolute_uri(permalink)
    publication = article.publication.name if article.publication_id else ""
    date = published_display(article)
    return {
        "sentence": sentence.text,
        "publication": publication,
        "date": date,
        "permalink": permalink,
        "original": text_fragment_url(article.source_url or "", sentence.text),
        "text": citation_text(
            sentence=sentence.text,
            publication=publication,
            date=date,
            title=article.title,
            permalink=permalink,
        ),
    }


@register.filter
def review_label(item) -> str:
    """How a figure or event was checked, as the reader sees it."""
    if item.review_status == "verified":
        return _("vérifié par la rédaction")
    if item.origin == "editor":
        return _("ajouté par la rédaction")
    return _("extrait automatiquement, non vérifié")


@register.filter
def review_short(item) -> str:
    """The review state in one or two words, for table cells; `review_label` says it in full."""
    if item.review_status == "verified":
        return _("vérifié")
    if item.origin == "editor":
        return _("rédaction")
    return _("non vérifié")


@register.simple_tag
def hit_sentences(url: str, sentences) -> str:
    """A search hit's sentences, each linking to its anchor in the article (`sentences`: (hit, html) pairs).

    Built here rather than in the template: a results page shows up to 60 of them, and the template
    engine's per-node cost made them a tenth of a search page's time. `html` is the search package's
    escaped text with <mark> around the query words; the URL and index are escaped here.
    """
    if not sentences:
        return ""
    items = format_html_join(
        "", '<li><a href="{}#s-{}">{}</a></li>', ((url, str(hit.index), html) for hit, html in sentences)
    )
    return format_html('<ul class="hit-sentences">{}</ul>', items)


@register.simple_tag
def published_time(article) -> str:
    """<time datetime="2023-08">août 2023</time>: the date as precisely as known, for people and machines."""
    iso = published_iso(article)
    if iso:
        return format_html('<time datetime="{}">{}</time>', iso, published_display(article))
    return format_html("<time>{}</time>", published_display(article))

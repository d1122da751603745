"""Company and chip pages: who bought, sold or was authorised to buy what, with the figures and articles."""

from django.shortcuts import get_object_or_404, render

from articles import selectors
from articles.models import Chip, Company
from articles.page_cache import cached_page

# Busy companies have thousands of events: the page shows the latest and links to the full, filterable table.
EVENTS_SHOWN = 30
ARTICLES_SHOWN = 30


def entity_context(events: list, articles: list) -> dict:
    """What company and chip pages share: the latest events and articles, totals and the timeline."""
    return {
        "events": events[:EVENTS_SHOWN],
        "event_count": len(events),
        "articles": articles[:ARTICLES_SHOWN],
        "article_count": len(articles),
        "timeline": selectors.event_timeline(events),
        "years": selectors.yearly_totals(events),
    }


@cached_page
def company_list(request):
    companies = selectors.companies_with_counts()
    return render(request, "articles/company_list.html", {"companies": companies})


@cached_page
def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    events = selectors.company_events(company)
    context = {
        "company": company,
        "chips_made": list(company.chips.all()),
        **entity_context(events, selectors.articles_about(company, events)),
    }
    return render(request, "articles/company_detail.html", context)


@cached_page
def chip_list(request):
    return render(request, "articles/chip_list.html", {"chips": selectors.chips_with_totals()})


@cached_page
def chip_detail(request, slug):
    chip = get_object_or_404(Chip.objects.select_related("maker", "variant_of"), slug=slug)
    events = selectors.chip_events(chip)
    context = {
        "chip": chip,
        "variants": list(chip.variants.all()),
        **entity_context(events, selectors.articles_about(chip, events)),
    }
    return render(request, "articles/chip_detail.html", context)

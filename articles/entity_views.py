"""Company and chip pages: who bought, sold or was authorised to buy what, with the figures and articles."""

from django.shortcuts import get_object_or_404, render

from articles import selectors
from articles.models import Chip, Company
from articles.page_cache import cached_page


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
        "events": events,
        "articles": selectors.articles_about(company, events),
        "timeline": selectors.event_timeline(events),
        "years": selectors.yearly_totals(events),
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
        "events": events,
        "articles": selectors.articles_about(chip, events),
        "timeline": selectors.event_timeline(events),
        "years": selectors.yearly_totals(events),
    }
    return render(request, "articles/chip_detail.html", context)

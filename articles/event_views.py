"""The events table (/evenements/, also downloadable as CSV or JSON) and the comparison of sources
(/comparaison/)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.comparison import comparisons_load
from articles.exports import EVENT_FIELDS, as_csv, as_json, event_queryset, event_record
from articles.filters import EVENT_SORTS, EVENT_TIEBREAK, ComparisonFilter, EventFilter
from articles.models import PurchaseEvent
from articles.page_cache import cached_page

EVENTS_PER_PAGE = 50
DEFAULT_SORT = "-date"
EXPORT_FORMATS = ("csv", "json")
# Column → the direction a first click sorts in: newest dates and biggest numbers first.
SORTABLE_COLUMNS = {"date": "-date", "type": "type", "quantite": "-quantite", "montant": "-montant"}
# Same order as `manage.py export_events`, so that the page's file and the command's output are identical.
EXPORT_ORDER = ("article__slug", "sentence__index", "pk")


@cached_page
def event_list(request):
    """Validate the filters, then either send the whole filtered set as a file or show one page of it."""
    format = request.GET.get("format", "")
    if format in EXPORT_FORMATS:
        return events_download(request, format)
    queryset = PurchaseEvent.objects.for_display().order_by(*EVENT_SORTS[DEFAULT_SORT], *EVENT_TIEBREAK)
    filterset = EventFilter(request.GET or None, queryset=queryset)
    per_page = getattr(settings, "EVENTS_PER_PAGE", EVENTS_PER_PAGE)
    page = Paginator(filterset.qs, per_page).get_page(request.GET.get("page"))
    format_error = ""
    if format not in ("", "html"):
        format_error = _(
            "Format « %(format)s » inconnu : les téléchargements existent en CSV et en JSON."
        ) % {"format": format[:20]}
    context = {
        "filter": filterset,
        "page": page,
        "events": page.object_list,
        "format_error": format_error,
        "query_without_page": query_without(request, "page", "format"),
        "sort_links": sort_links(request),
        "csv_query": query_without(request, "page", "format", format="csv"),
        "json_query": query_without(request, "page", "format", format="json"),
    }
    return render(request, "articles/event_list.html", context, status=400 if format_error else 200)


def events_download(request, format: str) -> HttpResponse:
    """Every public event the filters keep (not one page), as the export command writes them."""
    filterset = EventFilter(request.GET, queryset=event_queryset())
    if not filterset.is_valid():
        # A file silently built without the filter the reader asked for would mislead: refuse and say why.
        problems = "\n".join(
            f"{filterset.form.fields[name].label} : {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        )
        message = _("Le téléchargement n’a pas été préparé, ces filtres sont invalides :") + "\n" + problems
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    records = [event_record(event) for event in filterset.qs.order_by(*EXPORT_ORDER)]
    filename = f"evenements-{timezone.localdate():%Y-%m-%d}.{format}"
    if format == "csv":
        # The BOM makes Excel (set to French) read the file as UTF-8 instead of Windows-1252, so
        # "démenti" and "à vérifier" survive a double-click; csv readers open it with "utf-8-sig".
        response = HttpResponse(
            "\ufeff" + as_csv(records, EVENT_FIELDS), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(as_json(records), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def query_without(request, *names: str, **values: str) -> str:
    """The page's query string minus `names`, plus `values`: links that keep the reader's filters."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


def sort_links(request) -> dict:
    """For each sortable column: the link that sorts by it (or reverses it) and its current aria-sort."""
    current = request.GET.get("tri")
    current = current if current in EVENT_SORTS else DEFAULT_SORT
    links = {}
    for column, first_click in SORTABLE_COLUMNS.items():
        if current.lstrip("-") == column:
            target = column if current.startswith("-") else f"-{column}"
            state = "descending" if current.startswith("-") else "ascending"
        else:
            target, state = first_click, ""
        links[column] = {"query": query_without(request, "page", "format", tri=target), "state": state}
    return links


@cached_page
def comparison(request):
    """Reports of the same deal side by side, optionally only those naming a company or a chip."""
    filterset = ComparisonFilter(request.GET or None, queryset=PurchaseEvent.objects.none())
    chosen = {}
    if filterset.is_bound:
        # cleaned_data keeps the valid fields only: a good chip next to a misspelt company still filters.
        filterset.form.is_valid()
        chosen = filterset.form.cleaned_data
    groups = comparisons_load(company=chosen.get("entreprise"), chip=chosen.get("puce"))
    context = {"filter": filterset, "groups": groups, "filtered": bool(request.GET)}
    return render(request, "articles/comparison.html", context)

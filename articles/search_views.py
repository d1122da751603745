"""The search page /recherche/: validate with django-filter, ask the index, show articles and sentences."""

import math
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.filters import SearchFilter, menu_rows
from articles.models import Article, Chip, Company, Publication, PurchaseEvent
from articles.page_cache import cached_page
from articles.search import SearchRequest, SearchUnavailable, index_version, search
from articles.templatetags.archive import published_iso

PER_PAGE = 20
FACET_PARAMS = {"company": "entreprise", "chip": "puce", "publication": "publication", "event_type": "type"}


def index_state(request) -> str | None:
    """Result pages depend on the index too, which the indexer updates after the commit; None: unavailable."""
    try:
        return index_version()
    except SearchUnavailable:
        return None  # the page says search is unavailable; that answer is never kept


@cached_page(depends_on=index_state)
def search_page(request):
    filterset = SearchFilter(request.GET or None, queryset=Article.objects.none())
    filterset.is_valid()  # invalid values are dropped and shown beside their field, never an error page
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    wants_json = request.GET.get("format") == "json"
    try:
        results = run_search(data, page_number(request.GET.get("page")))
    except SearchUnavailable as error:
        if wants_json:
            return JsonResponse({"error": str(error)}, status=503)
        context = {"filter": filterset, "unavailable": str(error), "searched": bool(data)}
        return render(request, "articles/search.html", context, status=503)
    hits = hydrate(results.hits)
    if wants_json:
        return JsonResponse(json_payload(request, results, hits), json_dumps_params={"ensure_ascii": False})
    context = {
        "filter": filterset,
        "results": results,
        "hits": hits,
        "searched": bool(request.GET.get("q") or any(data.get(p) for p in FACET_PARAMS.values())),
        "facets": facet_links(request, results.facets),
        "pages": math.ceil(results.total / results.per_page) if results.total else 0,
        "query_without_page": query_without(request, "page"),
    }
    return render(request, "articles/search.html", context)


def run_search(data: dict, page: int):
    """Search, and when the page asked for is past the end, show the last page instead."""
    request = search_request(data, page)
    results = search(request)
    last = max(1, math.ceil(results.total / PER_PAGE))
    if page > last:
        results = search(search_request(data, last))
    return results


def search_request(data: dict, page: int) -> SearchRequest:
    def one(name, attribute):
        value = data.get(name)
        return (getattr(value, attribute),) if value else ()

    return SearchRequest(
        q=data.get("q") or "",
        companies=one("entreprise", "name"),
        chips=one("puce", "name"),
        publications=one("publication", "slug"),
        event_types=(data["type"],) if data.get("type") else (),
        date_from=data.get("du"),
        date_to=data.get("au"),
        sort=data.get("tri") or "relevance",
        page=page,
        per_page=PER_PAGE,
    )


def page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def hydrate(hits) -> list[tuple]:
    """(article, hit, sentences) in the index's order; hits whose article is gone are skipped."""
    # The page shows titles and dates; the bodies (the largest column) stay in the database.
    wanted = Article.objects.select_related("publication").defer("body", "editor_locked_fields")
    articles = wanted.in_bulk([hit.article_id for hit in hits])
    return [
        (articles[hit.article_id], hit, [(s, mark_safe(s.html)) for s in hit.sentences])  # noqa: S308 - escaped by articles.search
        for hit in hits
        if hit.article_id in articles
    ]


def json_payload(request, results, hits) -> dict:
    return {
        "count": results.total,
        "results": [
            {
                "url": request.build_absolute_uri(article.get_absolute_url()),
                "source_url": article.source_url,
                "title": article.title,
                "published": published_iso(article) or None,
                "score": round(hit.score, 4),
                "sentences": [{"index": s.index, "text": s.text, "html": s.html} for s in hit.sentences],
            }
            for article, hit, _sentences in hits
        ],
    }


def facet_links(request, facets: dict) -> list[dict]:
    """Each facet as links that add (or remove) that filter, keeping the query and the other filters."""
    labels = {
        "company": {name: (slug, name) for slug, name in menu_rows(Company)},
        "chip": {name: (slug, name) for slug, name in menu_rows(Chip)},
        "publication": {slug: (slug, name) for slug, name in menu_rows(Publication)},
        "event_type": {value: (value, label) for value, label in PurchaseEvent.Type.choices},
    }
    titles = {"company": _("Entreprises"), "chip": _("Puces"), "publication": _("Publications"),
              "event_type": _("Types d’événement")}  # fmt: skip
    groups = []
    for key, param in FACET_PARAMS.items():
        active = request.GET.get(param)
        # The other parameters once per facet; each entry only adds its own value (`page` dropped).
        others = query_without(request, param, "page")
        prefix = f"?{others}&" if others else "?"
        entries = []
        for value, count in facets.get(key, ()):
            if value not in labels[key]:
                continue
            slug, label = labels[key][value]
            entries.append(
                {
                    "label": label,
                    "count": count,
                    "url": prefix + urlencode({param: slug}),
                    "active": slug == active,
                }
            )
        if entries or active:
            groups.append({"title": titles[key], "entries": entries, "clear": f"?{others}" if active else ""})
    return groups


def query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()

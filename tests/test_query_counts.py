"""No page runs one query per row: the query count of the main pages stays the same as the archive grows."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.search import rebuild_index
from articles.services import articles_import

pytestmark = pytest.mark.django_db

DEV_ARTICLES = Path(__file__).resolve().parent / "data" / "dev" / "articles"
PAGES = {
    "/": 8,
    "/articles/": 6,
    "ARTICLE": 8,
    "/entreprises/": 4,
    "/entreprises/bytedance/": 8,
    "/puces/": 4,
    "/puces/h20/": 8,
    "/evenements/": 8,
    "/evenements/?format=csv": 6,
    "/comparaison/": 6,
    "/recherche/?q=nvidia": 10,
    "/recherche/?q=puces&entreprise=bytedance": 10,
    "/flux/articles/": 4,
    "/flux/entreprises/bytedance/": 6,
}


def query_counts(client, article_url) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        url = article_url if page == "ARTICLE" else page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[page] = len(queries)
    return counts


def test_main_pages_do_not_query_per_row(client, seeded):
    rebuild_index()
    article_url = Article.objects.get(slug__startswith="dapres-le-financial-times").get_absolute_url()
    small = query_counts(client, article_url)
    report = articles_import(paths=[DEV_ARTICLES])
    assert report.failed == 0
    rebuild_index()
    assert Article.objects.count() >= 3 * len(seeded)
    large = query_counts(client, article_url)
    # Search pages ask for suggestions or facets only when there are hits, so their count may step up once.
    grows = {page for page in PAGES if large[page] != small[page] and not page.startswith("/recherche/")}
    assert not grows, {page: (small[page], large[page]) for page in grows}
    over = {page: count for page, count in large.items() if count > PAGES[page]}
    assert not over, f"more queries than allowed: {over}"

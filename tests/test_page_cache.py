"""Public pages are served from the cache until the archive's content changes, then rebuilt."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import page_cache
from articles.models import Company, Figure, ReviewStatus
from articles.search_sync import search_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_a_second_visit_is_served_without_touching_the_database(
    client, seeded, caching, django_assert_num_queries
):
    url = seeded[0].get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_a_committed_edit_shows_at_once(client, seeded, caching, django_capture_on_commit_callbacks):
    company = Company.objects.get(name="ByteDance")
    assert "ByteDance" in client.get(company.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        company.country = "Chine (Pékin)"
        company.save()
    assert "Chine (Pékin)" in client.get(company.get_absolute_url()).content.decode()


def test_a_rejected_figure_leaves_the_cached_article_page(
    client, seeded, caching, django_capture_on_commit_callbacks
):
    figure = Figure.objects.filter(kind="quantity").select_related("article").first()
    url = figure.article.get_absolute_url()
    assert f'id="f-{figure.pk}"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        figure.review_status = ReviewStatus.REJECTED
        figure.save()
    assert f'id="f-{figure.pk}"' not in client.get(url).content.decode()


def test_bulk_writes_reported_to_the_outbox_invalidate_too(
    seeded, caching, django_capture_on_commit_callbacks
):
    before = page_cache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        search_enqueue([seeded[0].pk])
    assert page_cache.content_version() != before


def test_one_invalidation_per_transaction_and_none_for_a_rollback(db, caching, monkeypatch):
    before = page_cache.content_version()
    with transaction.atomic():
        for _ in range(50):
            page_cache.mark_content_changed()
        transaction.set_rollback(True)
    assert page_cache.content_version() == before
    changes = []
    monkeypatch.setattr(page_cache, "content_changed", lambda: changes.append(1))
    with transaction.atomic():
        callbacks = transaction.get_connection().run_on_commit
        for _ in range(50):
            page_cache.mark_content_changed()
        for _sids, callback, _robust in list(callbacks):
            callback()
    assert changes == [1]


def test_only_successful_pages_are_kept_and_each_host_has_its_own(client, seeded, caching, settings):
    settings.ALLOWED_HOSTS = ["testserver", "archive.example"]
    assert client.get("/entreprises/inconnue/").status_code == 404
    assert client.get("/entreprises/inconnue/").status_code == 404
    url = Company.objects.get(name="ByteDance").get_absolute_url()  # its "citer" boxes print permalinks
    local = client.get(url).content.decode()
    public = client.get(url, HTTP_HOST="archive.example").content.decode()
    assert "http://testserver/" in local and "http://archive.example/" not in local
    assert "http://archive.example/" in public


def test_cache_off_means_every_visit_is_built(client, seeded, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    url = seeded[0].get_absolute_url()
    client.get(url)
    with pytest.raises(pytest.fail.Exception), django_assert_max_num_queries(0):
        client.get(url)


def test_search_results_are_kept_until_the_index_changes(client, seeded, caching, settings):
    from articles.search import index_articles, rebuild_index

    rebuild_index()
    url = "/recherche/?q=bytedance&format=json"
    first = client.get(url).json()["count"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["count"] == first
    assert len(queries) == 0
    # The indexer updates the index after the commit: a new generation, so a new answer.
    assert client.get("/recherche/?q=toujours&format=json").json()["count"] == 0
    article = seeded[0]
    article.title = "ByteDance encore et toujours"
    article.save()
    index_articles([article.pk])
    assert client.get("/recherche/?q=toujours&format=json").json()["count"] == 1


def test_an_unavailable_search_is_never_kept(client, db, caching, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "nothing-here"
    assert client.get("/recherche/?q=h20").status_code == 503
    assert client.get("/recherche/?q=h20").status_code == 503


def test_the_folder_cache_counts_its_files_every_few_writes_and_stays_bounded(tmp_path, monkeypatch):
    """The folder is listed once per CULL_CHECK_EVERY writes (Django lists it on every write), and it is
    still culled: it never holds more than MAX_ENTRIES plus one round of writes."""
    from newsroom import cache as folder_cache

    monkeypatch.setattr(folder_cache, "CULL_CHECK_EVERY", 8)
    backend = folder_cache.FolderCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 40}})
    listings, list_files = [], backend._list_cache_files
    monkeypatch.setattr(backend, "_list_cache_files", lambda: listings.append(1) or list_files())
    most = 0
    for n in range(400):
        backend.set(f"page-{n}", "x" * 100, timeout=600)
        most = max(most, len(list(tmp_path.glob("*.djcache"))))
    assert 400 // 8 <= len(listings) <= 400 // 8 + 1
    assert 40 <= most <= 40 + 8
    assert backend.get("page-399") == "x" * 100


def test_menus_are_read_once_per_content_change_and_follow_every_commit(
    client, seeded, caching, django_capture_on_commit_callbacks
):
    """The forms' company, chip and publication menus come from memory until the content changes."""

    def menu_queries(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        menu = 'SELECT "articles_company"."slug" AS "slug", "articles_company"."name" AS "name" FROM'
        return [q["sql"] for q in queries if q["sql"].startswith(menu)]

    assert menu_queries("/evenements/?type=order")
    assert menu_queries("/evenements/?type=stockpile") == []  # another, uncached page: menus not read again
    assert menu_queries("/comparaison/") == []
    with django_capture_on_commit_callbacks(execute=True):
        Company.objects.create(name="Zhipu AI", slug="zhipu-ai")
    assert menu_queries("/evenements/?type=purchase")
    page = client.get("/evenements/?type=resale").content.decode()
    assert '<option value="zhipu-ai">Zhipu AI</option>' in page

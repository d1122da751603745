"""Shared test set-up: a real database per test, plain static storage, seed articles on demand."""

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_FILE = REPO / "fixtures" / "seed_articles.json"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # The manifest storage needs collectstatic; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SEARCH_INDEX_DIR = tmp_path / "search_index"
    settings.SEARCH_INDEX_INLINE = True
    # Like indexing, page-cache invalidation runs on commit, which test transactions never reach: tests
    # that exercise the cache turn it on themselves (tests/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def seed_records() -> list[dict]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def seeded(db):
    """The five seed articles imported through the real command path."""
    from articles.services import articles_import

    report = articles_import(paths=[SEED_FILE])
    assert report.summary == "created 5, updated 0, skipped 0, failed 0"
    from articles.models import Article

    return list(Article.objects.newest_first())

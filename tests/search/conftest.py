"""Search tests: a real Whoosh index in a temp folder per test, articles built through the services."""

from datetime import date

import pytest

from articles.search import forget_names
from articles.search.index import forget_readers
from articles.services import article_extract, article_ingest


@pytest.fixture(autouse=True)
def _index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    forget_readers()
    forget_names()
    yield
    forget_readers()


@pytest.fixture
def make_article(db):
    """Ingest and extract one article (so Mentions and events exist); returns the Article."""
    counter = iter(range(1, 10_000))

    def make(body, *, title=None, publication="Le Monde", published=date(2024, 5, 1)):
        n = next(counter)
        article, _, _ = article_ingest(
            body=body,
            title=title or f"Article {n}",
            url=f"https://example.org/{n}",
            publication=publication,
            published=published,
            precision="day" if published else "unknown",
        )
        article_extract(article)
        article.refresh_from_db()
        return article

    return make

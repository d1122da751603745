"""The search outbox: every committed change reaches the index once, rollbacks never do, several writers
lose nothing, and the indexer and rebuild commands drain it exactly."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

import articles.search
from articles.models import Article, Company, Figure, PurchaseEvent, SearchOutbox
from articles.search import SearchRequest, index_status, search
from articles.search_sync import SearchDrainError, drain_lock, search_drain, search_enqueue
from articles.services import article_ingest, articles_import

REPO = Path(__file__).resolve().parent.parent


def ingest(n: int, *, prefix: str = "a") -> Article:
    article, _, _ = article_ingest(
        body=f"Nvidia a vendu {n} puces H20 à ByteDance, selon {prefix}. La livraison numéro {n} suit.",
        title=f"Livraison {prefix} {n}",
        url=f"https://example.test/{prefix}/{n}",
    )
    return article


def seed() -> list[Article]:
    from tests.conftest import SEED_FILE

    articles_import(paths=[SEED_FILE])
    return list(Article.objects.order_by("pk"))


def indexed(word: str = "livraison") -> set[int]:
    """The articles a search for that word finds (index_status counts deleted documents until a merge)."""
    return {hit.article_id for hit in search(SearchRequest(q=word, per_page=100)).hits}


def queued() -> list[int]:
    return list(SearchOutbox.objects.values_list("article_id", flat=True))


@pytest.fixture
def index_calls(monkeypatch):
    """Record each call to the real index_articles."""
    calls = []
    real = articles.search.index_articles

    def spy(ids):
        ids = list(ids)
        calls.append(ids)
        return real(ids)

    monkeypatch.setattr(articles.search, "index_articles", spy)
    return calls


@pytest.fixture
def deferred(settings):
    """Production mode: commits only queue; the indexer drains."""
    settings.SEARCH_INDEX_INLINE = False


def test_create_update_delete_are_indexed_after_commit(db, django_capture_on_commit_callbacks, index_calls):
    call_command("rebuild_index", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        article = ingest(1)
        assert queued() == [article.pk]  # written in the same transaction as the article
    assert index_calls == [[article.pk]]
    assert queued() == []
    assert indexed() == {article.pk}

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Titre corrigé"
        article.save()
    assert index_calls[-1] == [article.pk]
    assert queued() == []
    assert indexed("corrigé") == {article.pk}

    pk = article.pk
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert index_calls[-1] == [pk]
    assert queued() == []
    assert indexed() == set()


def test_rolled_back_transaction_queues_nothing(db, django_capture_on_commit_callbacks, index_calls):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        ingest(1)
        assert len(queued()) == 1
        raise RuntimeError("abandon")
    assert queued() == []
    assert callbacks == []
    assert index_calls == []


def test_one_row_per_article_and_transaction_even_after_a_savepoint_rollback(
    db, deferred, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits
        article, other = ingest(1), ingest(2)
    SearchOutbox.objects.all().delete()
    with transaction.atomic():
        for _ in range(3):
            article.save()
        search_enqueue([article.pk, article.pk])
        assert queued() == [article.pk]
        with pytest.raises(RuntimeError), transaction.atomic():
            other.save()
            assert queued() == [article.pk, other.pk]
            raise RuntimeError("abandon the savepoint")
        assert queued() == [article.pk]
        other.save()  # queued again: the row of the abandoned savepoint is gone
    assert sorted(set(queued())) == [article.pk, other.pk]


def test_drain_deletes_exactly_the_rows_it_read(db, deferred, monkeypatch):
    first, second = ingest(1), ingest(2)
    seen = []

    def index_while_another_commit_lands(ids):
        seen.append(sorted(ids))
        SearchOutbox.objects.create(article_id=first.pk)  # a change committed during the drain

    monkeypatch.setattr(articles.search, "index_articles", index_while_another_commit_lands)
    assert search_drain() == 2
    assert seen == [sorted([first.pk, second.pk])]
    assert queued() == [first.pk]  # kept for the next drain


# The indexer command calls close_old_connections() like any long-running process: inside a test
# transaction that closes a PostgreSQL connection (SQLite's in-memory test database ignores it), so the
# tests that run the command commit for real.
def test_drain_in_batches_and_keeps_the_articles_that_failed(transactional_db, deferred, monkeypatch):
    ids = [ingest(n).pk for n in range(5)]
    bad = ids[2]

    def index(batch):
        if bad in batch:
            raise ValueError("cannot index")

    monkeypatch.setattr(articles.search, "index_articles", index)
    assert search_drain(batch_size=2) == 2
    with pytest.raises(SearchDrainError):
        search_drain(batch_size=2)  # ids[2] fails, ids[3] is indexed on its own
    assert queued() == [bad, ids[4]]
    call_command("search_indexer", "--once", verbosity=0)  # logs, does not raise
    assert queued() == [bad]


def test_drain_waits_for_the_other_drainer(db, deferred):
    ingest(1)
    with drain_lock():
        assert search_drain(lock_timeout=0.1) == 0
    assert queued() != []


def test_parts_and_names_queue_their_articles(db, deferred, django_capture_on_commit_callbacks):
    def committed(change) -> set[int]:
        """Apply the change as one transaction; return the articles it queued."""
        SearchOutbox.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits
            change()
        return set(queued())

    articles = committed(seed)
    assert articles == set(Article.objects.values_list("pk", flat=True))
    figure = Figure.objects.first()
    figure.review_status = "verified"
    assert committed(figure.save) == {figure.article_id}

    event = PurchaseEvent.objects.first()
    company = Company.objects.exclude(pk__in=event.buyers.all()).first()
    assert committed(lambda: event.buyers.add(company)) == {event.article_id}
    assert committed(lambda: company.purchases.clear()) == {event.article_id}

    company = Company.objects.filter(mentions__isnull=False).distinct().first()
    naming = set(company.mentions.values_list("article_id", flat=True))
    company.description = "Sans effet sur l’index."
    assert committed(company.save) == set()
    company.aliases += "\nNouvel alias"
    assert committed(company.save) == naming
    assert committed(company.delete) >= naming


def test_search_indexer_once_drains(transactional_db, deferred):
    call_command("rebuild_index", verbosity=0)
    for n in range(3):
        ingest(n)
    assert len(queued()) == 3
    assert index_status()["articles"] == 0
    call_command("search_indexer", "--once", verbosity=0)
    assert queued() == []
    assert index_status()["articles"] == 3


def test_rebuild_index_swaps_and_clears_the_rows_it_covers(db, deferred, monkeypatch):
    covered = [ingest(n).pk for n in range(3)]
    assert queued() == covered
    from articles.management.commands import rebuild_index as command

    real = command.rebuild_index

    def rebuild_while_a_change_lands(**kwargs):
        count = real(**kwargs)
        SearchOutbox.objects.create(article_id=covered[0])  # committed during the build
        return count

    monkeypatch.setattr(command, "rebuild_index", rebuild_while_a_change_lands)
    call_command("rebuild_index", verbosity=0)
    assert index_status() == {**index_status(), "available": True, "articles": 3}
    assert queued() == [covered[0]]


def test_rebuild_if_needed(db, deferred, monkeypatch):
    ingest(1)
    call_command("rebuild_index", verbosity=0)
    from articles.management.commands import rebuild_index as command

    real, builds = command.rebuild_index, []
    monkeypatch.setattr(command, "rebuild_index", lambda **kw: builds.append(1) or real(**kw))
    call_command("rebuild_index", "--if-needed", verbosity=0)
    assert builds == []

    corrupt_index()
    assert index_status()["available"] is False
    call_command("rebuild_index", "--if-needed", verbosity=0)
    assert builds == [1]
    assert index_status()["available"] is True
    assert index_status()["articles"] == 1


def corrupt_index() -> None:
    from django.conf import settings

    from articles.search.index import forget_readers

    root = Path(settings.SEARCH_INDEX_DIR)
    for path in [root, *root.rglob("*")]:
        if path.is_file() and not path.name.endswith(".lock"):
            path.write_bytes(b"\x00not an index\x00" * 4)
    forget_readers()  # as a freshly started process would see it


# Several OS processes: two writers and one or two indexers, on a file database.

WRITER = """
from articles.services import article_ingest, articles_import
for n in range(100):
    article_ingest(
        body=f"Le rédacteur {W} signale la commande {n} de puces H20 par ByteDance ({W}-{n}).",
        title=f"Commande {W} {n}",
        url=f"https://example.test/{W}/{n}",
    )
"""


CHECK = """
from articles.models import Article
from articles.search import SearchRequest, search
hits = set()
for page in range(1, 5):
    hits |= {hit.article_id for hit in search(SearchRequest(q="commande", page=page, per_page=100)).hits}
print(Article.objects.count(), len(hits), hits == set(Article.objects.values_list("pk", flat=True)))
"""


def run_manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, **kwargs
    )


@pytest.mark.parametrize("indexers", [1, 2])
def test_two_writer_processes_lose_no_update(tmp_path, indexers):
    db_file = tmp_path / "archive.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SEARCH_INDEX_INLINE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    assert run_manage(env, "migrate", "--noinput", "-v", "0").returncode == 0
    built = run_manage(env, "rebuild_index", "-v", "0")
    assert built.returncode == 0, built.stderr

    def start(*args):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    drainers = [start("search_indexer", "--interval", "0.2") for _ in range(indexers)]
    writers = [start("shell", "-c", f"W = 'w{w}'\n{WRITER}") for w in range(2)]
    outputs = [writer.communicate(timeout=60) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], outputs

    deadline = time.monotonic() + 20
    while outbox_size(db_file) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert outbox_size(db_file) == 0
    for drainer in drainers:
        drainer.send_signal(signal.SIGTERM)
    outputs += [drainer.communicate(timeout=20) for drainer in drainers]
    assert [drainer.returncode for drainer in drainers] == [0] * indexers, outputs

    status = run_manage(env, "shell", "-v", "0", "-c", CHECK)
    assert status.returncode == 0, status.stderr
    assert status.stdout.split() == ["200", "200", "True"], status.stdout
    printed = "".join(out + err for out, err in outputs)
    assert "LockError" not in printed
    assert "Traceback" not in printed, printed


def outbox_size(db_file: Path) -> int:
    with sqlite3.connect(db_file, timeout=20) as connection:
        return connection.execute("select count(*) from articles_searchoutbox").fetchone()[0]

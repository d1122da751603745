"""Keep the search index in step with the database through a transactional outbox.

Every change that alters what an article's search entry holds writes a `SearchOutbox` row inside the very
transaction that makes the change: a rollback leaves no row, a process that dies after its commit leaves the
row for later. One drainer at a time (`search_drain`, serialised by a file lock next to the index) reads the
oldest rows, re-indexes those articles from their committed state and deletes exactly the rows it read.

With several gunicorn workers the `search_indexer` command drains; with `SEARCH_INDEX_INLINE` (tests, one
process) the writing process drains right after its own commit. Code that bypasses model signals
(`bulk_create`, `QuerySet.update`, raw SQL) calls `search_enqueue` itself.
"""

import fcntl
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from articles import page_cache
from articles.models import (
    Article,
    Chip,
    Company,
    Figure,
    Mention,
    Publication,
    PurchaseEvent,
    SearchOutbox,
    Sentence,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
INLINE_LOCK_TIMEOUT = 10.0
# Fields of a company, chip or publication that the index copies into each article that names it.
INDEXED_NAME_FIELDS = {Company: ("name", "aliases"), Chip: ("name", "aliases"), Publication: ("name",)}


class SearchDrainError(Exception):
    """Some articles of a batch could not be indexed; their rows stay in the outbox for a later try."""


def search_enqueue(article_ids: Iterable[int]) -> None:
    """Queue these articles for re-indexing, in the current transaction (for writes that send no signal)."""
    ids = {int(pk) for pk in article_ids if pk is not None}
    if not ids:
        return
    page_cache.mark_content_changed()  # whatever changes what search shows changes the pages too
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        outbox_insert(ids)
        transaction.on_commit(partial(after_commit, None), robust=True)
        return
    pending = transaction_pending(connection)
    new = ids - pending
    if new:
        outbox_insert(new)
        pending |= new


def outbox_insert(ids: set[int]) -> None:
    SearchOutbox.objects.bulk_create([SearchOutbox(article_id=pk) for pk in sorted(ids)], batch_size=500)


def transaction_pending(connection) -> set[int]:
    """The ids already queued by the current transaction, so that 40 figure saves write one row, not 40.

    Django replaces `run_on_commit` with a new list on commit, rollback and savepoint rollback, so the set
    is only trusted while that list is the one it was made with; our commit callback also retires it (the
    test helper `captureOnCommitCallbacks` runs callbacks without a real commit).
    """
    state = getattr(connection, "_search_outbox_pending", None)
    if state is not None and state[0] is connection.run_on_commit:
        return state[1]
    pending: set[int] = set()
    transaction.on_commit(partial(after_commit, pending), robust=True)
    connection._search_outbox_pending = (connection.run_on_commit, pending)
    return pending


def after_commit(pending: set[int] | None) -> None:
    connection = transaction.get_connection()
    state = getattr(connection, "_search_outbox_pending", None)
    if state is not None and state[1] is pending:
        connection._search_outbox_pending = None
    if settings.SEARCH_INDEX_INLINE:
        search_drain_inline()


def search_drain_inline() -> None:
    """Drain right after a commit; a failure is logged and its rows wait for the next drain, never raised."""
    try:
        while search_drain(BATCH_SIZE, lock_timeout=INLINE_LOCK_TIMEOUT) == BATCH_SIZE:
            pass
    except Exception:
        logger.exception("inline search indexing failed; the outbox keeps the articles for a later drain")


def search_drain(batch_size: int = BATCH_SIZE, *, lock_timeout: float | None = None) -> int:
    """Index the oldest queued articles, then delete exactly the rows read; return how many rows were done.

    Returns 0 when the outbox is empty or when another drainer held the lock for `lock_timeout` seconds
    (None waits as long as needed). Raises SearchDrainError (or SearchUnavailable) when articles failed.
    """
    from articles.search import SearchUnavailable, index_articles

    with drain_lock(timeout=lock_timeout) as locked:
        if not locked:
            return 0
        rows = list(SearchOutbox.objects.order_by("pk").values_list("pk", "article_id")[:batch_size])
        if not rows:
            return 0
        # The rows are read before the articles: any change committed after this read has its own row.
        ids = sorted({article_id for _, article_id in rows})
        try:
            index_articles(ids)
            done = set(ids)
        except SearchUnavailable:
            raise
        except Exception as error:
            if len(ids) == 1:
                raise SearchDrainError(f"article {ids[0]} could not be indexed: {error}") from error
            done = index_one_by_one(ids, index_articles)
        drained = [pk for pk, article_id in rows if article_id in done]
        SearchOutbox.objects.filter(pk__in=drained).delete()
        transaction.get_connection()._search_outbox_pending = None  # in case a caller drains mid-transaction
        if len(done) < len(ids):
            failed = sorted(set(ids) - done)
            raise SearchDrainError(f"{len(failed)} article(s) could not be indexed: {failed[:20]}")
        return len(drained)


def index_one_by_one(ids: list[int], index_articles) -> set[int]:
    """After a batch failed: index each article alone so that one bad article does not hold up the rest."""
    done = set()
    for pk in ids:
        try:
            index_articles([pk])
        except Exception:
            logger.exception("search indexing of article %s failed; it stays in the outbox", pk)
        else:
            done.add(pk)
    if not done:
        raise SearchDrainError(f"no article of the batch could be indexed ({len(ids)} kept in the outbox)")
    return done


def drain_lock_path() -> Path:
    index_dir = Path(settings.SEARCH_INDEX_DIR)
    return index_dir.with_name(index_dir.name + ".drain.lock")


@contextmanager
def drain_lock(*, timeout: float | None = None) -> Iterator[bool]:
    """Hold the one-drainer lock (a POSIX flock, freed by the kernel if the process dies); yield if held.

    Two drainers working at once could let an older read of an article reach the index after a newer one.
    `rebuild_index` holds it too, so that no drain writes into the index that is about to be replaced.
    """
    path = drain_lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    with open(path, "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# Signal handlers: each one only finds the articles concerned and queues them.


def cascaded_from_article(origin) -> bool:
    """A row deleted because its article is: the article's own post_delete queues it once."""
    return isinstance(origin, Article) or (isinstance(origin, QuerySet) and origin.model is Article)


def article_changed(sender, instance, **kwargs) -> None:
    search_enqueue([instance.pk])


def article_part_changed(sender, instance, origin=None, **kwargs) -> None:
    if not cascaded_from_article(origin):
        search_enqueue([instance.article_id])


def buyers_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            search_enqueue([instance.article_id])
    elif action == "pre_clear":
        search_enqueue(PurchaseEvent.objects.filter(buyers=instance).values_list("article_id", flat=True))
    elif action in ("post_add", "post_remove") and pk_set:
        search_enqueue(PurchaseEvent.objects.filter(pk__in=pk_set).values_list("article_id", flat=True))


def articles_naming(instance) -> set[int]:
    """The articles whose search entry copies this company's, chip's or publication's name."""
    if isinstance(instance, Publication):
        return set(Article.objects.filter(publication=instance).values_list("pk", flat=True))
    if isinstance(instance, Company):
        mentions = Mention.objects.filter(company=instance)
        events = PurchaseEvent.objects.filter(Q(buyers=instance) | Q(seller=instance))
    else:
        mentions = Mention.objects.filter(chip=instance)
        events = PurchaseEvent.objects.filter(chip=instance)
    return {*mentions.values_list("article_id", flat=True), *events.values_list("article_id", flat=True)}


def name_fields(instance) -> tuple:
    return tuple(getattr(instance, name) for name in INDEXED_NAME_FIELDS[type(instance)])


def name_before_save(sender, instance, raw=False, **kwargs) -> None:
    instance._search_names_before = None
    if instance.pk and not raw:
        fields = INDEXED_NAME_FIELDS[sender]
        instance._search_names_before = sender.objects.filter(pk=instance.pk).values_list(*fields).first()


def name_after_save(sender, instance, created=False, **kwargs) -> None:
    before = getattr(instance, "_search_names_before", None)
    if not created and before is not None and before != name_fields(instance):
        search_enqueue(articles_naming(instance))


def name_before_delete(sender, instance, **kwargs) -> None:
    # Mentions cascade (and send their own signals), but publications are unset and buyers unlinked silently.
    search_enqueue(articles_naming(instance))


def connect() -> None:
    """Connect the handlers (from ArticlesConfig.ready)."""
    post_save.connect(article_changed, sender=Article, dispatch_uid="search_article_saved")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="search_article_deleted")
    for model in (Sentence, Figure, PurchaseEvent, Mention):
        post_save.connect(article_part_changed, sender=model, dispatch_uid=f"search_{model.__name__}_saved")
        post_delete.connect(
            article_part_changed, sender=model, dispatch_uid=f"search_{model.__name__}_deleted"
        )
    m2m_changed.connect(buyers_changed, sender=PurchaseEvent.buyers.through, dispatch_uid="search_buyers")
    for model in INDEXED_NAME_FIELDS:
        name = model.__name__
        pre_save.connect(name_before_save, sender=model, dispatch_uid=f"search_{name}_before_save")
        post_save.connect(name_after_save, sender=model, dispatch_uid=f"search_{name}_saved")
        pre_delete.connect(name_before_delete, sender=model, dispatch_uid=f"search_{name}_deleted")

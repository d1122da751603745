"""Whole public pages kept in the cache until the archive's content changes.

Every key carries the current *content version*, a random token replaced after each committed change to
articles, figures, events, companies, chips, publications or rates. A change never edits or deletes cached
pages: it makes every old key unreachable at once, in every gunicorn worker, since the cache is shared (a
folder under var/ by default). Pages are keyed by their full URL, host included, because the "citer" box
prints absolute permalinks.

Writes that send no model signal (bulk paths) go through `search_sync.search_enqueue`, which calls
`mark_content_changed` too.
"""

import hashlib
from functools import partial, wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "archive:content-version"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)  # add: a concurrent first request may have won
        version = cache.get(VERSION_KEY, "")
    return version


def content_changed() -> None:
    """Make every cached page unreachable (now, so call it after the change is committed)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def mark_content_changed() -> None:
    """Invalidate cached pages once the current transaction commits (at once outside a transaction)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        content_changed()
        return
    # An import saves thousands of rows in a transaction: all their callbacks share one token, and only the
    # first to run replaces the version. Django swaps `run_on_commit` for a new list after each commit or
    # savepoint rollback, which starts a new token.
    armed = getattr(connection, "_page_cache_token", None)
    if armed is None or armed[0] is not connection.run_on_commit:
        armed = (connection.run_on_commit, object())
        connection._page_cache_token = armed
    transaction.on_commit(partial(_content_changed_once, armed[1]), robust=True)


_last_token = None


def _content_changed_once(token) -> None:
    global _last_token
    if token is not _last_token:
        _last_token = token
        content_changed()


_kept: dict = {}


def kept_until_content_changes(name: str, compute):
    """compute()'s result, kept in this process for as long as cached pages are (same content version).

    For small lookups every page needs (the menus of companies, chips and publications): read once per
    content change instead of once per request. Computed afresh each time when the page cache is off.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    version = content_version()
    kept = _kept.get(name)
    if kept is None or kept[0] != version:
        kept = _kept[name] = (version, compute())
    return kept[1]


def _page_key(request, extra: str) -> str:
    url = hashlib.sha256(f"{extra}|{request.build_absolute_uri()}".encode()).hexdigest()
    return f"archive:page:{content_version()}:{url}"


def cached_page(view=None, *, depends_on=None):
    """Serve a GET page from the cache while the content version is unchanged (PAGE_CACHE_SECONDS > 0).

    `depends_on(request)` names what else the page depends on (a token, part of the key), or None when the
    page must not be cached this time.
    """
    if view is None:
        return lambda view: cached_page(view, depends_on=depends_on)

    @wraps(view)
    def serve(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        extra = depends_on(request) if depends_on else ""
        if extra is None:
            return view(request, *args, **kwargs)
        key = _page_key(request, extra)
        kept = cache.get(key)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (200, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    return serve


def _changed(sender, **kwargs) -> None:
    mark_content_changed()


def connect() -> None:
    """Connect the invalidation to every model a public page shows (from ArticlesConfig.ready)."""
    from articles.models import (
        Article,
        Chip,
        Company,
        ExchangeRate,
        Figure,
        Mention,
        Publication,
        PurchaseEvent,
        Sentence,
    )

    for model in (
        Article,
        Sentence,
        Figure,
        PurchaseEvent,
        Mention,
        Company,
        Chip,
        Publication,
        ExchangeRate,
    ):
        name = model.__name__
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache_{name}_saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache_{name}_deleted")
    m2m_changed.connect(_changed, sender=PurchaseEvent.buyers.through, dispatch_uid="page_cache_buyers")

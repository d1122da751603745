"""French full-text search of the archive; the only package that imports whoosh.

Public API (Whoosh objects never leave the package):

    search(SearchRequest(q=..., companies=..., ...)) -> SearchResults   # raises SearchUnavailable only
    index_articles(ids)        re-read those articles; update the ones that exist, delete the others
    rebuild_index(progress=)   build everything into a new folder and swap it in atomically
    index_status()             {"available": bool, "articles": int, "reason": str}
    index_version()            a token that changes whenever the index does (for caching result pages)

The index lives at `settings.SEARCH_INDEX_DIR`, a symlink to a versioned folder (see index.py). Web
workers only read, through one searcher per thread; writes go through `index_articles` (one writer,
waiting up to 30 s for the lock; a lock still held after that becomes SearchUnavailable, never a
LockError) and `rebuild_index`. Modules: analysis (French analyzer), schema, documents (one document per
article), codec (posting blocks that decode in C), index (folders, writers, readers), parsing (the query
language), query (searching one index folder), postings (terms' postings read whole into numpy arrays, with a
per-searcher cache of frequent terms), fastscore (BM25F scoring of every match in arrays, for relevance
searches).
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.conf import settings
from whoosh.query import Term

from articles.search.index import SearchUnavailable, build_index, new_version_dir, reader_for, swap_in
from articles.search.index import update_documents as _update_documents
from articles.search.query import Hit, Lookup, SearchRequest, SearchResults, SentenceHit, search_index
from articles.search.schema import ARTICLE

__all__ = [
    "Hit",
    "SearchRequest",
    "SearchResults",
    "SearchUnavailable",
    "SentenceHit",
    "index_articles",
    "index_status",
    "index_version",
    "rebuild_index",
    "search",
]

logger = logging.getLogger(__name__)
LOOKUP_TTL = 300.0
_lookup_cache: dict = {}
_lookup_lock = threading.Lock()


def index_path() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def names_lookup() -> Lookup:
    """Company and chip names and aliases from the database, cached per process for five minutes."""
    now = time.monotonic()
    cached = _lookup_cache.get("lookup")
    if cached and now - cached[0] < LOOKUP_TTL:
        return cached[1]
    from articles.models import Chip, Company

    lookup = Lookup.from_names(
        companies=[(c.name, c.alias_list) for c in Company.objects.all()],
        chips=[(c.name, c.alias_list) for c in Chip.objects.all()],
    )
    with _lookup_lock:
        _lookup_cache["lookup"] = (now, lookup)
    return lookup


def forget_names() -> None:
    """Drop the cached names (tests, or after editors changed the gazetteer)."""
    _lookup_cache.clear()


def search(request: SearchRequest) -> SearchResults:
    """Search the archive; SearchUnavailable (with a French message) is the only exception it raises."""
    try:
        return search_index(index_path(), request, lookup=names_lookup())
    except SearchUnavailable:
        raise
    except Exception as error:  # a damaged segment surfaces as any error type; the site must not 500
        logger.exception("search failed for %r", request)
        raise SearchUnavailable(reason=repr(error)) from error


def index_version() -> str:
    """The live index folder and its generation: a new token after every update or rebuild."""
    try:
        reader = reader_for(index_path())
        return f"{reader.target}:{reader.searcher.reader().generation()}"
    except SearchUnavailable:
        raise
    except Exception as error:  # as in search(): a damaged index is unavailable, never a 500
        raise SearchUnavailable(reason=repr(error)) from error


def index_articles(article_ids: Iterable[int]) -> None:
    """Re-read these articles: update the ones that exist, remove the others from the index."""
    from articles.search.documents import iter_documents

    ids = list(dict.fromkeys(int(pk) for pk in article_ids))
    if ids:
        _update_documents(index_path(), ((str(pk), docs) for pk, docs in iter_documents(ids)))


def rebuild_index(*, progress: Callable[[Sequence], Iterable] | None = None) -> int:
    """Index every article into a new folder, swap it in atomically; return the number of articles."""
    from django.utils import timezone

    from articles.models import Article
    from articles.search.documents import iter_documents

    started = timezone.now()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    folder = new_version_dir(index_path())
    built = []

    def documents():
        for pk, docs in iter_documents(progress(ids) if progress else ids):
            if docs is not None:
                built.append(pk)
                yield from docs

    build_index(folder, documents(), procs=getattr(settings, "SEARCH_INDEX_PROCS", 1))
    swap_in(index_path(), folder)
    # Writes that went to the old folder while this one was built: apply them again to the new one.
    changed = set(Article.objects.filter(updated_at__gte=started).values_list("pk", flat=True))
    gone = set(built) - set(Article.objects.filter(pk__in=built).values_list("pk", flat=True))
    if changed or gone:
        index_articles(sorted(changed | gone))
    return len(built)


def index_status() -> dict:
    """Whether search works, how many articles the index holds, and why not when it does not."""
    try:
        reader = reader_for(index_path())
        count = sum(1 for _ in reader.searcher.docs_for_query(Term("kind", ARTICLE)))  # skips deleted
    except SearchUnavailable as error:
        return {"available": False, "articles": 0, "reason": error.reason}
    except Exception as error:  # same contract as search(): report, never raise
        return {"available": False, "articles": 0, "reason": repr(error)}
    return {"available": True, "articles": count, "reason": ""}

"""Index storage: building, versioned folders swapped atomically, writers and per-thread searchers.

Plain paths in, no Django here, so the benchmark can use it directly:

    from articles.search.index import build_index
    from articles.search.documents import make_documents
    from articles.search.query import Lookup, search_index
    from articles.search import SearchRequest

    docs = (doc for a in corpus for doc in make_documents(article_id=..., title=..., body=..., ...))
    build_index(path, docs, procs=2)
    lookup = Lookup.from_names(companies=[("ByteDance", ["ByTedance"]), ...], chips=["H20", ...])
    results = search_index(path, SearchRequest(q="puces"), lookup=lookup)   # plain frozen dataclasses

Layout: the configured index path is a *symlink* to `<path>.versions/<version>`. `swap_in()` points it
at a freshly built folder with `os.replace` of a new symlink (atomic on POSIX), then removes versions
older than the previous one: the previous one is kept so that a searcher opened just before the swap
keeps working until its thread notices the change.

Readers keep one Index + Searcher per thread and path, reopened only when the symlink target changed or
`not searcher.up_to_date()`; the caches that depend on the index (facet postings, frequent terms'
scores) belong to the searcher and are dropped with it. Never `Searcher.refresh()`: in whoosh-reloaded
2.7.5 it keeps deleted documents and duplicates hits after a merge (whoosh.md §1.3). Segments are
written with codec.ArchiveCodec.
"""

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import CLEAR

from articles.search.codec import ArchiveCodec
from articles.search.postings import TermCache
from articles.search.schema import build_schema

WRITER_TIMEOUT = 30.0


class SearchUnavailable(Exception):
    """The index is missing, corrupt or unreadable; the message is for readers, in French."""

    def __init__(self, message: str = "La recherche est momentanément indisponible.", *, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


def versions_dir(link: Path) -> Path:
    return link.parent / f"{link.name}.versions"


def new_version_dir(link: Path) -> Path:
    """An empty, uniquely named folder next to the live one, for a build that is then swapped in."""
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    folder = versions_dir(link) / stamp
    folder.mkdir(parents=True)
    return folder


def build_index(path: Path, documents: Iterable[dict], *, procs: int = 1) -> None:
    """Create an index in `path` (a folder, created if needed) holding `documents` (see documents.py)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=128, codec=ArchiveCodec())
    try:
        for document in documents:
            writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR)
    ix.close()


def swap_in(link: Path, folder: Path) -> None:
    """Point `link` at `folder` atomically, then remove the versions older than the previous one."""
    link = Path(link)
    if link.exists() and not link.is_symlink():
        # A plain folder from an older layout: move it among the versions, then link.
        os.replace(link, versions_dir(link) / f"legacy-{time.time_ns()}")
    temporary = link.parent / f".{link.name}.swap-{os.getpid()}-{threading.get_ident()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(folder.resolve(), temporary)
    os.replace(temporary, link)
    remove_old_versions(link, keep=folder.resolve())


def remove_old_versions(link: Path, *, keep: Path) -> None:
    """Best effort: keep the live version and the newest other one (readers may still have it open)."""
    others = sorted(
        (p for p in versions_dir(link).iterdir() if p.is_dir() and p.resolve() != keep),
        key=lambda p: p.stat().st_mtime,
    )
    for old in others[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def ensure_index(link: Path) -> None:
    """Create an empty live index when there is none, so that a first update has somewhere to go."""
    if not whoosh_index.exists_in(str(link)):
        folder = new_version_dir(link)
        build_index(folder, ())
        swap_in(link, folder)


def update_documents(link: Path, updates: Iterable[tuple[str, list[dict] | None]]) -> None:
    """Replace the documents of each article key (None: delete them), in one writer and one commit."""
    ensure_index(link)
    ix = whoosh_index.open_dir(str(link))
    try:
        writer = ix.writer(timeout=WRITER_TIMEOUT, delay=0.05, codec=ArchiveCodec())
    except LockError as error:
        ix.close()
        raise SearchUnavailable(
            "L’index de recherche est occupé ; réessayez dans un instant.", reason=f"lock: {error}"
        ) from error
    try:
        for key, documents in updates:
            writer.delete_by_term("article", key)
            for document in documents or ():
                writer.add_document(**document)
    except BaseException:
        writer.cancel()
        ix.close()
        raise
    writer.commit()
    ix.close()


class _Reader:
    """One thread's open index, its searcher and the caches that are only valid for that searcher."""

    __slots__ = ("target", "ix", "searcher", "facets", "terms")

    def __init__(self, target: str):
        self.target = target
        self.ix = whoosh_index.open_dir(target)
        self.searcher = self.ix.searcher()
        self.facets = None  # per-searcher cache of keyword postings, filled by query.py
        self.terms = TermCache()  # per-searcher cache of frequent terms' scored postings

    def reopen(self) -> None:
        """A new searcher on the changed index, and empty caches (scores depend on the whole index)."""
        self.searcher.close()
        self.searcher = self.ix.searcher()
        self.facets = None
        self.terms = TermCache()


_local = threading.local()


def reader_for(link: Path) -> "_Reader":
    """This thread's reader of the index at `link`, reopened only when the index changed."""
    readers = getattr(_local, "readers", None)
    if readers is None:
        readers = _local.readers = {}
    key = str(link)
    target = os.path.realpath(key)
    current = readers.get(key)
    try:
        if current is not None and current.target == target:
            if not current.searcher.up_to_date():
                current.reopen()
            return current
        if current is not None:
            readers.pop(key, None)
            current.searcher.close()
        if not whoosh_index.exists_in(target):
            raise SearchUnavailable(reason=f"no index at {key}")
        reader = _Reader(target)
        if "sentences" not in reader.ix.schema:  # one document per sentence: built before the redesign
            reader.searcher.close()
            raise SearchUnavailable(reason=f"index at {key} has an older schema: rebuild_index needed")
        readers[key] = reader
        return reader
    except SearchUnavailable:
        raise
    except Exception as error:  # a corrupt TOC or segment raises pickle, EOF, OS or Whoosh errors alike
        readers.pop(key, None)
        raise SearchUnavailable(reason=f"unreadable index at {key}: {error!r}") from error


def forget_readers() -> None:
    """Close this thread's searchers (tests, and processes about to fork)."""
    for reader in getattr(_local, "readers", {}).values():
        with contextlib.suppress(Exception):  # already broken: nothing left to release
            reader.searcher.close()
    _local.readers = {}

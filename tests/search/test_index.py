"""Index life cycle: missing or corrupt index, atomic rebuilds, updates and deletions, the seed articles."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article
from articles.search import (
    SearchRequest,
    SearchUnavailable,
    index_articles,
    index_status,
    rebuild_index,
    search,
)
from articles.search.index import reader_for, versions_dir
from articles.services import articles_import
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db


def found(q):
    return {hit.article_id for hit in search(SearchRequest(q=q)).hits}


def test_missing_index_is_unavailable():
    with pytest.raises(SearchUnavailable) as error:
        search(SearchRequest(q="puces"))
    assert "indisponible" in str(error.value)
    assert index_status() == {"available": False, "articles": 0, "reason": error.value.reason}


def test_corrupt_index_is_unavailable(make_article):
    index_articles([make_article("Nvidia vend des puces.").pk])
    for toc in Path(settings.SEARCH_INDEX_DIR).resolve().glob("*.toc"):
        toc.write_bytes(b"\x80junk" * 10)
    with pytest.raises(SearchUnavailable):
        search(SearchRequest(q="puces"))
    assert index_status()["available"] is False


def test_rebuild_swaps_atomically(make_article):
    first = make_article("Nvidia vend des puces A800.")
    assert rebuild_index() == 1
    link = Path(settings.SEARCH_INDEX_DIR)
    assert link.is_symlink() and index_status() == {"available": True, "articles": 1, "reason": ""}
    old_searcher = reader_for(link).searcher
    assert found("A800") == {first.pk}

    second = make_article("Huawei produit des puces Ascend.")
    seen = []
    assert rebuild_index(progress=lambda ids: seen.extend(ids) or ids) == 2
    assert seen == [first.pk, second.pk]
    # A searcher opened before the swap still answers from the old version...
    assert [hit["article"] for hit in old_searcher.documents(kind="a")] == [str(first.pk)]
    # ...and new searches see the new one.
    assert found("puces") == {first.pk, second.pk}
    assert index_status()["articles"] == 2
    rebuild_index()
    assert len(list(versions_dir(link).iterdir())) == 2  # the live version and the previous one


def test_index_articles_updates_and_removes(make_article):
    kept, removed = make_article("Nvidia vend des puces."), make_article("Huawei vend des puces.")
    index_articles([kept.pk, removed.pk])
    assert found("puces") == {kept.pk, removed.pk}
    removed_pk = removed.pk
    removed.delete()
    Article.objects.filter(pk=kept.pk).update(title="Un titre nouveau")
    index_articles([kept.pk, removed_pk])
    assert found("puces") == {kept.pk}
    assert found("nouveau") == {kept.pk}
    assert index_status()["articles"] == 1


def test_rebuild_replaces_a_plain_folder(make_article):
    article = make_article("Nvidia vend des puces.")
    Path(settings.SEARCH_INDEX_DIR).mkdir(parents=True)
    (Path(settings.SEARCH_INDEX_DIR) / "junk").write_text("x")
    rebuild_index()
    assert os.path.islink(settings.SEARCH_INDEX_DIR) and found("puces") == {article.pk}


def test_seed_articles_are_searchable():
    articles_import(paths=[SEED_FILE])
    assert rebuild_index() == 5
    # Matched in Python: `\b` is a word boundary for SQLite's regex but a backspace for PostgreSQL's.
    with_h20 = {a.pk for a in Article.objects.all() if re.search(r"H20\b", a.body)}
    assert len(with_h20) == 1 and Article.objects.filter(body__contains="H200").exists()
    assert found("H20") == with_h20
    assert found("A800") == {a.pk for a in Article.objects.filter(body__contains="A800")}
    bytedance = search(SearchRequest(q="bytedance"))
    assert bytedance.total >= 2
    assert any("<mark>ByTedance</mark>" in s.html for hit in bytedance.hits for s in hit.sentences)
    assert dict(search(SearchRequest()).facets["company"])["ByteDance"] == bytedance.total
    assert search(SearchRequest(q="autorisations")).total >= 1

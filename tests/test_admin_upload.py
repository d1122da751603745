"""Importing article files from the admin: the same service and report as `import_articles`."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.admin import tools
from articles.models import Article
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/articles/article/importer/"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_article_list_links_to_the_import_page(admin_client):
    page = admin_client.get("/admin/articles/article/").content.decode()
    assert f'href="{UPLOAD}"' in page and "Importer des fichiers" in page
    assert admin_client.get("/admin/articles/article/add/")["Location"] == UPLOAD


def test_upload_imports_files_and_reports_each_failure(admin_client):
    article = {
        "url": "https://example.org/h20", "title": "Commande de H20", "publication": "Exemple",
        "published": "2025-02", "body": "ByteDance a commandé 100 000 puces H20 à Nvidia en 2025.",
    }  # fmt: skip
    files = [
        upload("seed.json", SEED_FILE.read_bytes()),
        upload("h20.json", json.dumps(article).encode()),
        upload("note.txt", "Tencent achète des GPU.\n\nTencent a acheté 5 000 puces H20.".encode()),
        upload("broken.json", b"{not json"),
    ]
    response = admin_client.post(UPLOAD, {"files": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "créés 7, mis à jour 0, ignorés 0, échecs 1" in page
    assert "broken.json : " in page  # the editor's file name, not the temporary copy
    assert "/tmp" not in page
    assert Article.objects.count() == 7
    assert Article.objects.get(source_url="https://example.org/h20").figures.exists()
    again = admin_client.post(UPLOAD, {"files": [upload("seed.json", SEED_FILE.read_bytes())]})
    assert "créés 0, mis à jour 0, ignorés 5, échecs 0" in again.content.decode()


def test_upload_refuses_other_formats_and_oversized_files(admin_client, monkeypatch):
    response = admin_client.post(UPLOAD, {"files": [upload("archive.zip", b"PK\x03\x04")]})
    assert response.status_code == 200
    assert "« archive.zip » : type de fichier non pris en charge" in response.content.decode()
    monkeypatch.setattr(tools, "MAX_FILE_BYTES", 10)
    response = admin_client.post(UPLOAD, {"files": [upload("long.txt", b"x" * 11)]})
    assert "la limite est de" in response.content.decode()
    response = admin_client.post(UPLOAD, {})
    assert "Choisissez au moins un fichier." in response.content.decode()
    assert not Article.objects.exists()


def test_upload_requires_the_add_permission(client):
    user = get_user_model().objects.create_user("lectrice", password="motdepasse-solide", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403
    assert "Importer des fichiers" not in client.get("/admin/articles/article/").content.decode()
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    assert client.get(UPLOAD).status_code == 200

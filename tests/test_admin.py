"""The editors' admin over HTTP: every model is listed, searchable, and corrections survive re-imports."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Chip, Company
from articles.services import articles_import
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

MODELS = [
    "publication", "article", "sentence", "company", "chip", "figure", "purchaseevent", "mention",
    "exchangerate",
]  # fmt: skip


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser(
        "redaction", "redaction@example.org", "motdepasse-solide"
    )
    client.force_login(user)
    return client


def empty_inlines() -> dict:
    """Management data of the article page's inlines, with no row sent."""
    data = {}
    for prefix in ("figures", "events", "sentences"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_working_list_with_search(editor_client, seeded, model):
    response = editor_client.get(f"/admin/articles/{model}/", {"q": "ByteDance"})
    assert response.status_code == 200
    assert 'id="searchbar"' in response.content.decode()


def test_admin_is_in_french_and_requires_login(client, db):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "Nom d’utilisateur" in client.get("/admin/login/").content.decode()


def test_gazetteer_is_installed_by_migrate(db):
    bytedance = Company.objects.get(name="ByteDance")
    assert "ByTedance" in bytedance.alias_list
    assert "propriétaire de TikTok" in bytedance.alias_list
    a800 = Chip.objects.get(name="A800")
    assert a800.alias_list == ["puces A8"]
    assert (a800.maker.name, a800.variant_of.name) == ("Nvidia", "A100")
    assert Chip.objects.get(slug="rtx-4090-d").variant_of.name == "RTX 4090"
    canonical = {
        "ByteDance",
        "Alibaba",
        "Tencent",
        "Baidu",
        "Nvidia",
        "Huawei",
        "TSMC",
        "DeepSeek",
        "Cambricon",
        "SMIC",
    }
    assert canonical <= set(Company.objects.values_list("name", flat=True))
    chips = {
        *["A100", "A800", "H100", "H800", "H20", "H200", "B200", "B30A"],
        "RTX 4090",
        "RTX 4090 D",
        "Ascend 910B",
        "Ascend 910C",
    }
    assert chips <= set(Chip.objects.values_list("name", flat=True))


def test_article_page_shows_its_sentences_read_only(editor_client, seeded):
    article = Article.objects.get(title__startswith="Guerre des IA")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Démantèlement de cartes" in page
    assert "en lecture seule" in page
    assert 'name="sentences-0-text"' not in page  # nothing editable in the inline


def test_editor_correction_survives_a_reimport(editor_client, seeded):
    article = Article.objects.get(publication__name="Business AM")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": "Pékin autorise les achats de H200",
            "slug": article.slug,
            "source_url": "",
            "publication": article.publication_id,
            "published_on": "2026-01-15",
            "date_precision": "day",
            "language": "fr",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert set(article.editor_locked_fields) == {"title", "published_on", "date_precision"}
    report = articles_import(paths=[SEED_FILE])
    assert report.failed == 0
    article.refresh_from_db()
    assert article.title == "Pékin autorise les achats de H200"
    assert article.date_precision == "day"

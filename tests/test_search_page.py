"""The /recherche/ page over real HTTP, on the seed coverage indexed in a temp folder."""

import json
import re
import shutil

import pytest
from django.conf import settings

from articles.models import Article
from articles.search import rebuild_index
from articles.services import articles_import
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"unbalanced',
    "(ByteDance",
    "ByteDance)",
    "AND",
    "OR OR",
    "-",
    "*",
    "title:H20",
    "<script>alert(1)</script>",
    "\x00\x07\x1b[31m",
    "a" * 5000,
    "H20 " * 400,
    "%%%",
    "'; DROP TABLE articles_article; --",
]


@pytest.fixture
def indexed(db):
    articles_import(paths=[SEED_FILE])
    rebuild_index()
    return list(Article.objects.all())


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_search_box_is_on_every_page(client, indexed):
    for url in ["/", "/articles/", indexed[0].get_absolute_url(), "/recherche/"]:
        assert 'role="search"' in get(client, url) and 'action="/recherche/"' in get(client, url)


def test_results_show_matching_sentences_linked_and_highlighted(client, indexed):
    page = get(client, "/recherche/?q=autorisations")
    article = Article.objects.get(publication__name="Business AM")
    assert article.get_absolute_url() in page
    links = re.findall(rf'href="{article.get_absolute_url()}#s-(\d+)">(.*?)</a>', page)
    assert 1 <= len(links) <= 3
    for index, html in links:
        assert "<mark>" in html
        sentence = article.sentences.get(index=int(index))
        assert "autoris" in sentence.text.lower()  # the stem: "autorise" matches "autorisations"


def test_company_alias_and_filters_and_facets(client, indexed):
    page = get(client, "/recherche/?q=bytedance")
    assert "ByTedance" in Article.objects.get(body__startswith="Tencent Holdings").body
    assert Article.objects.get(body__startswith="Tencent Holdings").get_absolute_url() in page
    facet = r'href="\?q=bytedance&amp;entreprise=bytedance"[^>]*>ByteDance</a> <span class="count">\d+'
    assert re.search(facet, page)
    filtered = get(client, "/recherche/?q=puces&entreprise=tencent")
    assert "retirer ce filtre" in filtered


def test_did_you_mean_for_misspelt_names(client, indexed):
    assert re.search(r"Vouliez-vous dire <a [^>]*>Nvidia</a>", get(client, "/recherche/?q=Nvidea"))


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail_and_are_escaped(client, indexed, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    json_response = client.get("/recherche/", {"q": query, "format": "json"})
    assert json_response.status_code == 200
    assert "<script>" not in json.dumps(json_response.json()["results"])


@pytest.mark.parametrize(
    "params",
    [
        "?page=abc",
        "?page=-3",
        "?page=99999",
        "?du=pas-une-date",
        "?entreprise=inconnue",
        "?tri=nimporte",
        "?type=x",
    ],  # fmt: skip
)
def test_bad_parameters_are_shown_not_crashed(client, indexed, params):
    get(client, "/recherche/" + params + "&q=puces")


def test_json_format_for_api_users(client, indexed):
    payload = json.loads(get(client, "/recherche/?q=H200&format=json"))
    assert set(payload) == {"count", "results"}
    assert payload["count"] >= 1
    result = payload["results"][0]
    assert set(result) == {"url", "source_url", "title", "published", "score", "sentences"}
    assert result["url"].startswith("http://testserver/articles/")
    assert all(set(s) == {"index", "text", "html"} for s in result["sentences"])


def test_pagination_keeps_the_query_and_filters(client, db, settings):
    for n in range(25):
        articles_import_body(f"Article {n}", f"Tencent commande des puces H20, épisode numéro {n}.")
    rebuild_index()
    page = get(client, "/recherche/?q=commande&tri=date")
    assert "Page 1 sur 2" in page
    assert 'href="?q=commande&amp;tri=date&amp;page=2"' in page
    assert "Page 2 sur 2" in get(client, "/recherche/?q=commande&tri=date&page=2")


def articles_import_body(title, body):
    from articles.services import article_extract, article_ingest

    article, _, _ = article_ingest(body=body, title=title)
    article_extract(article)


def test_missing_index_says_search_is_unavailable_and_the_rest_works(client, indexed):
    shutil.rmtree(settings.SEARCH_INDEX_DIR, ignore_errors=True)
    index_path = settings.SEARCH_INDEX_DIR
    if index_path.is_symlink():
        index_path.unlink()
    page = get(client, "/recherche/?q=puces", status=503)
    assert "indisponible" in page
    assert client.get("/recherche/?q=puces&format=json").status_code == 503
    get(client, "/articles/")
    get(client, indexed[0].get_absolute_url())

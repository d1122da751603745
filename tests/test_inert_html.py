"""An article whose title and text hold markup renders inert everywhere it is shown.

The article goes through the real import (reader, ingest, extraction, index). HTML and Atom output must
show the markup as text (escaped once), data exports must carry it unchanged as data, and no response may
contain it live. Pages that other parts add are checked once their URL names exist.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Chip, Company, Figure, PurchaseEvent, Sentence
from articles.search import rebuild_index
from articles.services import articles_import

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"
TITLE = f"ByteDance et Nvidia {SCRIPT} {IMG}"
FIGURE_SENTENCE = "ByteDance a commandé 100 000 puces H20 pour 5 milliards de dollars <b>gras</b>."
BODY = (
    f"Pékin, le 3 mars. {SCRIPT} Les géants chinois accélèrent leurs achats.\n\n"
    f"{FIGURE_SENTENCE} {IMG} Selon le Financial Times, Nvidia livrera les puces cette année."
)
PUBLICATION = "<i>La Gazette</i> & Cie"
# Any of these as is in an HTML or XML response means the text went out as live markup.
LIVE = ("<script>alert(", "<img src=x", "<b>gras</b>", "<i>La Gazette</i>")
ESCAPED = ("&lt;script&gt;", "&lt;b&gt;gras&lt;/b&gt;")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "hostile.json"
    record = {
        "url": "https://exemple.fr/hostile",
        "title": TITLE,
        "publication": PUBLICATION,
        "published": "2024-03-03",
        "body": BODY,
    }
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = articles_import(paths=[path])
    assert report.summary == "created 1, updated 0, skipped 0, failed 0", report.failures
    rebuild_index()
    article = Article.objects.get(source_url="https://exemple.fr/hostile")
    assert article.title == TITLE and article.body == BODY  # stored as given: escaping is the output's job
    return article


@pytest.fixture
def event(article):
    """The purchase event extracted from the sentence that holds <b>: company, chip and feed pages show it."""
    found = PurchaseEvent.objects.filter(article=article, sentence__text__contains="<b>gras</b>").first()
    assert found is not None, list(PurchaseEvent.objects.filter(article=article).values("type", "sentence"))
    return found


def url_or_skip(name: str, *args) -> str:
    try:
        return reverse(f"articles:{name}", args=args)
    except NoReverseMatch:
        pytest.skip(f"the page {name!r} is not registered yet")


def assert_inert(body: str, *, shows_text: bool = True) -> None:
    for live in LIVE:
        assert live not in body, live
    if shows_text:
        assert any(escaped in body for escaped in ESCAPED), "the hostile text is not shown at all"


def get_text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return (b"".join(response) if response.streaming else response.content).decode("utf-8")


def test_article_page_shows_markup_as_text_and_keeps_figures(client, article):
    page = get_text(client, article.get_absolute_url())
    assert_inert(page)
    assert "ByteDance et Nvidia &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;i&gt;La Gazette&lt;/i&gt; &amp; Cie" in page
    # The figures are still marked up by the archive itself, around escaped text.
    assert Figure.objects.filter(article=article).exists()
    assert '<mark id="f-' in page


@pytest.mark.parametrize("url", ["/", "/articles/", "/recherche/?q=gras", "/recherche/?q=ByteDance+H20"])
def test_lists_and_search_results_are_inert(client, article, url):
    assert_inert(get_text(client, url))


def test_search_json_carries_text_as_data_and_escaped_html(client, article):
    response = client.get("/recherche/", {"q": "gras", "format": "json"})
    assert response["Content-Type"].startswith("application/json")
    payload = json.loads(response.content)
    [result] = [item for item in payload["results"] if item["source_url"] == article.source_url]
    assert result["title"] == TITLE
    sentence = next(s for s in result["sentences"] if "gras" in s["text"])
    assert "<b>gras</b>" in sentence["text"]  # data, as stored
    assert "&lt;b&gt;gras&lt;/b&gt;" in sentence["html"] or "&lt;b&gt;<mark>gras</mark>" in sentence["html"]
    html_without_marks = sentence["html"].replace("<mark>", "").replace("</mark>", "")
    assert "<" not in html_without_marks


def test_export_commands_keep_the_text_exactly(article, event):
    # CSV and JSON are data: the sentence must come out byte for byte, neither escaped nor stripped.
    sentence = event.sentence.text
    assert "<b>gras</b>" in sentence and IMG in sentence
    for command in ("export_figures", "export_events"):
        out = StringIO()
        call_command(command, format="json", stdout=out, stderr=StringIO())
        records = [r for r in json.loads(out.getvalue()) if r["article_url"] == article.source_url]
        assert sentence in {r["sentence"] for r in records}, command
        out = StringIO()
        call_command(command, format="csv", stdout=out, stderr=StringIO())
        rows = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))
        assert sentence in {row["sentence"] for row in rows if row["article"] == article.slug}, command


def test_events_table_and_its_downloads(client, event):
    url = url_or_skip("event-list")
    assert_inert(get_text(client, url))
    response = client.get(url, {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert event.sentence.text in {record["sentence"] for record in json.loads(response.content)}
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")))
    assert event.sentence.text in {row["sentence"] for row in rows}


def test_company_and_chip_pages(client, event):
    buyer = event.buyers.first() or event.seller
    assert isinstance(buyer, Company)
    assert_inert(get_text(client, url_or_skip("company-detail", buyer.slug)))
    assert_inert(get_text(client, url_or_skip("company-list")), shows_text=False)
    if event.chip is not None:
        assert isinstance(event.chip, Chip)
        assert_inert(get_text(client, url_or_skip("chip-detail", event.chip.slug)))
    assert_inert(get_text(client, url_or_skip("comparison")), shows_text=False)


def atom_entries(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def assert_entry_inert(entry) -> None:
    """Titles are plain text; summaries are HTML that a feed reader renders, so markup must be escaped."""
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.get("type") == "html"
    for live in LIVE:
        assert live not in summary.text, live
    assert any(escaped in summary.text for escaped in ESCAPED)
    assert entry.find(f"{ATOM}title").get("type") in (None, "text")


def test_article_feed(client, article):
    entries = atom_entries(client, url_or_skip("feed-articles"))
    [entry] = [e for e in entries if e.find(f"{ATOM}title").text == TITLE]
    assert_entry_inert(entry)


def test_company_and_chip_feeds(client, event):
    buyer = event.buyers.first() or event.seller
    entries = atom_entries(client, url_or_skip("feed-company-events", buyer.slug))
    assert entries
    for entry in entries:
        assert_entry_inert(entry)
    if event.chip is not None:
        for entry in atom_entries(client, url_or_skip("feed-chip-events", event.chip.slug)):
            assert_entry_inert(entry)


@pytest.mark.parametrize("model", [Article, Sentence, Figure, PurchaseEvent])
def test_admin_changelists_are_inert(admin_client, event, model):
    url = reverse(f"admin:articles_{model._meta.model_name}_changelist")
    assert_inert(get_text(admin_client, url), shows_text=model in (Article, Sentence))


@pytest.mark.parametrize("model", [Article, Sentence, Figure, PurchaseEvent])
def test_admin_change_pages_are_inert(admin_client, event, model):
    if model is Article:
        obj = event.article
    elif model is Sentence:
        obj = event.sentence
    elif model is Figure:
        obj = Figure.objects.filter(sentence=event.sentence).first()
    else:
        obj = event
    url = reverse(f"admin:articles_{model._meta.model_name}_change", args=[obj.pk])
    assert_inert(get_text(admin_client, url))

"""The public pages over real HTTP (Django's test client) on the seed coverage."""

import re
from datetime import date

import pytest
from django.test import Client

from articles.models import Article, DatePrecision
from articles.services import article_ingest

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_shows_latest_articles_and_counts(client, seeded):
    page = html_of(client, "/")
    assert '<html lang="fr">' in page
    assert "Derniers articles" in page
    assert re.search(r"<dt>Articles</dt><dd>5</dd>", page)
    assert re.search(r"<dt>Entreprises suivies</dt><dd>19</dd>", page)
    assert re.search(r"<dt>Puces suivies</dt><dd>20</dd>", page)
    for article in seeded:
        assert article.get_absolute_url() in page


def test_empty_archive_home_says_how_to_import(client, db):
    page = html_of(client, "/")
    assert "import_articles" in page


def test_article_list_is_newest_first_with_unknown_dates_last(client, seeded):
    page = html_of(client, "/articles/")
    positions = [page.index(article.get_absolute_url()) for article in seeded]
    assert positions == sorted(positions)
    dates = [article.published_on for article in seeded]
    assert dates[0] == date(2026, 1, 1) and dates[-1] is None
    assert "5 articles" in page


def test_article_list_paginates_and_keeps_filters(client, db, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        article_ingest(
            body=f"Texte numéro {n}.",
            title=f"Article {n}",
            publication="Reuters",
            published=date(2024, 1, n + 1),
            precision=DatePrecision.DAY,
        )
    article_ingest(body="Autre texte.", title="Autre", publication="Le Monde")
    page = html_of(client, "/articles/?publication=reuters")
    assert "5 articles" in page and "Page 1 sur 3" in page
    assert 'href="?publication=reuters&amp;page=2"' in page
    page2 = html_of(client, "/articles/?publication=reuters&page=2")
    assert "Article 2" in page2 and "Article 4" not in page2 and "Autre" not in page2
    # Out-of-range and junk page numbers fall back to a real page instead of an error.
    assert "Page 3 sur 3" in html_of(client, "/articles/?publication=reuters&page=999")
    assert "Page 1 sur 3" in html_of(client, "/articles/?publication=reuters&page=abc")


def test_article_list_rejects_bad_filter_values_politely(client, seeded):
    page = html_of(client, "/articles/?publication=nope&year=<script>")
    assert "<script>" not in page
    assert "5 articles" in page


def test_article_page_renders_every_sentence_with_its_anchor(client, seeded):
    article = Article.objects.get(title__startswith="Guerre des IA")
    page = html_of(client, article.get_absolute_url())
    sentences = list(article.sentences.all())
    for sentence in sentences:
        assert f'id="s-{sentence.index}"' in page
    assert len(re.findall(r'id="s-\d+"', page)) == len(sentences)
    assert '<h1 id="s-0" class="sentence">Guerre des IA : La Chine récupère' in page
    assert '<h2 class="sentence" id="s-10">Démantèlement de cartes</h2>' in page
    assert "date inconnue" in page
    assert "URL de la source inconnue" in page
    # Site leftovers stay in the page for the record, folded away from the text.
    assert re.search(r'<details class="boilerplate">.*Laisser un commentaire', page, re.S)


def test_article_page_groups_sentences_of_a_paragraph_and_lists_bullets(client, seeded):
    article = Article.objects.get(publication__name="Business AM")
    page = html_of(client, article.get_absolute_url())
    assert re.search(
        r'<ul><li class="sentence" id="s-2">Les géants chinois.*?</li><li class="sentence" id="s-3">',
        page,
        re.S,
    )
    assert re.search(r'<p><span class="sentence" id="s-5">.*?</span> <span class="sentence" id="s-6">', page)
    assert '<time datetime="2026">2026</time>' in page
    assert "date approximative" in page


@pytest.mark.parametrize(
    ("published", "precision", "shown"),
    [
        (date(2023, 8, 9), DatePrecision.DAY, '<time datetime="2023-08-09">9 août 2023</time>'),
        (date(2023, 8, 1), DatePrecision.DAY, '<time datetime="2023-08-01">1er août 2023</time>'),
        (date(2023, 8, 1), DatePrecision.MONTH, '<time datetime="2023-08">août 2023</time>'),
        (date(2025, 1, 1), DatePrecision.YEAR, '<time datetime="2025">2025</time>'),
        (None, DatePrecision.UNKNOWN, "<time>date inconnue</time>"),
    ],
)
def test_dates_are_shown_with_their_precision_in_french(client, db, published, precision, shown):
    article, _, _ = article_ingest(body="Un texte.", title="Daté", published=published, precision=precision)
    assert shown in html_of(client, article.get_absolute_url())


def test_article_text_is_escaped(client, db):
    article, _, _ = article_ingest(
        body="<script>alert(1)</script> ByteDance achète des puces.",
        title="<b>Titre</b>",
        url="https://exemple.fr/x",
    )
    page = html_of(client, article.get_absolute_url())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Titre&lt;/b&gt;" in page
    assert 'href="https://exemple.fr/x" rel="noopener noreferrer nofollow"' in page


def test_unknown_article_gets_the_styled_404(client, db):
    page = html_of(client, "/articles/nexiste-pas/", status=404)
    assert "Page introuvable" in page
    assert "archive.css" in page


def test_server_error_gets_the_styled_500(db, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.views.article_blocks", broken)
    client = Client(raise_request_exception=False)
    response = client.get(seeded[0].get_absolute_url())
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1000000000", "1 milliard"),
        ("13700000000", "13,7 milliards"),
        ("700000000", "700 millions"),
        ("3300000000000", "3,3 billions"),
        ("1234567", "1\xa0234\xa0567"),
        ("12000", "12\xa0000"),
        ("2.5", "2,5"),
    ],
)
def test_amounts_read_as_the_french_press_writes_them(value, shown):
    from decimal import Decimal

    from articles.templatetags.archive import french_amount

    assert french_amount(Decimal(value)) == shown

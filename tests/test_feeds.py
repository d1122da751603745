"""Atom feeds of new articles and of new events per company and per chip."""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, Chip, Company, PurchaseEvent, ReviewStatus
from articles.services import article_ingest

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_articles_feed_lists_the_seeds_newest_added_first(client, seeded):
    root, entries = feed_entries(client, "/flux/articles/")
    assert "nouveaux articles" in root.find(f"{ATOM}title").text
    assert len(entries) == 5
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {f"http://testserver{article.get_absolute_url()}" for article in seeded}


def test_article_markup_arrives_in_feed_readers_as_text(client, db):
    article_ingest(body="<script>alert('x')</script> ByteDance commande des puces.", title="<b>Titre</b>")
    _, entries = feed_entries(client, "/flux/articles/")
    summary = entries[0].find(f"{ATOM}summary").text
    # The summary is HTML for the reader: the body's tags must be escaped inside it.
    assert "<script>" not in summary and "&lt;script&gt;" in summary
    assert entries[0].find(f"{ATOM}title").text == "<b>Titre</b>"


def test_company_feed_has_its_events_and_never_rejected_ones(client, seeded):
    company = Company.objects.filter(purchases__isnull=False).distinct().first()
    events = PurchaseEvent.objects.public().filter(buyers=company)
    rejected = events.first()
    rejected.review_status = ReviewStatus.REJECTED
    rejected.save()
    expected = PurchaseEvent.objects.public().filter(buyers=company).distinct().count()
    root, entries = feed_entries(client, f"/flux/entreprises/{company.slug}/")
    assert company.name in root.find(f"{ATOM}title").text
    assert len(entries) == expected
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert f"tag:archive-puces-ia,2026:evenement/{rejected.pk}" not in ids
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert "#s-" in entry.find(f"{ATOM}link").get("href")
        assert "«" in entry.find(f"{ATOM}summary").text


def test_chip_feed_has_the_chips_events(client, seeded):
    chip = Chip.objects.filter(events__isnull=False).distinct().first()
    _, entries = feed_entries(client, f"/flux/puces/{chip.slug}/")
    assert len(entries) == PurchaseEvent.objects.public().filter(chip=chip).count() > 0
    assert all(chip.name in entry.find(f"{ATOM}title").text for entry in entries)


def test_unknown_slug_is_a_404(client, db):
    assert client.get("/flux/entreprises/inconnue/").status_code == 404
    assert client.get("/flux/puces/inconnue/").status_code == 404


def test_feed_query_count_does_not_grow_with_events(client, seeded, django_assert_max_num_queries):
    chip = Chip.objects.filter(events__isnull=False).distinct().first()
    with django_assert_max_num_queries(6):
        client.get(f"/flux/puces/{chip.slug}/")
    assert Article.objects.count() == 5

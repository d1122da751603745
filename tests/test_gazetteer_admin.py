"""Editing the gazetteer in the admin: merges of duplicates, and re-extraction offered after a name change."""

import pytest
from django.contrib.messages import get_messages

from articles.models import Article, Chip, Company, Mention, PurchaseEvent
from articles.services import gazetteer
from articles.services.gazetteer import MergeError, chip_merge, company_merge

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def duplicate(seeded):
    """A duplicate of ByteDance, as an editor might create by mistake, holding some of its events."""
    bytedance = Company.objects.get(name="ByteDance")
    copy = Company.objects.create(
        name="Bytedance Ltd", aliases="Zijie Tiaodong\nByteDance Ltd.", country="Chine"
    )
    moved = list(PurchaseEvent.objects.filter(buyers=bytedance)[:2])
    for event in moved:
        event.buyers.remove(bytedance)
        event.buyers.add(copy)
    sold = PurchaseEvent.objects.filter(seller=bytedance).first()
    PurchaseEvent.objects.filter(pk=sold.pk).update(seller=copy)
    Mention.objects.filter(company=bytedance).update(company=copy)
    return bytedance, copy, [event.pk for event in moved], sold.pk


def test_company_merge_moves_events_mentions_and_names(duplicate, monkeypatch):
    bytedance, copy, moved, sold = duplicate
    mentions = Mention.objects.filter(company=copy).count()
    assert mentions
    affected = set(Mention.objects.filter(company=copy).values_list("article_id", flat=True))
    queued = set()
    monkeypatch.setattr(gazetteer, "search_enqueue", queued.update)
    company_merge(keep=bytedance, remove=copy)
    # update() sends no signal: the service itself queues the articles that named the removed company.
    assert affected <= queued
    assert not Company.objects.filter(pk=copy.pk).exists()
    assert all(bytedance in PurchaseEvent.objects.get(pk=pk).buyers.all() for pk in moved)
    assert PurchaseEvent.objects.get(pk=sold).seller == bytedance
    assert Mention.objects.filter(company=bytedance, name="ByteDance").count() >= mentions
    bytedance.refresh_from_db()
    assert bytedance.alias_list[-3:] == ["Bytedance Ltd", "Zijie Tiaodong", "ByteDance Ltd."]


def test_company_merge_into_itself_is_refused(seeded):
    nvidia = Company.objects.get(name="Nvidia")
    with pytest.raises(MergeError, match="elle-même"):
        company_merge(keep=nvidia, remove=nvidia)


def test_chip_merge_moves_events_mentions_and_variants(seeded):
    h20, h200 = Chip.objects.get(name="H20"), Chip.objects.get(name="H200")
    variant = Chip.objects.create(name="H20 bis", variant_of=h200)
    h20_events = set(PurchaseEvent.objects.filter(chip=h20).values_list("pk", flat=True))
    h20_mentions = Mention.objects.filter(chip=h20).count()
    chip_merge(keep=h200, remove=h20)
    assert not Chip.objects.filter(pk=h20.pk).exists()
    assert h20_events <= set(PurchaseEvent.objects.filter(chip=h200).values_list("pk", flat=True))
    assert Mention.objects.filter(chip=h200, name="H200").count() >= h20_mentions
    variant.refresh_from_db()
    assert variant.variant_of == h200
    assert "H20" in Chip.objects.get(pk=h200.pk).alias_list


def test_merge_action_asks_which_one_to_keep_then_merges(admin_client, duplicate):
    bytedance, copy, moved, _ = duplicate
    selected = {"action": "merge", "_selected_action": [bytedance.pk, copy.pk]}
    page = admin_client.post("/admin/articles/company/", selected)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Choisissez l’entrée qui reste" in html and 'name="keep"' in html
    assert Company.objects.filter(pk=copy.pk).exists()  # nothing happens before the confirmation
    response = admin_client.post(
        "/admin/articles/company/", {**selected, "apply": "1", "keep": bytedance.pk}, follow=True
    )
    assert "Bytedance Ltd fusionné(s) dans ByteDance" in messages_of(response)[0]
    assert not Company.objects.filter(pk=copy.pk).exists()
    assert all(bytedance in PurchaseEvent.objects.get(pk=pk).buyers.all() for pk in moved)


def test_merge_action_needs_two_entries(admin_client, seeded):
    chip = Chip.objects.get(name="H20")
    response = admin_client.post(
        "/admin/articles/chip/", {"action": "merge", "_selected_action": [chip.pk]}, follow=True
    )
    assert "Choisissez au moins deux puces à fusionner." in messages_of(response)
    assert Chip.objects.filter(pk=chip.pk).exists()


def test_alias_change_offers_to_reextract_the_articles_concerned(admin_client, seeded):
    caijing = Company.objects.create(name="Caijing Magazine", role="other", country="Chine")
    article = Article.objects.get(published_on__year=2025)
    word = "Caijing"  # in one seed article only
    assert word in article.body
    data = {
        "name": caijing.name, "slug": caijing.slug, "aliases": word,
        "country": caijing.country, "role": caijing.role, "description": "",
    }  # fmt: skip
    response = admin_client.post(f"/admin/articles/company/{caijing.pk}/change/", data, follow=True)
    offer = next(message for message in messages_of(response) if "Relancer l’extraction" in message)
    expected = list(Article.objects.filter(body__icontains=word).values_list("pk", flat=True))
    assert f"des {len(expected)} articles concernés" in offer
    url = f"/admin/articles/article/reextraire/?ids={','.join(map(str, expected))}"
    assert url in offer
    confirm = admin_client.get(url)
    assert article.title in confirm.content.decode()
    done = admin_client.post("/admin/articles/article/reextraire/", {"ids": expected}, follow=True)
    assert any("Extraction relancée sur" in message for message in messages_of(done))
    assert Mention.objects.filter(article=article, company=caijing, surface=word).exists()


def test_reextract_page_refuses_get_side_effects_and_strangers(client, admin_client, seeded):
    before = Article.objects.get(published_on__year=2025).extracted_at
    admin_client.get("/admin/articles/article/reextraire/?ids=1,2")
    assert Article.objects.get(published_on__year=2025).extracted_at == before
    response = client.post("/admin/articles/article/reextraire/", {"ids": [1]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

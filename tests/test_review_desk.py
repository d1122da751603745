"""The editors' review desk: the queue, bulk decisions, the article page and re-extraction."""

import pytest
from django.contrib.messages import get_messages

from articles.models import Article, Figure, Origin, PurchaseEvent, ReviewStatus
from articles.services import article_extract

pytestmark = pytest.mark.django_db

FIGURES = "/admin/articles/figure/"
EVENTS = "/admin/articles/purchaseevent/"


def article_form_data(article, **changes) -> dict:
    """The article change form as the browser sends it, inlines included but with no row."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "source_url": article.source_url or "",
        "publication": article.publication_id or "",
        "published_on": article.published_on.isoformat() if article.published_on else "",
        "date_precision": article.date_precision,
        "language": article.language,
    }
    for prefix in ("figures", "events", "sentences"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def shown_ids(response) -> list[int]:
    return [obj.pk for obj in list(response.context["cl"].result_list)]


def test_queue_shows_pending_items_newest_article_first(admin_client, seeded):
    Figure.objects.filter(pk=Figure.objects.first().pk).update(review_status=ReviewStatus.REJECTED)
    response = admin_client.get(FIGURES)
    assert response.status_code == 200
    figures = list(response.context["cl"].result_list)
    assert {figure.review_status for figure in figures} == {ReviewStatus.PENDING}
    assert len(figures) == Figure.objects.filter(review_status=ReviewStatus.PENDING).count()
    dates = [figure.article.published_on for figure in figures if figure.article.published_on]
    assert dates == sorted(dates, reverse=True)
    assert figures[-1].article.published_on is None  # unknown dates come last
    everything = admin_client.get(FIGURES, {"verification": "all"})
    assert len(everything.context["cl"].result_list) == Figure.objects.count()


def test_queue_highlights_the_figure_in_its_sentence_escaped(admin_client, seeded):
    figure = Figure.objects.get(surface="plus de 400 000 puces H200")
    page = admin_client.get(FIGURES, {"article": figure.article_id}).content.decode()
    assert "<mark>plus de 400 000 puces H200</mark>" in page
    sentence = figure.sentence
    assert figure.char_start - sentence.start > 3
    sentence.text = "<b>" + sentence.text[3:]  # same length: the figure's offsets still hold
    sentence.save()
    page = admin_client.get(FIGURES, {"article": figure.article_id}).content.decode()
    assert "&lt;b&gt;" in page and "<b>" + sentence.text[3:10] not in page


def test_queue_filters_by_company_chip_type_and_article(admin_client, seeded):
    events = shown_ids(admin_client.get(EVENTS, {"entreprise": company_pk("Baidu")}))
    assert events and all(
        "Baidu" in {b.name for b in PurchaseEvent.objects.get(pk=pk).buyers.all()} for pk in events
    )
    h20 = PurchaseEvent.objects.filter(chip__name="H20").first().chip_id
    assert set(shown_ids(admin_client.get(EVENTS, {"chip__id__exact": h20}))) == set(
        PurchaseEvent.objects.filter(chip_id=h20).values_list("pk", flat=True)
    )
    resales = shown_ids(admin_client.get(EVENTS, {"type__exact": "resale"}))
    assert len(resales) == 3
    article = Article.objects.get(published_on__year=2025)
    figures = shown_ids(admin_client.get(FIGURES, {"article": article.pk}))
    assert set(figures) == set(article.figures.values_list("pk", flat=True))
    money = shown_ids(admin_client.get(FIGURES, {"article": article.pk, "kind__exact": "money"}))
    assert len(money) == 4
    # A figure belongs to a company its sentence mentions, or whose event uses it.
    tencent = set(shown_ids(admin_client.get(FIGURES, {"entreprise": company_pk("Tencent")})))
    named = Figure.objects.filter(sentence__mentions__name="Tencent").distinct()
    assert tencent >= set(named.values_list("pk", flat=True)) and named.exists()
    assert not tencent & set(Figure.objects.filter(article__published_on=None).values_list("pk", flat=True))
    assert Figure.objects.get(surface="plus de 400 000 puces H200").pk in set(
        shown_ids(admin_client.get(FIGURES, {"puce": h200_pk()}))
    )


def company_pk(name):
    from articles.models import Company

    return Company.objects.get(name=name).pk


def h200_pk():
    from articles.models import Chip

    return Chip.objects.get(name="H200").pk


def test_bulk_actions_set_the_review_status_only(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    ids = list(article.figures.values_list("pk", flat=True)[:3])
    response = admin_client.post(FIGURES, {"action": "mark_verified", "_selected_action": ids}, follow=True)
    assert "3 chiffres vérifiés" in messages_of(response)
    verified = Figure.objects.filter(pk__in=ids)
    assert {(f.review_status, f.edited, f.origin) for f in verified} == {("verified", False, "machine")}
    assert all(f.is_editorial for f in verified)
    assert all(f.history.first().review_status == "verified" for f in verified)  # each change recorded

    # The queue shows pending items only: a decision on checked ones is taken from the "tous" list.
    response = admin_client.post(
        FIGURES, {"action": "mark_rejected", "_selected_action": ids[:1]}, follow=True
    )
    assert "0 chiffre rejeté" in messages_of(response)
    everything = FIGURES + "?verification=all"
    response = admin_client.post(
        everything, {"action": "mark_rejected", "_selected_action": ids[:1]}, follow=True
    )
    assert "1 chiffre rejeté" in messages_of(response)
    response = admin_client.post(
        everything, {"action": "mark_pending", "_selected_action": ids[1:]}, follow=True
    )
    assert "2 chiffres remis à vérifier" in messages_of(response)
    assert Figure.objects.get(pk=ids[0]).review_status == "rejected"
    assert not any(f.is_editorial for f in Figure.objects.filter(pk__in=ids[1:]))

    event = article.events.first()
    response = admin_client.post(
        EVENTS, {"action": "mark_rejected", "_selected_action": [event.pk]}, follow=True
    )
    assert "1 événement d’achat rejeté" in messages_of(response)


def test_rejected_items_never_reach_public_pages(client, seeded):
    figure = Figure.objects.get(surface="plus de 400 000 puces H200")
    page = client.get(figure.article.get_absolute_url()).content.decode()
    assert f'id="f-{figure.pk}"' in page
    Figure.objects.filter(pk=figure.pk).update(review_status=ReviewStatus.REJECTED)
    page = client.get(figure.article.get_absolute_url()).content.decode()
    assert f'id="f-{figure.pk}"' not in page


def test_admin_home_counts_pending_items(admin_client, seeded):
    Figure.objects.filter(pk__in=Figure.objects.values("pk")[:2]).update(review_status=ReviewStatus.VERIFIED)
    figures = Figure.objects.filter(review_status="pending").count()
    events = PurchaseEvent.objects.filter(review_status="pending").count()
    page = admin_client.get("/admin/").content.decode()
    assert f"{figures} chiffres</a>" in page and f"{events} événements</a>" in page
    assert 'href="/admin/articles/figure/"' in page


def test_article_page_highlights_figures_with_their_review_status(admin_client, seeded):
    figure = Figure.objects.get(surface="plus de 400 000 puces H200")
    Figure.objects.filter(pk=figure.pk).update(review_status=ReviewStatus.VERIFIED)
    page = admin_client.get(f"/admin/articles/article/{figure.article_id}/change/").content.decode()
    assert f'<a href="/admin/articles/figure/{figure.pk}/change/"><mark class="figure--verified"' in page
    assert f'href="/admin/articles/figure/?article={figure.article_id}"' in page
    assert 'name="figures-0-surface"' in page and 'name="events-0-type"' in page


def test_editor_adds_a_missed_figure_by_its_words(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    sentence = article.sentences.get(index=1)
    words = sentence.text.split()[1]
    data = article_form_data(
        article,
        **{
            "figures-TOTAL_FORMS": "1",
            "figures-0-sentence": sentence.pk,
            "figures-0-surface": words,
            "figures-0-kind": "count",
            "figures-0-qualifier": "exact",
            "figures-0-review_status": "pending",
        },
    )
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Figure.objects.get(article=article, surface=words, origin=Origin.EDITOR)
    assert article.body[added.char_start : added.char_end] == words
    assert added.sentence == sentence
    article_extract(article)  # the machine never touches it afterwards
    assert Figure.objects.filter(pk=added.pk, origin=Origin.EDITOR).exists()


def test_a_figure_whose_words_are_not_in_the_sentence_gets_a_french_error(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    data = article_form_data(
        article,
        **{
            "figures-TOTAL_FORMS": "1",
            "figures-0-sentence": article.sentences.get(index=1).pk,
            "figures-0-surface": "mille licornes",
            "figures-0-kind": "count",
            "figures-0-qualifier": "exact",
            "figures-0-review_status": "pending",
        },
    )
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    assert "ne figure pas dans la phrase choisie" in response.content.decode()
    other = Article.objects.exclude(pk=article.pk).first().sentences.first()
    data["figures-0-sentence"] = other.pk
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200  # another article's sentence is not even a choice
    assert not Figure.objects.filter(surface="mille licornes").exists()


def test_reextraction_keeps_every_kind_of_editor_work(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    edited, verified, rejected = article.figures.order_by("pk")[:3]
    Figure.objects.filter(pk=edited.pk).update(value=123, edited=True)
    Figure.objects.filter(pk=verified.pk).update(review_status=ReviewStatus.VERIFIED)
    Figure.objects.filter(pk=rejected.pk).update(review_status=ReviewStatus.REJECTED)
    sentence = article.sentences.get(index=1)
    created = Figure.objects.create(
        article=article, sentence=sentence, origin=Origin.EDITOR, kind="count", surface=sentence.text[:5],
        char_start=sentence.start, char_end=sentence.start + 5,
    )  # fmt: skip
    event = article.events.first()
    PurchaseEvent.objects.filter(pk=event.pk).update(quantity=7, edited=True)
    machine_figure = article.figures.filter(edited=False, review_status="pending", origin="machine").first()
    machine_figure.delete()  # what the machine made and nobody touched is re-created
    before = {f.pk: (f.value, f.review_status, f.surface) for f in Figure.objects.filter(article=article)}

    response = admin_client.post(
        "/admin/articles/article/", {"action": "reextract", "_selected_action": [article.pk]}, follow=True
    )
    [message] = messages_of(response)
    assert "chiffres ajoutés 1, événements ajoutés 0" in message
    assert "les corrections de la rédaction sont conservées" in message
    after = {f.pk: (f.value, f.review_status, f.surface) for f in Figure.objects.filter(article=article)}
    assert {pk: after[pk] for pk in before} == before
    assert after[edited.pk][0] == 123 and after[rejected.pk][1] == "rejected"
    assert Figure.objects.filter(pk=created.pk).exists()
    assert PurchaseEvent.objects.get(pk=event.pk).quantity == 7


def test_date_change_recomputes_relative_periods_but_not_editors(admin_client, seeded):
    machine = PurchaseEvent.objects.get(period_surface="l'année prochaine")
    article = machine.article
    editorial = PurchaseEvent.objects.filter(article=article, period="2024").exclude(pk=machine.pk).first()
    PurchaseEvent.objects.filter(pk=editorial.pk).update(review_status=ReviewStatus.VERIFIED)
    assert machine.period == "2024"
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form_data(article, published_on="2025-03-01", date_precision="month"),
        follow=True,
    )
    assert any("périodes recalculées" in message for message in messages_of(response))
    machine.refresh_from_db()
    assert machine.period == "2026"
    assert PurchaseEvent.objects.get(pk=editorial.pk).period == "2024"


def test_article_date_and_precision_must_agree(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form_data(article, published_on="", date_precision="day"),
    )
    assert response.status_code == 200
    assert "choisissez la précision « inconnue »" in response.content.decode()


def test_inline_edit_marks_the_item_and_inline_event_is_the_editors(admin_client, seeded):
    article = Article.objects.get(published_on__year=2025)
    figure = article.figures.order_by("char_start").first()
    sentence = article.sentences.get(index=1)
    bytedance = article.events.first().buyers.first()
    data = article_form_data(
        article,
        **{
            "figures-TOTAL_FORMS": "1", "figures-INITIAL_FORMS": "1",
            "figures-0-id": figure.pk, "figures-0-article": article.pk,
            "figures-0-sentence": figure.sentence_id, "figures-0-surface": figure.surface,
            "figures-0-kind": figure.kind, "figures-0-value": "42", "figures-0-value_max": "",
            "figures-0-unit": figure.unit, "figures-0-qualifier": figure.qualifier,
            "figures-0-review_status": "pending",
            "events-TOTAL_FORMS": "1", "events-0-sentence": sentence.pk, "events-0-type": "purchase",
            "events-0-buyers": [bytedance.pk], "events-0-status": "reported",
            "events-0-review_status": "verified", "events-0-currency": "", "events-0-period": "",
            "events-0-period_surface": "",
        },
    )  # fmt: skip
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    figure.refresh_from_db()
    assert (figure.value, figure.edited, figure.origin) == (42, True, Origin.MACHINE)
    added = PurchaseEvent.objects.get(article=article, origin=Origin.EDITOR)
    assert list(added.buyers.all()) == [bytedance] and added.review_status == "verified"
    assert not added.edited

"""Every editorial change is kept (who, when, before and after), shown in the admin, and can be reverted."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.history import ReadableChanges
from articles.models import Company, Figure, PurchaseEvent
from tests.admin_form import admin_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def editor_client(client, monkeypatch, db):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "claire", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="claire"))
    return client


@pytest.fixture
def figure(seeded):
    return Figure.objects.get(surface="environ 100 000 processeurs A800")


def correct(client, obj, **changes):
    """Save the object's admin change form with `changes`, as an editor would."""
    meta = obj._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()


def test_machine_rows_and_migrated_rows_start_with_a_first_record(figure):
    assert figure.history.count() == 1 and figure.history.get().history_type == "+"
    # Created by earlier migrations, before history existed: 0006 records their state at that point.
    bytedance = Company.objects.get(name="ByteDance").history.get()
    assert bytedance.history_type == "+" and bytedance.history_change_reason.startswith("État")


def test_a_correction_records_its_author_and_the_values_before_and_after(editor_client, figure):
    correct(editor_client, figure, value="120000")
    latest, previous = figure.history.all()[:2]
    assert latest.history_type == "~" and latest.history_user.username == "claire"
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes["value"] == (Decimal("100000"), Decimal("120000"))


def test_history_page_shows_who_changed_what_from_what_to_what(editor_client, figure):
    correct(editor_client, figure, unit="unités")
    response = editor_client.get(f"/admin/articles/figure/{figure.pk}/history/")
    page = response.content.decode()
    assert "Modifications (avant → après)" in page and "traitement automatique" in page
    latest = response.context["page_obj"][0]
    assert latest.history_user.username == "claire"
    assert "claire" in page
    assert "<strong>Unité</strong>&nbsp;: unit&nbsp;&rarr;&nbsp;unités" in page


def test_changes_read_in_french_on_the_history_page(editor_client, figure):
    correct(editor_client, figure, value="120000", review_status="verified")
    latest, previous = figure.history.all()[:2]
    changes = ReadableChanges(Figure, latest).context_for_delta_changes(latest.diff_against(previous))
    shown = {change["field"]: (change["old"], change["new"]) for change in changes}
    assert shown["Valeur"] == ("100\xa0000", "120\xa0000")
    assert shown["Vérification"] == ("à vérifier", "vérifié")
    assert shown["Corrigé par la rédaction"] == ("non", "oui")


def test_a_reverted_correction_can_be_restored(editor_client, figure):
    correct(editor_client, figure, value="120000")
    good = figure.history.first()
    correct(editor_client, figure, value="1200")
    assert figure.value == Decimal("1200")

    url = f"/admin/articles/figure/{figure.pk}/history/{good.history_id}/"
    form_page = editor_client.get(url)
    assert form_page.status_code == 200
    response = editor_client.post(url, admin_form_data(form_page))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == Decimal("120000")
    restored = figure.history.first()
    assert restored.history_user.username == "claire" and restored.history_id > good.history_id


def test_company_corrections_are_kept_too(editor_client, db):
    bytedance = Company.objects.get(name="ByteDance")
    correct(editor_client, bytedance, country="République populaire de Chine")
    latest, previous = bytedance.history.all()[:2]
    change = latest.diff_against(previous).changes[0]
    assert (change.field, change.new) == ("country", "République populaire de Chine")


def test_a_change_of_buyers_is_a_historical_record_with_the_buyers_of_the_time(seeded):
    event = PurchaseEvent.objects.filter(buyers__name="ByteDance").first()
    before = set(event.buyers.values_list("name", flat=True))
    event.buyers.remove(Company.objects.get(name="ByteDance"))
    latest, previous = event.history.all()[:2]
    assert {row.company.name for row in previous.buyers.all()} == before
    assert {row.company.name for row in latest.buyers.all()} == before - {"ByteDance"}


def test_reextraction_keeps_working_with_history(seeded):
    out = io.StringIO()
    call_command("extract_articles", "--all", stdout=out, stderr=io.StringIO())
    assert Figure.objects.exists() and "articles 5" in out.getvalue()


def test_history_page_shows_values_in_french(editor_client, figure):
    correct(editor_client, figure, value="120000")
    page = editor_client.get(f"/admin/articles/figure/{figure.pk}/history/").content.decode()
    assert "100\xa0000" in page and "120\xa0000" in page
    assert "100000.000000" not in page


def test_restoring_an_old_event_version_brings_back_its_buyers(editor_client, seeded):
    event = PurchaseEvent.objects.filter(buyers__name="ByteDance").first()
    before = set(event.buyers.values_list("pk", flat=True))
    old_version = event.history.first()
    event.buyers.remove(Company.objects.get(name="ByteDance"))
    url = f"/admin/articles/purchaseevent/{event.pk}/history/{old_version.history_id}/"
    form_page = editor_client.get(url)
    assert set(form_page.context["adminform"].form.initial["buyers"]) == before
    response = editor_client.post(url, admin_form_data(form_page))
    assert response.status_code == 302
    assert set(event.buyers.values_list("pk", flat=True)) == before

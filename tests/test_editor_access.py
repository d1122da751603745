"""Who reaches the editors' desk: the « Éditeurs » group, `create_editor`, login throttling, outsiders."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Figure, ReviewStatus
from tests.admin_form import admin_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-Battery-42"
LOGIN_URL = "/admin/login/"


def create_editor(monkeypatch, username="claire", password=PASSWORD, *args) -> str:
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", password)
    out = io.StringIO()
    call_command("create_editor", username, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def editor(monkeypatch):
    create_editor(monkeypatch)
    return get_user_model().objects.get(username="claire")


def log_in(client, username="claire", password=PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})


def test_editors_group_may_edit_editorial_data_and_nothing_on_accounts(db):
    codenames = set(Group.objects.get(name="Éditeurs").permissions.values_list("codename", flat=True))
    for model in ("article", "company", "chip", "figure", "purchaseevent", "exchangerate"):
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= codenames
    assert {"view_sentence", "view_mention"} <= codenames
    assert not {"change_sentence", "delete_mention", "delete_publication"} & codenames
    assert not [codename for codename in codenames if codename.endswith(("_user", "_group", "_permission"))]
    assert not Group.objects.get(name="Éditeurs").permissions.exclude(content_type__app_label="articles")


def test_create_editor_makes_a_staff_account_in_the_group_never_a_superuser(monkeypatch):
    output = create_editor(monkeypatch, "claire", PASSWORD, "--email", "claire@example.org")
    user = get_user_model().objects.get(username="claire")
    assert "Éditeur « claire » créé" in output
    assert user.is_staff and not user.is_superuser
    assert user.email == "claire@example.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Éditeurs"]
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court-1", "trop court"),
        ("password12345", "trop courant"),
        ("482915736048", "entièrement numérique"),
        ("claire.dupont1", "trop semblable"),
    ],
)
def test_create_editor_refuses_weak_passwords_and_creates_nothing(monkeypatch, password, message):
    with pytest.raises(CommandError) as refused:
        create_editor(monkeypatch, "claire.dupont", password)
    assert "Mot de passe refusé" in str(refused.value) and message in str(refused.value)
    assert not get_user_model().objects.exists()


def test_create_editor_refuses_an_existing_username(monkeypatch, editor):
    with pytest.raises(CommandError, match="existe déjà"):
        create_editor(monkeypatch, "claire", "Another-Strong-Passphrase-7")
    assert get_user_model().objects.get(username="claire").check_password(PASSWORD)


def test_create_editor_without_password_nor_terminal_says_what_to_do(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="DJANGO_EDITOR_PASSWORD"):
        call_command("create_editor", "claire")
    assert not get_user_model().objects.exists()


def test_create_editor_asks_twice_and_refuses_a_mismatch(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="diffèrent"):
        call_command("create_editor", "claire")
    answers = iter([PASSWORD, PASSWORD])
    call_command("create_editor", "claire", stdout=io.StringIO())
    assert get_user_model().objects.get(username="claire").check_password(PASSWORD)


def test_editor_logs_in_and_corrects_a_figure(client, editor, seeded):
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    figure = Figure.objects.filter(review_status=ReviewStatus.PENDING).first()
    assert client.get("/admin/articles/figure/").status_code == 200
    url = f"/admin/articles/figure/{figure.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), review_status=ReviewStatus.VERIFIED))
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure.refresh_from_db()
    assert figure.review_status == ReviewStatus.VERIFIED


def test_editor_cannot_manage_users_groups_or_login_attempts(client, editor):
    client.force_login(editor)
    for url in (
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/auth/user/add/",
        "/admin/axes/accessattempt/",
    ):
        assert client.get(url).status_code == 403, url
    index = client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index and "/admin/articles/figure/" in index


@pytest.mark.parametrize("url", ["/admin/", "/admin/articles/figure/", "/admin/auth/user/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_non_staff_users_never_see_admin_data(client, seeded):
    reader = get_user_model().objects.create_user("lecteur", password=PASSWORD)
    refused = log_in(client, "lecteur")
    assert refused.status_code == 200 and "compte autorisé" in refused.content.decode()
    client.force_login(reader)
    surface = Figure.objects.first().surface
    for url in ("/admin/", "/admin/articles/figure/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(LOGIN_URL)
        assert surface not in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, editor):
    for _ in range(4):
        assert log_in(client, password="pas-le-bon-mot-de-passe").status_code == 200
    locked = log_in(client, password="pas-le-bon-mot-de-passe")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Connexion temporairement bloquée" in page and "Réessayez dans 15 minutes" in page
    again = log_in(client)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off_and_resets_on_success(client, editor):
    for _ in range(5):
        log_in(client, password="pas-le-bon-mot-de-passe")
    assert log_in(client).status_code == 429
    # Age the recorded failures rather than sleeping 15 minutes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client).status_code == 302
    assert not AccessAttempt.objects.filter(username="claire").exists()


def test_lockout_is_per_account_and_an_admin_can_lift_it(client, editor, monkeypatch):
    create_editor(monkeypatch, "paul", "Another-Strong-Passphrase-7")
    for _ in range(5):
        log_in(client, password="pas-le-bon-mot-de-passe")
    assert log_in(client, "paul", "Another-Strong-Passphrase-7").status_code == 302
    call_command("axes_reset_username", "claire", stdout=io.StringIO())
    assert log_in(client).status_code == 302

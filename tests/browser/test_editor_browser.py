"""An editor, in a real browser, logs in, verifies a figure, and readers then see it marked verified."""

import io
import re

import pytest
from django.core.management import call_command

from articles.models import Figure, ReviewStatus
from articles.services import articles_import
from tests.conftest import SEED_FILE

PASSWORD = "Correct-Horse-Battery-42"

# The live server needs committed rows, hence a transactional database; serialized_rollback brings back
# what migrations installed (the editors' group, the gazetteer) after earlier transactional tests flushed it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pending_figure(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "claire", stdout=io.StringIO())
    assert articles_import(paths=[SEED_FILE]).failed == 0
    figure = Figure.objects.select_related("article").get(surface="environ 100 000 processeurs A800")
    assert figure.review_status == ReviewStatus.PENDING
    return figure


def choose_review_status(page, status: str) -> None:
    """Pick the review status whichever widget the admin form uses for it (select or radio buttons)."""
    select = page.locator("select#id_review_status")
    if select.count():
        select.select_option(status)
    else:
        page.locator(f'input[name="review_status"][value="{status}"]').check()


def test_editor_verifies_a_figure_and_the_article_page_shows_it(live_server, page, pending_figure):
    figure = pending_figure
    public_url = f"{live_server.url}{figure.article.get_absolute_url()}"
    page.goto(public_url)
    assert "figure--pending" in page.locator(f"mark#f-{figure.pk}").get_attribute("class")

    change_path = f"/admin/articles/figure/{figure.pk}/change/"
    page.goto(f"{live_server.url}/admin/login/?next={change_path}")
    page.fill("#id_username", "claire")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"**{change_path}")

    choose_review_status(page, ReviewStatus.VERIFIED)
    page.click("[name=_save]")
    page.wait_for_url(re.compile(r"/admin/articles/figure/(\?.*)?$"))
    assert page.locator(".messagelist .success").count() == 1

    figure.refresh_from_db()
    assert figure.review_status == ReviewStatus.VERIFIED
    assert figure.history.first().history_user.username == "claire"

    page.goto(public_url)
    mark = page.locator(f"mark#f-{figure.pk}")
    assert "figure--verified" in mark.get_attribute("class").split()
    assert mark.inner_text() == figure.surface

"""Readers in a real browser: a search by company down to the highlighted sentence, the events table and
its CSV download, keyboard-only navigation with a visible focus on every stop, and no console error (a
Content-Security-Policy violation is reported there) on any of these pages."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.core import serializers
from django.db import connection, transaction

# Without Playwright the `browser` fixture skips these tests, or fails them under ARCHIVE_REQUIRE_BROWSER=1.
try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from articles.search import forget_names, rebuild_index
from articles.services import articles_import
from tests.conftest import SEED_FILE

# The live server needs committed rows, hence a transactional database; serialized_rollback brings back
# the gazetteer that migrations installed, which the extraction needs to find companies in the seeds.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXPORT_HEADER = [
    "article_url", "article", "sentence_index", "sentence", "type", "buyers", "seller", "chip", "quantity",
    "amount", "currency", "period", "status", "review",
]  # fmt: skip
HIGHLIGHT = "rgb(255, 241, 184)"  # --target in static/css/archive.css
FOCUSED = "document.activeElement"

# Whether the focused element shows where the focus is: an outline, a box shadow, or, for an SVG timeline
# point (which draws no outline), the thicker stroke archive.css gives its circle. A date field's last Tab
# stop is the calendar button inside the browser's own shadow tree: the field itself is then not :focus,
# and Chromium rings that button itself.
HAS_FOCUS_INDICATOR = """el => {
  if (el.matches('input[type=date]') && !el.matches(':focus')) return true;
  const style = getComputedStyle(el);
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) return true;
  if (style.boxShadow && style.boxShadow !== 'none') return true;
  const circle = el instanceof SVGElement && el.querySelector('circle');
  return Boolean(circle) && parseFloat(getComputedStyle(circle).strokeWidth) >= 3;
}"""


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return {}


@pytest.fixture
def archive(snapshot):
    """The five seed articles, extracted, and a search index that holds them.

    The first test imports them through the real service and keeps the archive app's rows; the next ones
    load those rows, several times faster than extracting again. Taken inside a test, never at module
    set-up, because only then has serialized_rollback put back the gazetteer that the extraction needs.
    """
    if "rows" in snapshot:
        with transaction.atomic(), connection.constraint_checks_disabled():
            for row in serializers.deserialize("json", snapshot["rows"]):
                row.save()
    else:
        assert articles_import(paths=[SEED_FILE]).failed == 0
        # The archive app's tables only; serialized_rollback restores the rest (content types, groups).
        models = apps.get_app_config("articles").get_models()
        snapshot["rows"] = serializers.serialize(
            "json", (row for model in models for row in model._base_manager.all())
        )
    # The search keeps the gazetteer's names per process for minutes: an earlier test's may differ from these.
    forget_names()
    rebuild_index()


def focus_stop(page, matches: str) -> dict:
    """The focused element in one round trip: a label, whether it shows its focus, whether it `matches`."""
    # Composed here and sent whole: the page's CSP forbids eval, so the page cannot build it from strings.
    return page.evaluate(f"""(() => {{
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const text = el.textContent.trim().slice(0, 40);
      return {{
        label: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + text,
        indicated: ({HAS_FOCUS_INDICATOR})(el),
        visible: style.visibility !== 'hidden' && [...el.getClientRects()].some(r => r.width && r.height
          && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight),
        matches: Boolean(({matches})(el)),
      }};
    }})()""")


def tab_until(page, matches: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies `matches` (a JS predicate); each stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_stop(page, matches)
        assert stop is not None, f"the focus left the page ({page.url})"
        assert stop["indicated"], f"no visible focus on {stop['label']} ({page.url})"
        assert stop["visible"], f"focus outside the window or hidden: {stop['label']} ({page.url})"
        if stop["matches"]:
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {matches} on {page.url}")


def tab_through_page(page, *, limit: int = 200) -> int:
    """Tab from the top until the focus leaves the page or comes back round; every stop shows its focus."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        stop = focus_stop(page, "el => el.matches('.skip-link')")
        if stop is None or (stop["matches"] and count > 1):
            return count - 1
        assert stop["indicated"], f"no visible focus on {stop['label']} ({page.url})"
        assert stop["visible"], f"focus outside the window or hidden: {stop['label']} ({page.url})"
    raise AssertionError(f"more than {limit} Tab stops on {page.url}")


def test_search_by_company_lands_on_the_highlighted_sentence(live_server, page, archive, console_errors):
    page.goto(f"{live_server.url}/")
    page.get_by_role("searchbox", name="Rechercher dans l’archive").fill("Tencent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=Tencent"))

    # Narrow to the company through its facet: the URL becomes the documented ?q=…&entreprise=<slug>.
    page.locator(".facets").get_by_role("link", name="Tencent", exact=True).click()
    page.wait_for_url(re.compile(r"entreprise=tencent"))
    assert page.locator(".facets a.active", has_text="Tencent").count() == 1
    first_result = page.locator(".search-results .article-item").first
    # The result's last sentence rather than its first: sentence 0 is the title at the top of the page,
    # where landing on it would prove nothing about scrolling.
    link = first_result.locator(".hit-sentences a").last
    expect(link.locator("mark")).to_have_text(re.compile("Tencent", re.I))
    href = link.get_attribute("href")
    target_id = href.rsplit("#", 1)[1]
    assert re.fullmatch(r"s-\d+", target_id) and target_id != "s-0"
    link.click()
    page.wait_for_url(re.compile(rf"/articles/[\w-]+/#{target_id}$"))

    assert page.evaluate("document.querySelector(':target').id") == target_id
    sentence = page.locator(f"#{target_id}")
    # The highlight fades in (a CSS transition): expect() waits for its final colour.
    expect(sentence).to_have_css("background-color", HIGHLIGHT)
    assert "tencent" in sentence.inner_text().lower()
    expect(sentence).to_be_in_viewport()
    assert console_errors == []


def test_events_filtered_by_company_and_downloaded_as_csv(
    live_server, page, archive, settings, console_errors
):
    settings.EVENTS_PER_PAGE = 5  # so that the filtered table spans pages and the CSV must hold them all
    page.goto(f"{live_server.url}/evenements/")
    all_events = int(re.search(r"\d+", page.locator(".result-count").inner_text()).group())
    page.get_by_label("Entreprise (acheteur ou vendeur)").select_option(label="Tencent")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"entreprise=tencent"))

    expected = int(re.search(r"\d+", page.locator(".result-count").inner_text()).group())
    assert 5 < expected < all_events
    rows, number = 0, 1
    while True:
        for row in page.locator(".event-table tbody tr").all():
            buyers, seller = row.locator("td").nth(2).inner_text(), row.locator("td").nth(3).inner_text()
            assert "Tencent" in buyers or "Tencent" in seller, buyers
            rows += 1
        following = page.locator(".pagination a[rel=next]")
        if not following.count():
            break
        following.click()
        number += 1
        page.wait_for_url(re.compile(rf"entreprise=tencent.*page={number}"))
    assert number > 1 and rows == expected

    csv_link = page.get_by_role("link", name="CSV", exact=True)
    # A download even without the link's `download` attribute: the server says so itself.
    headers = page.request.get(f"{live_server.url}/evenements/{csv_link.get_attribute('href')}").headers
    assert headers["content-disposition"].startswith("attachment")
    assert headers["content-type"].startswith("text/csv")
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert records[0] == EXPORT_HEADER
    assert len(records) - 1 == expected
    buyers, seller = EXPORT_HEADER.index("buyers"), EXPORT_HEADER.index("seller")
    assert all("Tencent" in record[buyers] + record[seller] for record in records[1:])
    assert console_errors == []


def test_skip_link_then_main_navigation_with_the_keyboard(live_server, page, archive, console_errors):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Aller au contenu")
    expect(skip).to_be_in_viewport()  # off-screen until focused
    assert skip.evaluate(HAS_FOCUS_INDICATOR)

    page.keyboard.press("Enter")
    page.wait_for_url("**/#contenu")
    assert page.evaluate("document.querySelector(':target').id") == "contenu"
    # The next Tab starts from the content: the header's links are skipped.
    tab_until(page, "el => true", limit=1)
    assert page.evaluate(f"{FOCUSED}.closest('main') !== null")

    page.goto(f"{live_server.url}/")
    tab_until(page, "el => el.closest('nav') && el.textContent.trim() === 'Entreprises'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/entreprises/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert console_errors == []


def test_every_tab_stop_shows_its_focus(live_server, page, archive, console_errors):
    # The home page, a company page with its SVG timeline points, the events table with its forms.
    stops = {}
    for path in ["/", "/entreprises/tencent/", "/evenements/?entreprise=baidu"]:
        page.goto(f"{live_server.url}{path}")
        stops[path] = tab_through_page(page)
    assert min(stops.values()) > 10, stops
    assert console_errors == []


def test_events_filters_and_citation_box_with_the_keyboard(live_server, page, archive, console_errors):
    page.goto(f"{live_server.url}/evenements/")
    tab_until(page, "el => el.id === 'id_entreprise'")
    company = page.locator("#id_entreprise")
    for _ in range(40):
        if company.evaluate("el => el.selectedOptions[0].text") == "Tencent":
            break
        page.keyboard.press("ArrowDown")
    assert company.input_value() == "tencent"
    tab_until(page, "el => el.type === 'submit' && el.textContent.trim() === 'Filtrer'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"entreprise=tencent"))
    assert page.locator(".event-table tbody tr").count() > 0

    # A figure's "citer" box is a <details>: Enter opens it, Space closes it.
    tab_until(page, "el => el.matches('details.cite > summary')")
    box = page.locator("details.cite:has(summary:focus)")
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("open", "")
    expect(box.locator("textarea")).to_be_visible()
    page.keyboard.press("Space")
    expect(box).not_to_have_attribute("open", "")
    assert console_errors == []


def test_article_figure_link_and_company_search_with_the_keyboard(live_server, page, archive, console_errors):
    page.goto(f"{live_server.url}/entreprises/tencent/")
    tab_until(page, "el => el.textContent.includes('Rechercher dans l’archive') && el.closest('main')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?entreprise=tencent$"))

    # The events panel beside an article links each figure to its place in the text.
    tab_until(page, "el => el.matches('.article-item__title')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/[\w-]+/$"))
    tab_until(page, "el => el.matches('.events-panel a[href^=\"#f-\"]')", limit=150)
    figure_id = page.evaluate(f"{FOCUSED}.getAttribute('href')")[1:]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#{figure_id}")
    assert page.evaluate("document.querySelector(':target').id") == figure_id
    expect(page.locator(f"#{figure_id}")).to_be_in_viewport()
    assert console_errors == []


def test_pages_send_a_strict_policy_and_log_no_error(live_server, page, archive, console_errors):
    pages = ["/", "/articles/", "/entreprises/", "/puces/", "/puces/h20/", "/evenements/", "/comparaison/"]
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["content-security-policy"].split(";")
        )
        assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"], path
    assert console_errors == []

    # The listener does hear a violation: an inline script slipped into the page is refused and reported.
    page.evaluate("""() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    }""")
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(100)
    assert any("Content Security Policy" in error for error in console_errors), console_errors

"""Crawl the public site from "/" on the seed coverage, as a reader clicking every link would.

Every page answers 200, every link to a sentence (#s-…) or a figure (#f-…) lands on an element that exists,
and no page shows a table without rows.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from articles.search import rebuild_index

pytestmark = pytest.mark.django_db

MAX_PAGES = 500
# Facet and sort links multiply query strings; a few variants of each path exercise them all.
MAX_VARIANTS_PER_PATH = 6
NOT_CRAWLED = ("/admin/", "/static/")
DOWNLOAD_TYPES = ("text/csv", "application/json", "application/atom+xml")


class PageLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.tables, self.inline_code = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if tag == "table":
            self.tables.append(0)
        if tag == "tr" and self.tables:
            self.tables[-1] += 1
        # What the Content-Security-Policy forbids on public pages: inline scripts, styles and handlers.
        if (tag == "script" and "src" not in attributes) or tag == "style":
            self.inline_code.append(f"<{tag}>")
        self.inline_code += [name for name in attributes if name == "style" or name.startswith("on")]


def parse(html: str) -> PageLinks:
    page = PageLinks()
    page.feed(html)
    return page


def internal(href: str, current: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    if href.startswith("#"):
        return current.split("#")[0] + href
    if href.startswith("?"):
        return current.split("?")[0].split("#")[0] + href
    return href if href.startswith("/") else None


@pytest.fixture
def crawl(client, seeded):
    # The test database never commits, so the on-commit indexing never runs: build the index as make run does.
    rebuild_index()
    pages, anchors, variants = {}, [], Counter()
    queue = deque(["/"])
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if response["Content-Type"].startswith(DOWNLOAD_TYPES):
            pages[url] = None
            continue
        page = parse(response.content.decode())
        pages[url] = page
        for href in page.hrefs:
            target = internal(href, url)
            if target is None or target.startswith(NOT_CRAWLED):
                continue
            address, fragment = urldefrag(target)
            if fragment.startswith(("s-", "f-")):
                anchors.append((url, address, fragment))
            path = address.split("?")[0]
            if address not in pages and variants[path] < MAX_VARIANTS_PER_PATH:
                variants[path] += 1
                queue.append(address)
    return pages, anchors


def test_every_page_reached_from_home_answers(crawl):
    pages, _ = crawl
    paths = {url.split("?")[0] for url in pages}
    for expected in (
        "/",
        "/articles/",
        "/recherche/",
        "/entreprises/",
        "/puces/",
        "/evenements/",
        "/comparaison/",
    ):
        assert expected in paths
    assert any(path.startswith("/entreprises/") and path != "/entreprises/" for path in paths)
    assert any(path.startswith("/puces/") and path != "/puces/" for path in paths)
    assert sum(path.startswith("/articles/") and path != "/articles/" for path in paths) == 5


def test_every_sentence_and_figure_link_lands_on_its_element(crawl, client):
    pages, anchors = crawl
    assert any(fragment.startswith("f-") for _, _, fragment in anchors)
    assert any(fragment.startswith("s-") for _, _, fragment in anchors)
    for source, address, fragment in anchors:
        if pages.get(address) is None:
            pages[address] = parse(client.get(address).content.decode())
        assert fragment in pages[address].ids, f"{source} links to {address}#{fragment}, which is missing"


def test_no_page_shows_an_empty_table(crawl):
    pages, _ = crawl
    for url, page in pages.items():
        if page is not None:
            # A header row alone means the table has no data: pages must say so in words instead.
            assert all(rows > 1 for rows in page.tables), f"{url} shows a table without rows"


def test_no_page_carries_inline_script_or_style(crawl):
    pages, _ = crawl
    for url, page in pages.items():
        if page is not None:
            assert page.inline_code == [], f"{url} has inline code the CSP would block: {page.inline_code}"

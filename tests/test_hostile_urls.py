"""Random and hostile parameters thrown at every public URL: never a 500, never reflected unescaped.

The URL list is read from the resolver when the tests are collected, so a public page added later is
covered without touching this file; /admin/ is left out (it has its own tests and needs a login).
Set HOSTILE_URL_EXAMPLES to explore more (the default keeps the file well under 30 s).
"""

import json
import os
import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Chip, Company, Publication
from articles.search import rebuild_index
from articles.services import articles_import
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db

ALLOWED_STATUSES = {200, 301, 302, 400, 404}
# Any of these found as is in an HTML or XML body means a parameter was echoed without escaping.
RAW_MARKERS = ("<script>alert(", "<img src=x onerror", "<svg onload")
INJECTIONS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "%00",
    "\x00",
    "\u202e\u200b",
    "../../../../etc/passwd",
    "%s%n%x",
)
PARAMETER_NAMES = (
    "q", "page", "du", "au", "format", "tri", "type", "entreprise", "puce", "publication", "year",
    "statut", "verification", "annee", "ordre",
)  # fmt: skip
# Query strings that are not even well formed: bad percent escapes, invalid UTF-8, lone separators.
RAW_QUERIES = ("q=%ff%fe", "q=%E9t%E9", "page=%00", "%", "q=%%", "&&&==&", "q=a&q=b&q=<script>alert(1)")

EXAMPLES = int(os.environ.get("HOSTILE_URL_EXAMPLES", "15"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CONVERTER_RE = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
# The path segment before a slug names the model whose slugs are real there.
SLUG_MODELS = {"articles": Article, "entreprises": Company, "puces": Chip, "publications": Publication}


def public_routes(patterns=None, prefix="") -> list[str]:
    """Every route of the project outside /admin/, as written in the URLconfs."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            routes.extend(public_routes(entry.url_patterns, route))
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


ROUTES = public_routes()


@pytest.fixture
def site(db):
    """The seed coverage, extracted and indexed: real slugs, events and search hits."""
    articles_import(paths=[SEED_FILE])
    rebuild_index()
    slugs = {name: list(model.objects.values_list("slug", flat=True)) for name, model in SLUG_MODELS.items()}
    slugs["*"] = [slug for values in slugs.values() for slug in values]
    return slugs


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(INJECTIONS),
        st.tuples(st.text(max_size=10), st.sampled_from(INJECTIONS)).map("".join),
        st.text(st.characters(max_codepoint=0x1F), max_size=8),
        st.integers(min_value=1000, max_value=20_000).map(lambda n: "H20 " * (n // 4)),
    )


def parameter_value(name: str, slugs: dict) -> st.SearchStrategy[str]:
    garbage = hostile_text()
    if name == "page":
        numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
        odd = st.sampled_from(["", "0", "-1", "last", "1e9", "NaN", "inf", "٣", "2.5", "9" * 40])
        return st.one_of(numbers, odd, garbage)
    if name in ("du", "au"):
        dates = st.dates().map(lambda day: day.isoformat())
        odd = st.sampled_from(["2023-13-45", "0000-00-00", "2024-02-30", "9999-12-31", "31/12/2024", "hier"])
        return st.one_of(dates, odd, garbage)
    if name == "format":
        return st.one_of(
            st.sampled_from(["json", "csv", "atom", "rss", "xml", "JSON", "", "json\x00"]), garbage
        )
    if name in ("entreprise", "puce", "publication"):
        return st.one_of(st.sampled_from(slugs["*"]), garbage)
    return garbage


def query_strings(slugs: dict) -> st.SearchStrategy[str]:
    values = {
        name: st.lists(parameter_value(name, slugs), min_size=1, max_size=2) for name in PARAMETER_NAMES
    }
    known = st.fixed_dictionaries({}, optional=values)
    unknown = st.dictionaries(st.text(min_size=1, max_size=10), hostile_text(), max_size=2)
    encoded = st.tuples(known, unknown).map(lambda pair: urlencode({**pair[1], **pair[0]}, doseq=True))
    raw = st.tuples(encoded, st.sampled_from(RAW_QUERIES)).map("&".join)
    return st.one_of(encoded, encoded, raw)


def path_strategy(route: str, slugs: dict) -> st.SearchStrategy[str]:
    """The route with each converter filled by a real value or garbage (percent-encoded)."""
    parts, position = [], 0
    for match in CONVERTER_RE.finditer(route):
        parts.append(st.just(route[position : match.start()]))
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        real = slugs.get(before if before in SLUG_MODELS else "*") or ["x"]
        kind = match["kind"] or "str"
        if kind == "int":
            value = st.one_of(st.integers(min_value=-5, max_value=10**20).map(str), hostile_text())
        else:
            value = st.one_of(st.sampled_from(real), st.from_regex(r"[-a-zA-Z0-9_]{1,90}", fullmatch=True))
            value = st.one_of(value, value, hostile_text())
        parts.append(value.map(lambda text: quote(text, safe="")))
        position = match.end()
    parts.append(st.just(route[position:]))
    return st.tuples(*parts).map(lambda pieces: "/" + "".join(pieces))


def check_response(url: str, response) -> None:
    assert response.status_code in ALLOWED_STATUSES, (url, response.status_code)
    if response.status_code in (301, 302):
        # A redirect stays on the site: no open redirect through a parameter.
        assert urlsplit(response["Location"]).netloc in ("", "testserver"), (url, response["Location"])
        return
    content_type = response.get("Content-Type", "")
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8")  # every page is UTF-8; a decoding error fails the test
    if "json" in content_type:
        json.loads(text)
        assert response["X-Content-Type-Options"] == "nosniff"
    elif "html" in content_type or "xml" in content_type:
        for marker in RAW_MARKERS:
            assert marker not in text, (url, marker)


def test_routes_are_found_in_the_resolver():
    for expected in ("", "articles/", "articles/<slug:slug>/", "recherche/"):
        assert expected in ROUTES
    assert not any(route.startswith("admin/") for route in ROUTES)


@HYPOTHESIS
@given(data=st.data())
def test_hostile_parameters_never_break_a_page(client, site, data):
    # Every route in each example: the seed database is built once, and no page goes unexplored.
    for route in ROUTES:
        path = data.draw(path_strategy(route, site), label="path")
        url = f"{path}?{data.draw(query_strings(site), label='query')}"
        check_response(url, client.get(url))


def test_injection_in_every_parameter_and_slug_is_escaped(client, site):
    """The deterministic worst case: every known parameter holds markup, on real and on fake slugs."""
    injected = urlencode(dict.fromkeys(PARAMETER_NAMES, INJECTIONS[0] + INJECTIONS[1]))
    for route in ROUTES:
        for slug in dict.fromkeys([site["*"][0], INJECTIONS[0]]):
            path = CONVERTER_RE.sub(quote(slug, safe=""), "/" + route)
            for query in (injected, injected + "&format=json", injected + "&format=csv"):
                check_response(f"{path}?{query}", client.get(f"{path}?{query}"))


def test_the_check_catches_reflection_errors_and_open_redirects():
    from django.http import HttpResponse, HttpResponseRedirect

    check_response("/ok/", HttpResponse("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"))
    for bad in (
        HttpResponse("<p><script>alert(1)</script></p>"),
        HttpResponse("<feed><svg onload=alert(1)></feed>", content_type="application/atom+xml"),
        HttpResponse("erreur", status=500),
        HttpResponseRedirect("https://evil.example/"),
    ):
        with pytest.raises(AssertionError):
            check_response("/bad/", bad)

"""/evenements/ (table, filters, sort, pages, CSV and JSON), /comparaison/ and the article page block."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from articles.models import Company, PurchaseEvent
from tests.test_comparison import make_article, make_event

pytestmark = pytest.mark.django_db
D = Decimal


def html_of(client, url, status=200) -> str:
    """The HTML, French no-break spaces (1\u00a0000) read as plain spaces to keep asserts legible."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode().replace("\xa0", " ")


def rows_of(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r"<tr class=\"event-row.*?</tr>", body, flags=re.S)


def command_records(*args) -> list[dict]:
    out = io.StringIO()
    call_command("export_events", "--format", "json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def events(db):
    """Four public events in three articles, plus one rejected event that must never show."""
    reuters = make_article("Reuters sur ByteDance", published=date(2024, 3, 5))
    ft = make_article("FT sur Tencent", publication="Financial Times", published=date(2023, 8, 1))
    caixin = make_article("Caixin sur Alibaba", publication="Caixin", published=date(2025, 1, 10))
    return {
        "bytedance": make_event(reuters, quantity=D(100000), amount=D(1_000_000_000), period="2024"),
        "tencent": make_event(ft, buyers=["Tencent"], chip="H20", quantity=D(5000), type="stockpile"),
        "alibaba": make_event(
            caixin,
            buyers=["Alibaba"],
            chip="H20",
            amount=D(20_000_000_000),
            currency="CNY",
            status="denied",
            type="purchase",
        ),  # fmt: skip
        "verified": make_event(
            caixin,
            buyers=[],
            seller=Company.objects.get_or_create(name="Nvidia")[0],
            chip="H200",
            type="authorization",
            review_status="verified",
        ),  # fmt: skip
        "rejected": make_event(
            reuters, buyers=["Baidu"], chip="B200", quantity=D(1), review_status="rejected"
        ),
    }


def test_table_lists_public_events_newest_first_and_never_rejected_ones(client, events):
    page = html_of(client, "/evenements/")
    assert "4 événements" in page
    rows = rows_of(page)
    assert len(rows) == 4
    assert (
        "Caixin sur Alibaba" in rows[0] and "Reuters sur ByteDance" in rows[2] and "FT sur Tencent" in rows[3]
    )
    assert "B200" not in "".join(rows) and "Baidu" not in "".join(rows)
    # Figures link to their sentence; verified, machine-extracted and denied rows look different.
    quantity = events["bytedance"].quantity_figure
    assert f'href="/articles/{events["bytedance"].article.slug}/#f-{quantity.pk}"' in page
    assert "100 000 unités" in page
    assert "100\xa0000 unités" in client.get("/evenements/").content.decode()  # French thousands separator
    assert "event-row--verified" in rows[1] and "vérifié par la rédaction" in rows[1]
    assert "extrait automatiquement, non vérifié" in rows[2]
    assert "event-row--denied" in rows[0] and "démenti" in rows[0]
    # A yuan amount shows its dollar estimate and the rate used.
    assert (
        "20 milliards yuans" in rows[0] and "2,8 milliards $ US" in rows[0] and "1 CNY = 0,14 $ US" in rows[0]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("entreprise=tencent", ["tencent"]),
        ("entreprise=nvidia", ["verified"]),  # the seller counts as well as the buyers
        ("puce=h20", ["alibaba", "tencent"]),
        ("type=stockpile", ["tencent"]),
        ("statut=denied", ["alibaba"]),
        ("verification=verified", ["verified"]),
        ("du=2024-01-01&au=2024-12-31", ["bytedance"]),
        ("puce=h20&du=2024-06-01", ["alibaba"]),
    ],
)
def test_filters(client, events, query, expected):
    rows = rows_of(html_of(client, f"/evenements/?{query}"))
    shown = [int(re.search(r'data-event="(\d+)"', row)[1]) for row in rows]
    assert sorted(shown) == sorted(events[name].pk for name in expected)


def test_sort_by_quantity_and_by_dollar_amount(client, events):
    rows = rows_of(html_of(client, "/evenements/?tri=-quantite"))
    assert "100 000" in rows[0] and "5 000" in rows[1]
    # 20 billion yuans (≈ 2.8 billion dollars) outranks 1 billion dollars.
    rows = rows_of(html_of(client, "/evenements/?tri=-montant"))
    assert "Caixin sur Alibaba" in rows[0] and "Reuters sur ByteDance" in rows[1]
    rows = rows_of(html_of(client, "/evenements/?tri=montant"))
    assert "Reuters sur ByteDance" in rows[0]


def test_sort_links_keep_filters_and_flip_direction(client, events):
    page = html_of(client, "/evenements/?puce=h20&tri=-quantite&page=1")
    assert 'aria-sort="descending"><a href="?puce=h20&amp;tri=quantite">' in page
    assert 'href="?puce=h20&amp;tri=-date"' in page
    assert 'href="?puce=h20&amp;tri=-quantite&amp;format=csv"' in page


def test_pagination_keeps_filters_and_survives_junk_page_numbers(client, events, settings):
    settings.EVENTS_PER_PAGE = 1
    page = html_of(client, "/evenements/?puce=h20")
    assert "Page 1 sur 2" in page and 'href="?puce=h20&amp;page=2"' in page
    assert "FT sur Tencent" in html_of(client, "/evenements/?puce=h20&page=2")
    assert "Page 2 sur 2" in html_of(client, "/evenements/?puce=h20&page=-1")
    assert "Page 2 sur 2" in html_of(client, "/evenements/?puce=h20&page=999")
    assert "Page 1 sur 2" in html_of(client, "/evenements/?puce=h20&page=abc")


def test_json_download_is_the_commands_export_of_the_whole_filtered_set(client, events, settings):
    settings.EVENTS_PER_PAGE = 1
    response = client.get("/evenements/?format=json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert re.fullmatch(
        r'attachment; filename="evenements-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"]
    )
    records = json.loads(response.content)
    assert records == command_records()
    assert len(records) == 4 and all(record["review"] != "rejected" for record in records)
    assert {record["quantity"] for record in records} == {100000, 5000, None}
    filtered = json.loads(client.get("/evenements/?format=json&puce=h20&tri=-quantite&page=2").content)
    assert filtered == [record for record in command_records() if record["chip"] == "H20"]


def test_csv_download_has_a_bom_for_excel_and_the_commands_rows(client, events):
    response = client.get("/evenements/?format=csv&entreprise=bytedance")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="evenements-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"]
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    out = io.StringIO()
    call_command("export_events", "--format", "csv", stdout=out, stderr=io.StringIO())
    command_rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    page_rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert page_rows == [row for row in command_rows if "ByteDance" in row["buyers"].split("; ")]
    assert len(page_rows) == 1 and page_rows[0]["quantity"] == "100000"


def test_hostile_parameters_get_french_messages_never_an_error(client, events):
    page = html_of(client, "/evenements/?du=garbage&tri=;drop&entreprise=<script>&page=-1")
    assert "Saisissez une date valide" in page
    assert "Sélectionnez un choix valide" in page
    assert "Certains filtres sont invalides" in page
    assert "<script>" not in page
    assert len(rows_of(page)) == 4  # the filters that could not be read are left out
    page = html_of(client, "/evenements/?format=xml", status=400)
    assert "Format « xml » inconnu" in page and len(rows_of(page)) == 4
    response = client.get("/evenements/?format=csv&du=2024-99-99")
    assert response.status_code == 400
    assert "ces filtres sont invalides" in response.content.decode()


def test_events_page_query_count_does_not_grow_with_the_events(client, events, django_assert_max_num_queries):
    for n in range(6):
        make_event(make_article(f"Article {n}"), quantity=D(n + 1), amount=D(n + 1) * 1000, period="2024")
    with django_assert_max_num_queries(6):
        assert len(rows_of(html_of(client, "/evenements/"))) == 10


@pytest.fixture
def disputed(db):
    ft = make_article("ByteDance selon le FT", publication="Financial Times", published=date(2024, 2, 1))
    reuters = make_article("ByteDance selon Reuters", published=date(2024, 3, 1))
    caixin = make_article("ByteDance dément", publication="Caixin", published=date(2024, 4, 1))
    lonely = make_article("Tencent seul", publication="Les Échos", published=date(2024, 5, 1))
    return {
        "ft": make_event(ft, quantity=D(70000), period="2024"),
        "reuters": make_event(reuters, quantity=D(100000), period="2024-Q1"),
        "caixin": make_event(caixin, status="denied", period="2024"),
        "lonely": make_event(lonely, buyers=["Tencent"], chip="H20", quantity=D(5)),
        "rejected": make_event(lonely, quantity=D(1), period="2024", review_status="rejected"),
    }


def test_comparison_page_puts_sources_side_by_side_with_flags(client, disputed):
    page = html_of(client, "/comparaison/")
    assert "1 accord rapporté par plusieurs articles" in page
    assert 'id="accord-acquisition-a800-bytedance-2024"' in page
    assert "3 sources" in page
    assert "les quantités rapportées diffèrent" in page and "démenti par une partie" in page
    assert "les montants rapportés diffèrent" not in page
    assert page.index("Financial Times") < page.index("Reuters") < page.index("Caixin")
    assert "70 000 unités" in page and "100 000 unités" in page
    sentence = disputed["ft"].sentence
    assert f'href="/articles/{disputed["ft"].article.slug}/#s-{sentence.index}">« {sentence.text} »' in page
    # A deal told by one article only, and rejected events, are not comparisons.
    assert "Tencent seul" not in page and "H20" not in page.split("<h2")[-1]
    assert "Les Échos" not in page


def test_comparison_page_filters_and_bad_values(client, disputed):
    assert "1 accord" in html_of(client, "/comparaison/?entreprise=bytedance&puce=a800")
    assert "Aucun accord" in html_of(client, "/comparaison/?puce=h20")
    page = html_of(client, "/comparaison/?entreprise=nope&puce=a800")
    assert "Sélectionnez un choix valide" in page and "1 accord" in page


def test_more_than_against_exact_is_no_disagreement_on_the_page(client, db):
    first = make_article("Plus de 100 000", publication="Reuters")
    second = make_article("100 000 puces", publication="Bloomberg")
    make_event(first, quantity=D(100000), qualifier="more_than", period="2024")
    make_event(second, quantity=D(100000), period="2024")
    page = html_of(client, "/comparaison/")
    assert "plus de 100 000 unités" in page and "2 sources" in page
    assert "diffèrent" not in page


def test_article_page_shows_the_other_sources_of_its_deal(client, disputed):
    page = html_of(client, disputed["ft"].article.get_absolute_url())
    block = page[page.index("Aussi rapporté par") :]
    assert "quantités divergentes" in block and "démenti par une partie" in block
    assert "Reuters, 1er mars 2024" in block and "Caixin, 1er avril 2024" in block
    assert f'#f-{disputed["reuters"].quantity_figure.pk}"' in block
    assert 'href="/comparaison/#accord-acquisition-a800-bytedance-2024"' in block
    lonely = html_of(client, disputed["lonely"].article.get_absolute_url())
    assert "Aussi rapporté par" not in lonely and 'href="/evenements/"' in lonely


def test_article_page_query_count_is_fixed_with_comparisons(client, disputed, django_assert_num_queries):
    article = disputed["ft"].article
    for n in range(3):
        make_event(make_article(f"Autre source {n}"), quantity=D(70000), period="2024")
    with django_assert_num_queries(6):
        client.get(article.get_absolute_url())
    assert PurchaseEvent.objects.count() == 8


def test_comparison_page_query_count_does_not_grow_with_the_groups(
    client, disputed, django_assert_max_num_queries
):
    for n in range(4):
        make_event(make_article(f"H20 source {n}"), buyers=["Tencent"], chip="H20", quantity=D(n + 1))
    with django_assert_max_num_queries(5):
        page = html_of(client, "/comparaison/")
    assert "2 accords rapportés par plusieurs articles" in page


def test_filter_menus_keep_the_choice_and_escape_every_name(client, events):
    """The menus are built in Python (articles.filters.Select): same markup, nothing unescaped."""
    Company.objects.create(name='<b>"A&B"</b>', slug="a-b")
    page = html_of(client, "/evenements/?entreprise=a-b&tri=-quantite&type=zzz")
    menu = re.search(r'<select name="entreprise"[^>]*>(.*?)</select>', page, flags=re.S).group(1)
    assert '<option value="">Toutes les entreprises</option>' in menu
    assert '<option value="a-b" selected>&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</option>' in menu
    assert '<option value="bytedance">ByteDance</option>' in menu and menu.count(" selected") == 1
    assert '<option value="-quantite" selected>quantité décroissante</option>' in page
    assert re.search(r'<select name="type"[^>]*aria-invalid="true"[^>]*id="id_type"', page)  # the bad value
    assert re.search(r'<label for="id_entreprise">', page) and 'id="id_entreprise"' in page

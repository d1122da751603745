"""Company and chip pages over HTTP on a small archive built here: what readers see, and never see."""

import re
from datetime import date
from decimal import Decimal

import pytest

from articles.models import (
    Chip,
    Company,
    DatePrecision,
    Figure,
    Mention,
    PurchaseEvent,
    ReviewStatus,
    UsdSource,
)
from articles.search import rebuild_index
from articles.services import article_ingest

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


def html_of(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def ingest(body, *, title, published, precision=DatePrecision.DAY, publication="Le Monde"):
    article, _, _ = article_ingest(
        body=body, title=title, publication=publication, published=published, precision=precision
    )
    return article


def figure(article, surface, kind, value, unit, **extra) -> Figure:
    start = article.body.index(surface)
    sentence = article.sentences.get(start__lte=start, end__gt=start)
    return Figure.objects.create(
        article=article,
        sentence=sentence,
        kind=kind,
        surface=surface,
        char_start=start,
        char_end=start + len(surface),
        value=Decimal(value),
        unit=unit,
        **extra,
    )


def event(article, figure_or_sentence, *, buyers=(), **fields) -> PurchaseEvent:
    sentence = getattr(figure_or_sentence, "sentence", figure_or_sentence)
    row = PurchaseEvent.objects.create(article=article, sentence=sentence, **fields)
    row.buyers.set(buyers)
    return row


def mention(article, company=None, chip=None, index=0):
    sentence = article.sentences.get(index=index)
    Mention.objects.create(
        article=article,
        sentence=sentence,
        kind="company" if company else "chip",
        name=(company or chip).name,
        surface=(company or chip).name,
        char_start=sentence.start,
        char_end=sentence.start + 1,
        company=company,
        chip=chip,
    )


def dollars(article, surface, value, **extra) -> Figure:
    usd = {"value_usd": Decimal(value), "usd_source": UsdSource.NATIVE, "usd_rate": 1}
    return figure(article, surface, "money", value, "USD", **{**usd, **extra})


def units(article, surface, value, **extra) -> Figure:
    return figure(article, surface, "quantity", value, "unit", **extra)


def order_article(alpha, seller, chip):
    """2023: Alpha orders about 70 000 Z900 (verified) for 700 million dollars (machine-extracted)."""
    article = ingest(
        "Alpha a commandé 70 000 puces Z900 pour 700 millions de dollars. La livraison est prévue en 2024.",
        title="Alpha commande des Z900",
        published=date(2023, 8, 9),
    )
    quantity = units(article, "70 000", 70000, qualifier="approx", review_status="verified")
    amount = dollars(article, "700 millions de dollars", 700_000_000)
    event(
        article, amount, buyers=[alpha], seller=seller, chip=chip, type="order", quantity_figure=quantity,
        amount_figure=amount, period="2024", period_surface="en 2024",
    )  # fmt: skip
    return article, quantity, amount


def rumour_article(alpha, chip):
    """2025: an amount in yuans, a denied stockpile, a rejected event and a public event whose figure was
    rejected; the title is hostile."""
    article = ingest(
        "Alpha aurait dépensé 2 milliards de yuans en puces Z900. Alpha dément avoir stocké 5 000 puces. "
        "Selon une rumeur, Alpha aurait revendu 9 milliards de dollars de puces.",
        title="Alpha <script>alert(1)</script>",
        published=date(2025, 1, 1),
        precision=DatePrecision.YEAR,
    )
    rate = {"value_usd": Decimal("278600000"), "usd_source": UsdSource.RATE, "usd_rate": Decimal("0.1393")}
    yuans = figure(article, "2 milliards de yuans", "money", 2_000_000_000, "CNY", qualifier="approx", **rate)
    event(article, yuans, buyers=[alpha], chip=chip, type="purchase", amount_figure=yuans)
    denied = units(article, "5 000", 5000)
    event(
        article, denied, buyers=[alpha], chip=chip, type="stockpile", quantity_figure=denied, status="denied"
    )
    rumour = dollars(article, "9 milliards de dollars", 9_000_000_000, review_status=ReviewStatus.REJECTED)
    event(
        article, rumour, buyers=[alpha], chip=chip, type="resale", amount_figure=rumour,
        period_surface="période-rejetée", review_status=ReviewStatus.REJECTED,
    )  # fmt: skip
    event(
        article,
        rumour,
        buyers=[alpha],
        type="purchase",
        amount_figure=rumour,
        amount=9 * 10**9,
        currency="USD",
    )
    return article, yuans, denied, rumour


@pytest.fixture
def archive(db):
    """Alpha buys Z900s in two articles and is named in a third, with Calme SA (no events at all)."""
    alpha = Company.objects.create(
        name="Alpha <b>Tech</b>",
        slug="alpha-tech",
        aliases="Alpha Corp\nle géant <i>Alpha</i>",
        country="Chine",
    )
    seller = Company.objects.create(name="Vendeur Test", slug="vendeur-test", role="chipmaker")
    quiet = Company.objects.create(name="Calme SA", slug="calme-sa", aliases="Calme", role="other")
    base = Chip.objects.create(name="Z1000", slug="z1000", maker=seller, family="Zeta")
    chip = Chip.objects.create(name="Z900", slug="z900", maker=seller, family="Zeta", variant_of=base)
    first, quantity, amount = order_article(alpha, seller, chip)
    second, yuans, denied, rumour = rumour_article(alpha, chip)
    third = ingest(
        "Calme SA et Alpha discutent d’un partenariat.", title="Un partenariat", published=date(2024, 2, 3)
    )
    for article in (first, second, third):
        mention(article, company=alpha)
    mention(third, company=quiet)
    mention(first, chip=chip)
    return {
        "alpha": alpha, "quiet": quiet, "chip": chip, "base": base, "articles": (first, second, third),
        "figures": (quantity, amount, yuans, denied, rumour),
    }  # fmt: skip


def test_company_list_counts_public_events_and_articles(client, archive):
    page = html_of(client, "/entreprises/")
    row = re.search(
        r'<a href="/entreprises/alpha-tech/">Alpha &lt;b&gt;Tech&lt;/b&gt;</a>.*?</tr>', page, re.S
    )
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    # Four public events (the rejected resale is not counted), three articles naming Alpha.
    assert cells == ["4", "3"]
    assert "Groupe technologique (acheteur)" in row.group(0)
    calme = re.search(r'href="/entreprises/calme-sa/">Calme SA</a>.*?</tr>', page, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', calme) == ["0", "1"]


def test_company_page_shows_figures_in_french_with_dollar_estimates(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert f"≈ 70{NBSP}000 unités" in page
    assert "700 millions $ US" in page
    assert "≈ 2 milliards yuans" in page
    assert "≈ 278,6 millions $ US (estimation au taux moyen de 2025)" in page
    assert "1 CNY = 0,1393 $ US" in page
    assert "Alpha Corp" in page and "le géant &lt;i&gt;Alpha&lt;/i&gt;" in page
    assert "en 2024 (2024)" not in page and "en 2024" in page


def test_rejected_events_and_figures_never_show(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert "période-rejetée" not in page
    assert "9 milliards $ US" not in page and "9 milliards USD" not in page
    rumour = archive["figures"][4]
    assert f"#f-{rumour.pk}" not in page
    # The public event whose only figure was rejected is still listed, without that figure.
    assert "revendu 9 milliards" in page  # its sentence, quoted as the source


def test_verified_and_machine_figures_are_told_apart(client, archive):
    quantity, amount = archive["figures"][:2]
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert re.search(
        rf'figure-ref--verified">\s*<a class="figure-ref__value" href="[^"]*#f-{quantity.pk}"', page
    )
    assert re.search(
        rf'figure-ref--pending">\s*<a class="figure-ref__value" href="[^"]*#f-{amount.pk}"', page
    )
    assert '<span class="flag flag--verified" title="vérifié par la rédaction">vérifié</span>' in page
    assert (
        '<span class="flag flag--pending" title="extrait automatiquement, non vérifié">non vérifié</span>'
        in page
    )
    assert f'timeline__point--verified" href="/articles/{quantity.article.slug}/#f-{quantity.pk}"' in page
    assert f'timeline__point--pending" href="/articles/{amount.article.slug}/#f-{amount.pk}"' in page


def test_denied_events_are_flagged_and_left_out_of_totals(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert '<span class="flag flag--denied">démenti</span>' in page
    assert "1 événement démenti n’est pas placé sur le graphique." in page
    totals = page[page.index('class="data-table year-totals"') :]
    row_2025 = re.search(r"<th scope=\"row\">2025</th>(.*?)</tr>", totals, re.S).group(1)
    assert "5" + NBSP + "000" not in row_2025
    assert "≈ 278,6 millions $ US" in row_2025
    row_2024 = re.search(r"<th scope=\"row\">2024</th>(.*?)</tr>", totals, re.S).group(1)
    assert f"≈ 70{NBSP}000 unités" in row_2024 and "700 millions $ US" in row_2024


def test_every_figure_and_sentence_link_lands_on_an_anchor_of_its_article(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    links = set(re.findall(r'href="(/articles/[\w-]+/)#([fs]-\d+)"', page))
    assert {anchor[0] for _, anchor in links} == {"f", "s"}
    articles = {}
    for path, anchor in links:
        articles.setdefault(path, html_of(client, path))
        assert f'id="{anchor}"' in articles[path], (path, anchor)


def test_company_page_links_to_the_filtered_search(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert '<a href="/recherche/?entreprise=alpha-tech">Rechercher dans l’archive' in page
    rebuild_index()
    results = html_of(client, "/recherche/?entreprise=alpha-tech")
    assert archive["articles"][0].get_absolute_url() in results


def test_company_without_events_still_has_a_real_page(client, archive):
    page = html_of(client, archive["quiet"].get_absolute_url())
    assert "Autre" in page and "Calme" in page
    assert (
        "Aucun achat, aucune commande, aucun stockage ni aucune autorisation n’a été relevé pour Calme SA"
        in page
    )
    assert "Aucun montant ni aucune quantité daté n’a été rapporté pour Calme SA" in page
    assert archive["articles"][2].get_absolute_url() in page
    assert "<svg" not in page and "<table" not in page


def test_hostile_names_are_escaped_everywhere_including_the_chart(client, archive):
    page = html_of(client, archive["alpha"].get_absolute_url())
    assert "<b>Tech</b>" not in page and "<script>alert(1)</script>" not in page
    assert "<title>Alpha &lt;b&gt;Tech&lt;/b&gt;" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "Alpha &lt;script&gt;alert(1)&lt;/script&gt;" in svg and "<script>" not in svg


def test_unknown_slugs_are_404(client, db):
    assert "Page introuvable" in html_of(client, "/entreprises/nexiste-pas/", status=404)
    assert "Page introuvable" in html_of(client, "/puces/nexiste-pas/", status=404)


def test_chip_list_shows_maker_variant_and_honest_quantity_total(client, archive):
    page = html_of(client, "/puces/")
    row = re.search(r'<a href="/puces/z900/">Z900</a>.*?</tr>', page, re.S).group(0)
    assert '<a href="/entreprises/vendeur-test/">Vendeur Test</a>' in row
    assert '<a href="/puces/z1000/">Z1000</a>' in row and "Zeta" in row
    # The denied 5 000 are not added: only the approximate 70 000.
    assert f"≈ 70{NBSP}000" in row and "(1 chiffre)" in row


def test_chip_page_has_yearly_totals_timeline_and_search_link(client, archive):
    page = html_of(client, archive["chip"].get_absolute_url())
    assert "Variante de" in page and '<a href="/puces/z1000/">Z1000</a>' in page
    assert '<a href="/recherche/?puce=z900">Rechercher dans l’archive' in page
    assert "une même commande peut être citée par plusieurs articles" in page
    assert 'role="img"' in page and '<table class="visually-hidden">' in page
    row_2025 = re.search(r"<th scope=\"row\">2025</th>(.*?)</tr>", page, re.S).group(1)
    assert "≈ 278,6 millions $ US" in row_2025 and "(1 chiffre)" in row_2025
    base = html_of(client, archive["base"].get_absolute_url())
    assert "Ses variantes" in base and '<a href="/puces/z900/">Z900</a>' in base
    assert (
        "Aucun achat, aucune commande, aucun stockage ni aucune autorisation portant sur la puce Z1000"
        in base
    )


def test_detail_pages_run_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries):
    alpha, chip = archive["alpha"], archive["chip"]
    first = archive["articles"][0]
    for n in range(6):
        extra = dollars(first, "700 millions de dollars", 700_000_000 + n)
        event(first, extra, buyers=[alpha], chip=chip, type="order", amount_figure=extra, period=f"202{n}")
    with django_assert_max_num_queries(5):
        html_of(client, alpha.get_absolute_url())
    with django_assert_max_num_queries(5):
        html_of(client, chip.get_absolute_url())
    with django_assert_max_num_queries(2):
        html_of(client, "/entreprises/")
    with django_assert_max_num_queries(2):
        html_of(client, "/puces/")


def test_every_seed_entity_page_renders_and_its_links_land(client, seeded):
    pages = ["/entreprises/", "/puces/"]
    pages += [company.get_absolute_url() for company in Company.objects.all()]
    pages += [chip.get_absolute_url() for chip in Chip.objects.all()]
    targets, articles = set(), {}
    for url in pages:
        targets |= set(re.findall(r'href="(/articles/[\w-]+/)#([fs]-\d+)"', html_of(client, url)))
    assert len(targets) > 20
    for path, anchor in targets:
        articles.setdefault(path, html_of(client, path))
        assert f'id="{anchor}"' in articles[path], (path, anchor)
    bytedance = html_of(client, "/entreprises/bytedance/")
    assert "≥ 16 milliards $ US" in bytedance and "4 événements démentis" in bytedance


def test_busy_pages_show_the_latest_and_link_to_everything(client, seeded, monkeypatch):
    from articles import entity_views, selectors

    monkeypatch.setattr(entity_views, "EVENTS_SHOWN", 2)
    monkeypatch.setattr(entity_views, "ARTICLES_SHOWN", 1)
    monkeypatch.setattr(selectors, "TIMELINE_MAX_FIGURES", 1)
    company = Company.objects.get(name="ByteDance")
    total = len(selectors.company_events(company))
    page = html_of(client, company.get_absolute_url())
    assert f"Voir les {total} événements dans le tableau des événements" in page
    assert 'href="/evenements/?entreprise=bytedance"' in page
    assert "Tous dans la recherche" in page and "?entreprise=bytedance&amp;tri=date" in page
    assert "Seuls les chiffres les plus récents sont placés" in page
    assert len(re.findall(r'<li class="entity-event entity-event--', page)) == 2

"""Tests for articles.extraction.periods: plain Python, no Django, no database."""

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from articles.extraction.periods import find_dates
from articles.extraction.types import DATE

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
NBSP = "\u00a0"


def day(y, m, d):
    return date(y, m, d), "day"


def month(y, m):
    return date(y, m, 1), "month"


def year(y):
    return date(y, 1, 1), "year"


UNKNOWN = (None, "unknown")


def dates(text, publication=UNKNOWN):
    published, precision = publication
    return [(f.surface, f.value_text) for f in find_dates(text, published=published, precision=precision)]


ONE_DATE = [  # text, publication date and precision, surface found, value_text
    # Wire copy: days, weekdays, "hier".
    ("Washington a annoncé le 9 août 2023 des restrictions.", UNKNOWN, "le 9 août 2023", "2023-08-09"),
    ("Le 9 août, Washington a annoncé une interdiction.", month(2023, 8), "Le 9 août", "2023-08-09"),
    ("Le 9 août, Washington a annoncé une interdiction.", year(2023), "Le 9 août", ""),
    ("Le 9 août, Washington a annoncé une interdiction.", UNKNOWN, "Le 9 août", ""),
    ("Nvidia a annoncé lundi une nouvelle puce.", day(2023, 11, 9), "lundi", "2023-11-06"),
    ("Nvidia a annoncé lundi une nouvelle puce.", month(2023, 11), "lundi", ""),
    ("L'accord sera signé lundi prochain.", day(2023, 11, 9), "lundi prochain", "2023-11-13"),
    ("Le ministère a confirmé hier l'autorisation.", day(2024, 3, 1), "hier", "2024-02-29"),
    ("a déclaré jeudi 9 novembre 2023 un porte-parole", UNKNOWN, "jeudi 9 novembre 2023", "2023-11-09"),
    ("Les livraisons ont repris le 1er mars.", month(2024, 3), "le 1er mars", "2024-03-01"),
    ("La mesure s'applique depuis le 17 oct. 2023.", UNKNOWN, "depuis le 17 oct. 2023", "2023-10-17"),
    (
        "Le texte a été voté le 15 septembre dernier.",
        day(2023, 9, 20),
        "le 15 septembre dernier",
        "2023-09-15",
    ),
    (f"le 9{NBSP}août{NBSP}2023", UNKNOWN, f"le 9{NBSP}août{NBSP}2023", "2023-08-09"),
    # Months without a year: the latest one; "dernier" strictly before; across year boundaries.
    (
        "Selon le FT, en décembre dernier, une usine a démonté",
        month(2024, 1),
        "en décembre dernier",
        "2023-12",
    ),
    ("en décembre dernier", month(2024, 12), "en décembre dernier", "2023-12"),
    ("en décembre dernier", year(2024), "en décembre dernier", "2023-12"),
    ("en décembre dernier", UNKNOWN, "en décembre dernier", ""),
    ("les restrictions imposées par les États-Unis en octobre", month(2023, 8), "en octobre", "2022-10"),
    ("les restrictions imposées en octobre", month(2023, 10), "en octobre", "2023-10"),
    ("les restrictions imposées en octobre", year(2023), "en octobre", ""),
    ("en mars prochain", month(2023, 3), "en mars prochain", "2024-03"),
    ("Suite aux rapports de juin détaillant", month(2023, 8), "de juin", "2023-06"),
    ("pourrait entrer en production dès septembre", month(2025, 5), "dès septembre", "2025-09"),
    ("pourrait entrer en production dès septembre", UNKNOWN, "dès septembre", ""),
    ("livrées d'ici juin", month(2025, 8), "d'ici juin", "2026-06"),
    ("fin juin, la société", month(2024, 8), "fin juin", "2024-06"),
    ("en Octobre 2022, les États-Unis", UNKNOWN, "en Octobre 2022", "2022-10"),
    ("En mars 2025, le constructeur dévoile la puce Ascend 910C", UNKNOWN, "En mars 2025", "2025-03"),
    # Relative expressions keep their precision and need it from the publication date.
    ("Le mois dernier, Pékin a réagi.", day(2024, 1, 15), "Le mois dernier", "2023-12"),
    ("Le mois dernier, Pékin a réagi.", month(2024, 1), "Le mois dernier", "2023-12"),
    ("Le mois dernier, Pékin a réagi.", year(2024), "Le mois dernier", ""),
    ("dès le mois prochain", month(2023, 12), "dès le mois prochain", "2024-01"),
    ("ChatGPT, lancé par OpenAI il y a huit mois", month(2023, 8), "il y a huit mois", "2022-12"),
    ("ChatGPT, lancé par OpenAI il y a huit mois", year(2025), "il y a huit mois", ""),
    ("ChatGPT, lancé par OpenAI il y a huit mois", UNKNOWN, "il y a huit mois", ""),
    ("une usine ouverte il y a deux ans", year(2025), "il y a deux ans", "2023"),
    (
        "ByteDance a commandé 70 000 puces pour l'année prochaine.",
        month(2023, 8),
        "l'année prochaine",
        "2024",
    ),
    ("applicable dès l’année prochaine", year(2023), "dès l’année prochaine", "2024"),
    ("pour l'année prochaine", UNKNOWN, "l'année prochaine", ""),
    ("L'an dernier, les ventes ont doublé.", day(2025, 1, 3), "L'an dernier", "2024"),
    ("Plus tôt cette année, ByteDance a testé", month(2023, 8), "Plus tôt cette année", "2023"),
    ("livrées dans les mois qui viennent", month(2023, 8), "dans les mois qui viennent", ""),
    ("livrées dans les prochains mois", month(2023, 8), "dans les prochains mois", ""),
    ("empêchent depuis plusieurs années l'exportation", month(2023, 8), "depuis plusieurs années", ""),
    # Financial press: quarters, half years, fiscal years.
    (
        "ont commandé 16 milliards de dollars au premier trimestre",
        year(2025),
        "au premier trimestre",
        "2025-Q1",
    ),
    ("au quatrième trimestre", month(2024, 2), "au quatrième trimestre", "2023-Q4"),
    ("au quatrième trimestre", month(2024, 11), "au quatrième trimestre", "2024-Q4"),
    ("au deuxième trimestre", year(2024), "au deuxième trimestre", ""),
    ("au troisième trimestre", UNKNOWN, "au troisième trimestre", ""),
    ("Le chiffre d'affaires du T1 2025 a bondi de 69 %.", UNKNOWN, "du T1 2025", "2025-Q1"),
    ("Q3 2024 : 35,1 milliards de dollars", UNKNOWN, "Q3 2024", "2024-Q3"),
    ("au 1er trimestre 2025", UNKNOWN, "au 1er trimestre 2025", "2025-Q1"),
    ("au premier trimestre de 2025", UNKNOWN, "au premier trimestre de 2025", "2025-Q1"),
    ("au T2, la marge a reculé", month(2025, 5), "au T2", "2025-Q2"),
    ("au premier semestre 2024, les ventes ont progressé", UNKNOWN, "au premier semestre 2024", "2024-H1"),
    ("au second semestre", month(2023, 3), "au second semestre", "2022-H2"),
    ("au second semestre", month(2023, 9), "au second semestre", "2023-H2"),
    (
        "Au troisième trimestre de son exercice 2025,",
        UNKNOWN,
        "Au troisième trimestre de son exercice 2025",
        "2025-Q3",
    ),
    ("un bénéfice record sur l'exercice 2024", UNKNOWN, "l'exercice 2024", "2024"),
    ("au dernier trimestre", month(2024, 6), "au dernier trimestre", ""),
    ("au dernier trimestre 2023", UNKNOWN, "au dernier trimestre 2023", "2023-Q4"),
    # Years, with the word that makes them dates; half years; spans.
    ("à livrer tout au long de 2023", UNKNOWN, "tout au long de 2023", "2023"),
    ("Début 2023, la plupart des géants chinois", UNKNOWN, "Début 2023", "2023-H1"),
    ("Les livraisons reprendront fin 2024.", UNKNOWN, "fin 2024", "2024-H2"),
    ("une usine prévue pour la mi-2026", UNKNOWN, "la mi-2026", "2026"),
    ("d'ici la fin de l'année", year(2025), "d'ici la fin de l'année", "2025-H2"),
    ("au début de l'année prochaine", month(2023, 8), "au début de l'année prochaine", "2024-H1"),
    ("la part de Nvidia a chuté depuis 2020", UNKNOWN, "depuis 2020", "2020"),
    ("En raison de la réglementation américaine de 2022,", UNKNOWN, "de 2022", "2022"),
    ("d'ici 2030, la Chine veut produire", UNKNOWN, "d'ici 2030", "2030"),
    ("Le groupe, fondé en 2020, a levé", UNKNOWN, "en 2020", "2020"),
    ("Son dernier modèle, 2022, reste en vente.", UNKNOWN, "2022", "2022"),
    ("La part a diminué entre 2020 et 2021.", UNKNOWN, "entre 2020 et 2021", "2020/2021"),
    ("un plan de 2022 à 2024", UNKNOWN, "de 2022 à 2024", "2022/2024"),
    ("la RTX 2080 Ti de 2019", UNKNOWN, "de 2019", "2019"),
]

NEVER_DATES = [
    "les puces H20 de Nvidia et la RTX 4090 D",
    "la puce Ascend 910B de Huawei",
    "plus de 2 000 puces et une hausse de 10% pour 13,7 milliards",
    "La H20 coûte entre 12 000 et 13 000 dollars.",
    "une GPU vendue de 2000 à 3000 dollars",
    "un serveur de 2048 cœurs",
    "Alibaba souhaite intégrer des modèles à sa plateforme et à sa stratégie",
    "pour maintenir le rythme dans le domaine de l'IA, mais",
    "une mission vers Mars financée par Mai Ly",
    "la troisième plus grosse IPO de l'année",
    "Cette année-là, Hygon obtient une licence.",
    "Le lundi, les usines tournent ; les géants d'hier",
    "le modèle T1 de la marque et la puce H100",
    "Ils étaient 2023 à manifester.",
]


@pytest.mark.parametrize(("text", "publication", "surface", "value_text"), ONE_DATE)
def test_finds_and_resolves(text, publication, surface, value_text):
    assert dates(text, publication) == [(surface, value_text)]


@pytest.mark.parametrize("text", NEVER_DATES)
def test_never_a_date(text):
    assert dates(text, month(2023, 8)) == []


def test_several_dates_in_order():
    text = "L'introduction de restrictions en octobre 2022, puis leur durcissement en 2023, a frappé Nvidia."
    assert dates(text) == [("en octobre 2022", "2022-10"), ("en 2023", "2023")]


def test_figures_are_dates_with_offsets_into_the_text():
    text = "Selon le FT, en décembre dernier et au premier trimestre 2025, Nvidia a vendu 12 000 puces."
    figures = find_dates(text, published=date(2025, 6, 1), precision="month")
    assert [text[f.start : f.end] for f in figures] == ["en décembre dernier", "au premier trimestre 2025"]
    assert {(f.kind, f.unit, f.value, f.value_max, f.qualifier) for f in figures} == {
        (DATE, "date", None, None, "exact")
    }


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [("vers 2025", "approx"), ("aux alentours de mars 2024", "approx"), ("il y a environ dix ans", "approx"),
     ("dans les prochains mois", "vague"), ("en 2025", "exact")],
)  # fmt: skip
def test_qualifier(text, qualifier):
    assert [found.qualifier for found in find_dates(text)] == [qualifier]


def test_datetime_publication_gives_dates_without_time():
    assert dates("hier", (datetime(2024, 3, 1, 18, 30), "day")) == [("hier", "2024-02-29")]


def test_unknown_precision_name_is_refused():
    with pytest.raises(ValueError):
        find_dates("en 2024", published=date(2024, 1, 1), precision="week")


def test_does_not_import_django():
    code = "import articles.extraction.periods, sys; assert 'django' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# The seed articles and their gold events. The gold keeps each event's period as written; the values a
# tagger should resolve them to come from the research notes (section 4.3), with these publication dates.
SEED_PUBLICATION = {
    "000": month(2023, 8),
    "001": month(2023, 8),
    "002": year(2025),
    "003": UNKNOWN,
    "004": UNKNOWN,
}
RESOLVED = {
    "tout au long de 2023": "2023", "en 2024": "2024", "l'année prochaine": "2024",
    "au premier trimestre": "2025-Q1", "en décembre dernier": "",
}  # fmt: skip
SEED_DATES = {
    "000": [
        ("de juin", "2023-06"), ("tout au long de 2023", "2023"), ("en 2024", "2024"),
        ("en octobre", "2022-10"),
    ],
    "001": [
        ("en 2024", "2024"), ("de 2022", "2022"), ("Le 9 août", "2023-08-09"),
        ("dès l'année prochaine", "2024"), ("il y a huit mois", "2022-12"), ("Plus tôt cette année", "2023"),
        ("l'année prochaine", "2024"), ("Début 2023", "2023-H1"),
    ],
    "002": [("au premier trimestre", "2025-Q1")],
    "003": [],
    "004": [("en décembre dernier", "")],
}  # fmt: skip


def seed_text(name):
    return (SHARED / "seeds" / name).read_text(encoding="utf-8")


def gold_periods():
    gold_file = SHARED / "gold" / "seeds_gold.json"
    if not gold_file.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason="no /work/shared gold"))]
    events = json.loads(gold_file.read_text(encoding="utf-8"))["events"]
    return [pytest.param(event, id=f"{event['id']}:{event['period']}") for event in events if event["period"]]


@pytest.mark.parametrize("event", gold_periods())
def test_seed_gold_periods_are_found_and_resolved(event):
    text = seed_text(event["file"])
    start = event["sentence_start"]
    end = start + len(event["sentence"])
    assert text[start:end] == event["sentence"]
    published, precision = SEED_PUBLICATION[event["file"][:3]]
    found = [f for f in find_dates(text, published=published, precision=precision) if start <= f.start < end]
    assert [(f.surface, f.value_text) for f in found if f.surface == event["period"]] == [
        (event["period"], RESOLVED[event["period"]])
    ]


def as_publication(published):
    """The publication of a dev article ("2025", "2025-04" or "2025-04-23"), as date and precision."""
    if not published:
        return UNKNOWN
    parts = [int(part) for part in published.split("-")]
    return date(*parts, *[1] * (3 - len(parts))), ("year", "month", "day")[len(parts) - 1]


def dev_gold_periods():
    """Events of the development set (articles never used to write the tagger) that have a period."""
    dev = SHARED / "gold" / "dev"
    if not dev.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="no /work/shared dev set"))]
    cases = {}
    for gold_file in sorted((dev / "gold").glob("*.json")):
        article = json.loads((dev / "articles" / gold_file.name).read_text(encoding="utf-8"))
        for event in json.loads(gold_file.read_text(encoding="utf-8"))["events"]:
            if event["period"]:
                key = f"{gold_file.stem}:{event['period']}:{event['sentence'][:20]}"
                cases[key] = pytest.param(article, event, id=key)
    return list(cases.values())


@pytest.mark.parametrize(("article", "event"), dev_gold_periods())
def test_dev_gold_periods_are_found(article, event):
    body = article["body"]
    start = body.index(event["sentence"])
    end = start + len(event["sentence"])
    published, precision = as_publication(article["published"])
    found = [
        f.surface
        for f in find_dates(body, published=published, precision=precision)
        if start <= f.start < end
    ]
    # The gold writes the period alone ("2020"); the tagger keeps the word that makes it a date ("en 2020").
    assert any(event["period"] in surface for surface in found), found


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="no /work/shared seeds")
@pytest.mark.parametrize("seed", sorted(SEED_DATES))
def test_every_date_of_the_seeds_and_nothing_else(seed):
    (name,) = [path.name for path in (SHARED / "seeds").glob(f"{seed}_*.txt")]
    assert dates(seed_text(name), SEED_PUBLICATION[seed]) == SEED_DATES[seed]

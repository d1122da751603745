"""Tests for articles.extraction.pipeline.extract: offsets, sentence indices, context, the dev-set floors.

Plain Python, no database. The dev-set test runs the scorer of /work/shared/gold (imported from there, not
copied) and is skipped where that folder is absent.
"""

import datetime
import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from articles.extraction.figures import find_figures
from articles.extraction.periods import find_dates
from articles.extraction.pipeline import extract
from articles.extraction.segmenter import segment
from articles.extraction.types import DATE, DENIED, MONEY, QUANTITY, REPORTED, ExtractionResult
from tests.extraction.test_mentions import GAZETTEER

ROOT = Path(__file__).resolve().parents[2]
CHIP_NAMES = tuple(alias for chip in GAZETTEER.chips for alias in (chip.name, *chip.aliases))
SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "gold" / "dev"

ARTICLE = (
    "Puces : Tencent et Alibaba achètent des GPU de ByteDance\n"
    "\n"
    "Tencent Holdings et Alibaba Group Holding ont acquis des unités H20 de NVIDIA de ByTedance, d’une "
    "valeur d’environ 2 milliards de yuans.\n"
    "Selon Caijing, Bytedance avait déjà stocké environ 100 milliards de yuans (13,7 milliards de dollars "
    "américains) de puces H20 de Nvidia. Les GPU ont été principalement achetés par Tencent.\n"
    "ByTedance a nié le rapport, déclarant que les informations sont «fausses».\n"
    "Les autorités chinoises ont autorisé ByteDance, Alibaba et Tencent à acheter des puces H200. Ces "
    "autorisations permettent l’achat de plus de 400 000 puces au total, au premier trimestre.\n"
    "Comment (0)"
)


@pytest.fixture(scope="module")
def result() -> ExtractionResult:
    return extract(ARTICLE, gazetteer=GAZETTEER, published=datetime.date(2025, 4, 10), precision="day")


def test_offsets_of_figures_and_mentions_are_into_the_body(result):
    assert result.figures and result.mentions
    for item in (*result.figures, *result.mentions):
        assert ARTICLE[item.start : item.end] == item.surface


def test_sentence_indices_match_the_segments(result):
    units = {unit.index: unit for unit in segment(ARTICLE)}
    for item in (*result.figures, *result.mentions):
        unit = units[item.sentence_index]
        assert unit.start <= item.start < item.end <= unit.end
    for event in result.events:
        assert event.sentence_index in units


def test_boilerplate_gives_nothing(result):
    last = segment(ARTICLE)[-1]
    assert last.kind == "boilerplate"
    assert all(item.sentence_index != last.index for item in (*result.figures, *result.mentions))


def test_figures_keep_their_kinds_and_conversions(result):
    kinds = [(f.kind, f.surface) for f in result.figures]
    assert (MONEY, "environ 2 milliards de yuans") in kinds
    assert (QUANTITY, "plus de 400 000 puces") in kinds
    assert any(kind == DATE and surface.endswith("premier trimestre") for kind, surface in kinds)
    (converted,) = [f for f in result.figures if f.conversion_of is not None]
    assert converted.surface == "13,7 milliards de dollars américains"
    assert result.figures[converted.conversion_of].surface == "environ 100 milliards de yuans"
    starts = [f.start for f in result.figures]
    assert starts == sorted(starts)


def test_mentions_merge_nothing_across_sentences(result):
    assert [m.name for m in result.mentions if m.sentence_index == 1] == [
        "Tencent",
        "Alibaba",
        "H20",
        "Nvidia",
        "ByteDance",
    ]


def test_events_with_context_and_denial(result):
    title, resale, stock, passive, authorized, these = result.events
    # A title with a verb and named buyers is an event; its chip is the first one the body names.
    assert (title.sentence_index, title.type, title.buyers, title.seller, title.chip) == (
        0,
        "resale",
        ("Tencent", "Alibaba"),
        "ByteDance",
        "H20",
    )
    assert (resale.type, resale.buyers, resale.seller, resale.chip) == (
        "resale",
        ("Tencent", "Alibaba"),
        "ByteDance",
        "H20",
    )
    assert result.figures[resale.amount_figure].surface == "environ 2 milliards de yuans"
    assert (stock.type, stock.buyers, stock.amount) == ("stockpile", ("ByteDance",), Decimal("1E+11"))
    assert (passive.type, passive.buyers, passive.seller, passive.chip) == (
        "resale",
        ("Tencent",),
        "ByteDance",
        "H20",
    )
    # ByteDance denies the report: every event it is a party to, told before, is denied.
    assert {title.status, resale.status, stock.status, passive.status} == {DENIED}
    assert authorized.type == "authorization" and authorized.status == REPORTED
    # "Ces autorisations" carry the buyers and the chip of the sentence before, in the same paragraph.
    assert (these.type, these.buyers, these.chip, these.quantity) == (
        "authorization",
        ("ByteDance", "Alibaba", "Tencent"),
        "H200",
        Decimal(400000),
    )
    assert these.period == "2025-Q1"
    assert result.figures[these.quantity_figure].surface == "plus de 400 000 puces"


def test_given_segments_give_the_same_result(result):
    again = extract(
        ARTICLE,
        gazetteer=GAZETTEER,
        published=datetime.date(2025, 4, 10),
        precision="day",
        segments=segment(ARTICLE),
    )
    assert again == result


def test_idempotent_and_deterministic(result):
    assert (
        extract(ARTICLE, gazetteer=GAZETTEER, published=datetime.date(2025, 4, 10), precision="day") == result
    )


@pytest.mark.parametrize(
    "body",
    [
        ARTICLE,
        "Il en veut au moins\n10 000 puces. Et 5 % de plus.\rComment (0)\r\n5 000 puces H20 pour 2 milliards "
        "de yuans (280 millions de dollars).\u2028En 2024, 3 Md$.",
        "  • 100 000 GPU H100\n\n  • 2 milliards de dollars\n\nSource : Reuters, 12 000 dollars",
    ],
)
def test_reading_the_body_once_gives_the_figures_of_each_sentence_read_alone(body):
    published = datetime.date(2025, 4, 10)
    result = extract(body, gazetteer=GAZETTEER, published=published, precision="day")
    expected = []
    for unit in segment(body):
        if unit.kind == "boilerplate":
            continue
        numbers = find_figures(unit.text, chip_names=CHIP_NAMES)
        dates = find_dates(unit.text, published=published, precision="day")
        for figure in sorted(numbers + dates, key=lambda f: (f.start, f.end)):
            expected.append(
                (unit.index, unit.start + figure.start, figure.surface, figure.kind, figure.value)
            )
    got = [(f.sentence_index, f.start, f.surface, f.kind, f.value) for f in result.figures]
    assert got == expected


def test_empty_body():
    assert extract("", gazetteer=GAZETTEER) == ExtractionResult()


def test_import_leaves_django_out():
    code = "import sys, articles.extraction.pipeline; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- the annotated development set ---------------------------------------------------------------


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared gold folder is not here")
def test_dev_set_floors():
    scorer = _load("gold_score", SHARED / "gold" / "score.py")
    bench = _load("score_dev", ROOT / "bench" / "score_dev.py")
    articles = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted((DEV / "articles").glob("*.json"))
    ]
    figures, events = bench.export(articles, bench.migration_gazetteer())
    gold = scorer.load_gold(str(DEV / "gold"))
    url_to_file = {value["url"]: key for key, value in gold.items()}
    matched = quals = n_gold = n_sys = 0
    required = hits = used = n_events = 0
    for key, annotated in gold.items():
        mine = [f for f in figures if scorer.key_of(f, url_to_file) == key and f["kind"] in scorer.CORE]
        found, qualified, _, _ = scorer.match_figures(annotated["figures"], mine)
        matched, quals = matched + found, quals + qualified
        n_gold, n_sys = n_gold + len(annotated["figures"]), n_sys + len(mine)
        mine = [e for e in events if scorer.key_of(e, url_to_file) == key]
        hit, wanted, counted, _ = scorer.match_events(annotated["events"], mine, strict=True)
        hits, required, used, n_events = hits + hit, required + wanted, used + counted, n_events + len(mine)
    assert scorer.prf(matched, n_sys, n_gold)[2] >= 0.97
    assert quals / matched >= 0.95
    precision, recall = used / n_events, hits / required
    assert 2 * precision * recall / (precision + recall) >= 0.80


def test_windows_line_breaks_and_no_break_spaces_keep_offsets_and_paragraphs():
    body = (
        "Plus tôt cette année, ByteDance a testé un chatbot.\r\n"
        "Deux employés ont indiqué avoir constitué un stock d’au moins 10\u202f000 GPU Nvidia.\r\n"
        "Par ailleurs, ByteDance a commandé près de 70\u00a0000 puces A8 pour l’année prochaine."
    )
    result = extract(body, gazetteer=GAZETTEER, published=datetime.date(2023, 8, 9), precision="day")
    for item in (*result.figures, *result.mentions):
        assert body[item.start : item.end] == item.surface
    stock, order = result.events
    assert stock.buyers == ()  # "Deux employés" opens a new paragraph: nobody named before in it
    assert (order.type, order.buyers, order.chip, order.quantity) == ("order", ("ByteDance",), "A800", 70000)
    assert order.period == "2024"

"""Score the extraction on the annotated development set, without a database.

usage: python bench/score_dev.py [SHARED_GOLD_DIR]   (default: ../shared/gold/dev from the repository root)

Loads the dev articles, builds the gazetteer from the data of migration 0002 (plus the few chips the dev
set names that the migration lacks, listed in EXTRA_CHIPS so that they can be added to the database), runs
``extract`` on every article, writes figures.json and events.json in the export format of
``export_figures`` / ``export_events`` to a temporary folder, and prints what ../score.py says of them.
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.extraction.pipeline import extract  # noqa: E402
from articles.extraction.segmenter import segment  # noqa: E402
from articles.extraction.types import Gazetteer, GazetteerEntry  # noqa: E402

# Chips named in the dev set that migration 0002 does not install: (name, maker, aliases).
EXTRA_CHIPS = (
    ("Ascend 950", "Huawei", ("Ascend950",)),
    ("Ascend 920", "Huawei", ("Ascend920",)),
    ("GB200", "Nvidia", ("GB200 NVL72",)),
)


def migration_gazetteer(extra_chips=EXTRA_CHIPS) -> Gazetteer:
    """The gazetteer migrate installs, built from the migration's own constants."""
    data = importlib.import_module("articles.migrations.0002_gazetteer")
    companies = tuple(
        GazetteerEntry(name, tuple(aliases), role=role) for name, role, _country, aliases in data.COMPANIES
    )
    chips = [
        GazetteerEntry(name, tuple(aliases), maker=maker)
        for name, maker, _family, _variant, aliases, _notes in data.CHIPS
    ]
    chips += [GazetteerEntry(name, aliases, maker=maker) for name, maker, aliases in extra_chips]
    return Gazetteer(companies=companies, chips=tuple(chips))


def published_date(value: str | None) -> tuple[datetime.date | None, str]:
    """ "2023-08" -> (2023-08-01, "month"); "2025" -> (2025-01-01, "year"); None -> (None, "unknown")."""
    if not value:
        return None, "unknown"
    parts = [int(part) for part in value.split("-")]
    precision = ("year", "month", "day")[len(parts) - 1]
    return datetime.date(*(parts + [1] * (3 - len(parts)))), precision


def number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def export(articles: list[dict], gazetteer: Gazetteer) -> tuple[list[dict], list[dict]]:
    """Figures and events of every article, as the export commands print them."""
    figures, events = [], []
    for article in articles:
        body, title = article["body"], article.get("title")
        published, precision = published_date(article.get("published"))
        units = segment(body, title=title)
        result = extract(body, gazetteer=gazetteer, title=title, published=published, precision=precision)
        texts = {unit.index: unit.text for unit in units}
        common = {"article_url": article.get("url"), "article": title or body[:60]}
        for figure in result.figures:
            figures.append(
                {
                    **common,
                    "sentence_index": figure.sentence_index,
                    "sentence": texts[figure.sentence_index],
                    "surface": figure.surface,
                    "kind": figure.kind,
                    "value": number(figure.value),
                    "value_max": number(figure.value_max),
                    "unit": figure.unit,
                    "qualifier": figure.qualifier,
                    "value_usd": None,
                    "status": "extracted",
                }
            )
        for event in result.events:
            events.append(
                {
                    **common,
                    "sentence_index": event.sentence_index,
                    "sentence": texts[event.sentence_index],
                    "type": event.type,
                    "buyers": list(event.buyers),
                    "seller": event.seller,
                    "chip": event.chip,
                    "quantity": number(event.quantity),
                    "amount": number(event.amount),
                    "currency": event.currency or None,
                    "period": event.period or None,
                    "status": event.status,
                    "review": "extracted",
                }
            )
    return figures, events


def main(argv: list[str]) -> int:
    gold_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "gold" / "dev"
    articles = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((gold_dir / "articles").glob("*.json"))
    ]
    figures, events = export(articles, migration_gazetteer())
    with tempfile.TemporaryDirectory() as folder:
        figures_path, events_path = Path(folder) / "figures.json", Path(folder) / "events.json"
        figures_path.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
        events_path.write_text(json.dumps(events, ensure_ascii=False, indent=1), encoding="utf-8")
        scorer = gold_dir.parent / "score.py"
        command = [sys.executable, str(scorer), str(gold_dir / "gold"), str(figures_path), str(events_path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    print(f"extra chips used (not in migration 0002): {', '.join(name for name, _, _ in EXTRA_CHIPS)}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))

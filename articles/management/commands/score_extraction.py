"""Score the archive's figures and events against an annotated set, with the project's scorer.

    python manage.py score_extraction GOLD_DIR [--import]

GOLD_DIR holds NN.json annotations and has a sibling folder articles/ with the annotated articles (the
layout of shared/gold/dev). The articles must be in the database (--import imports them first, then
extracts them). Prints the scorer's report: misses, extras and a SUMMARY line.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exports import as_json, event_queryset, event_record, figure_queryset, figure_record
from articles.services import articles_import

SCORER = Path(__file__).resolve().parents[2] / "evaluation" / "score.py"


class Command(BaseCommand):
    help = "Score extracted figures and events against GOLD_DIR with the project's scorer."

    def add_arguments(self, parser):
        parser.add_argument("gold_dir", type=Path)
        parser.add_argument("--import", dest="import_first", action="store_true",
                            help="import (and extract) GOLD_DIR/../articles first")  # fmt: skip

    def handle(self, *args, gold_dir, import_first, **options):
        articles_dir = gold_dir.resolve().parent / "articles"
        if not gold_dir.is_dir() or not articles_dir.is_dir():
            raise CommandError(f"{gold_dir} must be a folder with a sibling articles/ folder")
        if import_first:
            report = articles_import(paths=[articles_dir])
            self.stderr.write(f"import: {report.summary}")
        with tempfile.TemporaryDirectory() as scratch:
            figures, events = Path(scratch, "figures.json"), Path(scratch, "events.json")
            figures.write_text(as_json([figure_record(f) for f in figure_queryset()]), encoding="utf-8")
            events.write_text(as_json([event_record(e) for e in event_queryset()]), encoding="utf-8")
            done = subprocess.run(
                [sys.executable, str(SCORER), str(gold_dir), str(figures), str(events)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
        if done.returncode:
            raise CommandError(f"the scorer failed: {done.stderr.strip()}")
        self.stdout.write(done.stdout, ending="")

"""Import articles from .json, .txt and .html files or folders.

    python manage.py import_articles fixtures/ more/article.html

Each article is written in its own transaction; a bad file is reported on one line and the others are
still imported. Ends with "created N, updated N, skipped N, failed N"; exits 1 when anything failed.
"""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.services import articles_import

PROGRESS_BAR_FROM = 20  # files; below that the summary line is enough


class Command(BaseCommand):
    help = "Import articles from .json, .txt and .html files or folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument("--no-progress", action="store_true", help="never show the progress bar")

    def handle(self, *args, paths, no_progress, verbosity, **options):
        def progress(files):
            show = not no_progress and len(files) >= PROGRESS_BAR_FROM and verbosity > 0
            # tqdm redraws with "\r"; the command's OutputWrapper would append a newline to each redraw.
            return tqdm(files, desc="import", unit="file", file=self.stderr._out, disable=not show)

        report = articles_import(paths=paths, progress=progress)
        for failure in report.failures:
            self.stderr.write(f"error: {failure.source}: {failure.reason}")
        if verbosity > 0:
            for notice in report.notices:
                self.stderr.write(f"notice: {notice}")
        self.stdout.write(report.summary)
        if report.failed:
            sys.exit(1)

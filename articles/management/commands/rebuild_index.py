"""Rebuild the search index from the database into a new folder and swap it in at once.

    python manage.py rebuild_index              # always
    python manage.py rebuild_index --if-needed  # only when the index is missing or unreadable (`make run`)

The indexer is held off during the build (same lock), then the outbox rows queued before the build started
are deleted: the new index already holds their articles. Rows queued during the build are kept and drained
into the new index afterwards.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import SearchOutbox
from articles.search import index_status, rebuild_index
from articles.search_sync import drain_lock


class Command(BaseCommand):
    help = "Rebuild the search index from the database (--if-needed: only when missing or corrupt)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed", action="store_true", help="only when the index is missing or unreadable"
        )

    def handle(self, *args, if_needed, verbosity, **options):
        if if_needed:
            status = index_status()
            if status["available"]:
                if verbosity:
                    self.stdout.write(f"search index is fine ({status['articles']} articles), not rebuilt")
                return
            if verbosity:
                self.stdout.write(f"search index unavailable ({status['reason']}), rebuilding")

        def progress(items):
            # tqdm redraws with "\r"; the command's OutputWrapper would append a newline to each redraw.
            # disable=None lets tqdm turn itself off when stderr is not a terminal.
            return tqdm(
                items, desc="index", unit="article", file=self.stderr._out, disable=verbosity == 0 or None
            )

        with drain_lock():
            covered = list(SearchOutbox.objects.values_list("pk", flat=True))
            count = rebuild_index(progress=progress)
            for start in range(0, len(covered), 500):
                SearchOutbox.objects.filter(pk__in=covered[start : start + 500]).delete()
        if verbosity:
            self.stdout.write(
                f"search index rebuilt: {count} articles, {len(covered)} queued change(s) covered"
            )

"""Drain the search outbox into the index: the one process that writes the index while the site runs.

    python manage.py search_indexer            # loop until SIGTERM or Ctrl-C (`make run` starts it)
    python manage.py search_indexer --once     # drain what is queued now, then exit

Errors are logged and the batch stays in the outbox to be retried, with a growing pause; a signal lets the
batch in progress finish before the command exits.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from articles.search_sync import BATCH_SIZE, search_drain

logger = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


class Command(BaseCommand):
    help = "Index the articles queued in the search outbox, continuously or once (--once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")

    def handle(self, *args, once, interval, verbosity, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        total, failures = 0, 0
        while not self.stopping:
            close_old_connections()
            try:
                drained = search_drain(BATCH_SIZE, lock_timeout=None if once else interval)
                failures = 0
            except Exception:
                failures += 1
                logger.exception("search indexing failed; the batch stays queued and will be retried")
                if once:
                    break
                self.pause(min(interval * 2**failures, MAX_BACKOFF))
                continue
            total += drained
            if drained and verbosity > 1:
                self.stderr.write(f"search_indexer: {drained} queued change(s) indexed")
            if drained < BATCH_SIZE:
                if once:
                    break
                self.pause(interval)
        if verbosity:
            self.stdout.write(f"search_indexer: {total} queued change(s) indexed, stopping")
        return None

    def stop(self, signum, frame) -> None:
        self.stopping = True

    def pause(self, seconds: float) -> None:
        """Sleep in short steps so that a signal is answered within a tenth of a second."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

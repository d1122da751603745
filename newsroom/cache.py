"""The page cache's backend: Django's file cache, without listing its whole folder on every write."""

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_EVERY = 64


class FolderCache(FileBasedCache):
    """FileBasedCache that checks whether to cull once every CULL_CHECK_EVERY writes, not on each.

    Django's `set()` globs the whole folder to count the entries before every write. Measured on the
    load benchmark's archive: 8–20 ms per write at 3 000 entries, growing with the count up to
    MAX_ENTRIES, more than computing the search page being stored. Counting every 64th write (per
    process and thread, from a random start so workers do not cull in step) lets each writer add at
    most 64 entries past MAX_ENTRIES before the folder is culled as Django does it (a third of the
    entries, chosen at random).
    """

    def __init__(self, directory, params):
        super().__init__(directory, params)
        self._writes_before_check = random.randrange(CULL_CHECK_EVERY)  # noqa: S311 - not security

    def _cull(self):
        if self._writes_before_check > 0:
            self._writes_before_check -= 1
            return
        self._writes_before_check = CULL_CHECK_EVERY - 1
        super()._cull()

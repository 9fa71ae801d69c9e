"""Rebuild the search index from the database, then switch to it atomically (zero downtime)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from search import services
from search.backends import SearchError, get_backend


class ProgressBar:
    """``[####    ] 512/1000`` on stderr, redrawn in place."""

    def __init__(self, total: int, stream=None, width: int = 30) -> None:
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.width = width
        self.step = max(1, self.total // 100)
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        if done % self.step == 0 or done == self.total:
            self.draw()

    def draw(self, end: str = "") -> None:
        total = max(self.total, self.done, 1)
        filled = round(self.width * self.done / total)
        self.stream.write(f"\r[{'#' * filled}{' ' * (self.width - filled)}] {self.done}/{self.total}{end}")
        self.stream.flush()


class Command(BaseCommand):
    help = "重建搜索索引 Rebuild the search index from published listings (alias swap, no downtime)."

    def handle(self, *args, **options):
        backend = get_backend()
        total = services.public_listing_count()
        bar = ProgressBar(total, stream=self.stderr._out)
        started = time.perf_counter()
        bar.draw()
        try:
            report = services.reindex_all(progress=bar)
        except SearchError as exc:
            self.stderr.write("")
            raise CommandError(f"搜索索引重建失败 Reindex failed ({backend.name}): {exc}") from exc
        bar.draw(end="\n")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"reindexed {report.indexed} listings into {backend.name} in {elapsed:.1f}s "
            f"({report.deleted} removed while rebuilding, {report.pending} outbox rows pending)"
        )

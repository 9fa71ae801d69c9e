"""Push pending search-outbox rows to the backend (after an outage, or from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from search import services
from search.backends import get_backend


class Command(BaseCommand):
    help = "同步搜索队列 Drain the search outbox into the search backend."

    def add_arguments(self, parser):
        parser.add_argument(
            "--purge-days",
            type=int,
            default=7,
            help="delete rows processed more than this many days ago (default 7)",
        )

    def handle(self, *args, **options):
        backend = get_backend()
        report = services.drain()
        if report.failed:
            raise CommandError(
                f"搜索服务不可用，{report.pending} 条待同步 Search backend {backend.name} unavailable, "
                f"{report.pending} rows still pending: {report.error}"
            )
        purged = services.purge_processed(timedelta(days=max(options["purge_days"], 0)))
        self.stdout.write(
            f"synced: {report.indexed} indexed, {report.deleted} removed, {report.pending} pending, "
            f"{purged} old rows purged ({backend.name})"
        )

"""manage.py import_listings FILE.jsonl [--publish] — see docs/import_listings.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from marketplace.listings.importing import import_listings


class Command(BaseCommand):
    help = ("Import achievements, demands and pilot bases from a JSON Lines file (one object per line). "
            "Idempotent on external_id. With --publish, new listings are written in bulk batches and indexes "
            "after the last line; without it, each listing goes to moderation one by one (much slower: each "
            "starts a workflow).")

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .jsonl file, or - for standard input")
        parser.add_argument("--publish", action="store_true",
                            help="publish at once instead of submitting each listing for moderation")
        parser.add_argument("--user", default="",
                            help="e-mail of the user recorded as the pages' owner and submitter (optional)")

    def handle(self, *args, file: str, publish: bool, user: str, **options):
        actor = None
        if user:
            actor = User.objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"用户不存在 (no such user): {user}")
        if file == "-":
            lines = sys.stdin.buffer.readlines()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"文件不存在 (file not found): {file}")
            with path.open("rb") as handle:
                lines = handle.readlines()
        if not publish and len(lines) > 100:
            self.stderr.write("未使用 --publish：每条信息逐条提交审核（各启动一个审核流程），比 --publish 慢得多。")
        progress = self._progress(len(lines))
        result = import_listings(lines, publish=publish, user=actor, progress=progress)
        if progress:
            self.stderr._out.write("\n")

        for error in result.errors:
            self.stderr.write(str(error))
        action = "已发布 published" if publish else "已提交审核 submitted for moderation"
        self.stdout.write(f"新建 created: {len(result.created)}, 更新 updated: {len(result.updated)} "
                          f"({action}); 失败行 failed lines: {len(result.failed_lines)}")
        if result.failed_lines:
            lines = ", ".join(str(n) for n in result.failed_lines)
            raise CommandError(f"{len(result.failed_lines)} 行导入失败 (lines failed): {lines}")

    def _progress(self, total: int):
        """A progress bar on stderr with a percentage, redrawn in place: only on a terminal (logs and
        pipes stay clean). Lines are counted as they are validated; with --publish each batch is then
        written at once, so the bar moves in steps of a batch's validation and pauses at its write."""
        stream = self.stderr._out
        if not total or not stream.isatty():
            return None
        step = max(1, total // 200)

        def draw(done: int) -> None:
            if done % step == 0 or done == total:
                filled = round(30 * done / total)
                stream.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {100 * done // total:3d}%  {done}/{total}")
                stream.flush()

        return draw

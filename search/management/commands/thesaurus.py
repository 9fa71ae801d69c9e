"""The matching thesaurus as CSV (columns field, term, synonyms, weight; see search/thesaurus.py).

    python manage.py thesaurus import FILE.csv [--replace]
    python manage.py thesaurus export [FILE.csv]        # standard output without FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search import thesaurus


class Command(BaseCommand):
    help = "导入/导出匹配词表 Import or export the matching thesaurus as CSV."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", nargs="?", default="")
        parser.add_argument("--replace", action="store_true", help="delete entries the file does not list")

    def handle(self, *args, action: str, file: str, replace: bool, **options):
        if action == "export":
            text = thesaurus.export_csv()
            if file:
                Path(file).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not file or not Path(file).is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            created, updated = thesaurus.import_csv(Path(file).read_text(encoding="utf-8"), replace=replace)
        except thesaurus.CsvError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errors)} 行有误，未导入任何条目") from exc
        self.stdout.write(f"新建 {created} 条，更新 {updated} 条")

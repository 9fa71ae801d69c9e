"""manage.py import_programs KIND FILE --user EMAIL — load last year's register (CSV or XLSX); see
docs/programs_import.md. All rows or none: any bad row and nothing is written."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from marketplace.programs.services import import_sheet
from marketplace.programs.sheets import SHEETS


class Command(BaseCommand):
    help = "导入储备项目与重大关键技术成果、企业科技特派员、县级技术转移工作站或科技成果评价（CSV/XLSX，整表导入）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SHEETS), help="表格类别")
        parser.add_argument("file", help=".csv 或 .xlsx 文件路径")
        parser.add_argument("--user", required=True, help="记为录入人的科技局工作人员邮箱")

    def handle(self, *args, kind: str, file: str, user: str, **options):
        actor = User.objects.filter(email__iexact=user).first()
        if actor is None:
            raise CommandError(f"用户不存在：{user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            created, errors = import_sheet(user=actor, kind=kind, filename=path.name, content=path.read_bytes())
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("；".join(getattr(error, "messages", [str(error)]))) from None
        for error in errors:
            self.stderr.write(str(error))
        if errors:
            raise CommandError(f"发现{len(errors)}处问题，未导入任何记录。")
        self.stdout.write(f"已导入{created}条记录。")

"""The kinds of spreadsheet the bureau can load (last year's registers), each as columns, parsers and how a
parsed row becomes records. Reading and checking rows is importing.parse_rows; saving, all rows or none, is
services.imports.import_sheet."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Organization, OrganizationKind
from marketplace.agreements.importing import find_organization, parse_county, parse_date, parse_field
from marketplace.listings.models import AchievementPage

from . import importing
from .models import CommissionerAssignment, EvaluationLevel, EvaluationReport, ProjectRecord
from .states import AssignmentStatus, RecordStatus

text = importing._text


def find_user(value) -> object:
    email = text(value)
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise ValidationError(_("未找到邮箱为“%(v)s”的注册用户。") % {"v": email})
    return user


def find_users(value) -> list:
    return [find_user(part) for part in text(value).replace("；", ";").replace(",", ";").split(";") if part.strip()]


def find_achievement(value) -> AchievementPage:
    """By platform page id, by the result's external id, or by its exact title; live results only."""
    key = text(value)
    live = AchievementPage.objects.live()
    found = list(live.filter(models.Q(external_id=key) | models.Q(title=key))[:2])
    if key.isdigit() and not found:
        found = list(live.filter(pk=int(key)))
    if len(found) > 1:
        raise ValidationError(_("有多项名为“%(v)s”的成果，请改填成果编号。") % {"v": key})
    if not found:
        raise ValidationError(_("平台上没有已发布的成果“%(v)s”。") % {"v": key})
    return found[0]


def parse_level(value) -> int:
    return int(importing._choice(value, [(str(v), label) for v, label in EvaluationLevel.choices], _("评价等级")))


@dataclass(frozen=True)
class Sheet:
    key: str
    label: str
    columns: dict[str, tuple[str, tuple[str, ...]]]  # code -> (label, other spellings)
    required: list[str]
    parsers: dict[str, Callable]
    build: Callable[[dict, object], list[models.Model]]  # row data, bureau user -> records, saved in order

    def label_of(self, name: str) -> str:
        """A model field's column label for a row error (the field's own name when it has no column)."""
        if name == "__all__":
            return _("整行")
        return self.columns.get(name, (name,))[0]


def _record(data: dict, user) -> list[models.Model]:
    return [ProjectRecord(**data, status=RecordStatus.APPROVED, proposed_by=user, decided_by=user)]


def _commissioner(data: dict, user) -> list[models.Model]:
    """An approved assignment as last year's register has it (the two sides confirmed on paper)."""
    return [CommissionerAssignment(**data, status=AssignmentStatus.APPROVED, created_by=user, decided_by=user)]


def _station(data: dict, user) -> list[models.Model]:
    staff = data.pop("staff", [])
    org = Organization(**data, kind=OrganizationKind.TRANSFER_STATION, verified=True)
    return [org, *(Membership(user=person, organization=org) for person in staff)]


def _evaluation(data: dict, user) -> list[models.Model]:
    return [EvaluationReport(**data, entered_by=user)]


COUNTY = ("县(市、区)", ("县（市、区）", "县区", "县市区"))
SHEETS = {
    "records": Sheet("records", gettext_lazy("储备项目与重大关键技术成果"), importing.COLUMNS, importing.REQUIRED,
                     importing.PARSERS, _record),
    "commissioners": Sheet(
        "commissioners", gettext_lazy("企业科技特派员"),
        {"commissioner": ("特派员邮箱", ("邮箱", "特派员")), "institution": ("派出单位", ("派出高校院所",)),
         "enterprise": ("服务企业", ("企业",)), "field": ("产业领域", ("领域",)), "county": COUNTY,
         "term_start": ("服务期开始", ("开始日期",)), "term_end": ("服务期结束", ("结束日期",)),
         "approved_on": ("认定日期", ("选派日期",)), "tasks": ("服务内容", ("备注",))},
        ["commissioner", "institution", "enterprise", "field", "county", "term_start", "term_end", "approved_on"],
        {"commissioner": find_user, "institution": lambda v: find_organization(text(v)),
         "enterprise": lambda v: find_organization(text(v)), "field": parse_field, "county": parse_county,
         "term_start": parse_date, "term_end": parse_date, "approved_on": parse_date, "tasks": text},
        _commissioner),
    "stations": Sheet(
        "stations", gettext_lazy("县级技术转移工作站"),
        {"name": ("工作站名称", ("名称",)), "uscc": ("统一社会信用代码", ("信用代码",)), "county": COUNTY,
         "contact_name": ("联系人", ()), "contact_phone": ("联系电话", ("电话",)),
         "staff": ("工作人员邮箱", ("工作人员",))},
        ["name", "uscc", "county"],
        {"name": text, "uscc": lambda v: text(v).upper(), "county": parse_county, "contact_name": text,
         "contact_phone": text, "staff": find_users},
        _station),
    "evaluations": Sheet(
        "evaluations", gettext_lazy("科技成果评价"),
        {"achievement": ("成果", ("成果名称", "成果编号")), "evaluator": ("评价机构", ()),
         "evaluated_on": ("评价日期", ()), "level": ("评价等级", ("等级",)), "report_number": ("报告编号", ())},
        ["achievement", "evaluator", "evaluated_on", "level"],
        {"achievement": find_achievement, "evaluator": text, "evaluated_on": parse_date, "level": parse_level,
         "report_number": text},
        _evaluation),
}

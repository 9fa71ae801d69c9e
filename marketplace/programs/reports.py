"""The bureau's report on the three targets this app feeds: targets (pace, forecast), months and counties,
and the registers. The page and both exports (CSV/XLSX) are built from these same tables, and the target
rows are the dashboard's own (agreements.dashboard.target_row), so none of them can disagree."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from marketplace.agreements.dashboard import TargetRow, target_row
from marketplace.agreements.models import TargetMetric
from marketplace.agreements.reports import Section

from . import selectors
from .models import CommissionerAssignment, ProjectRecord, RecordKind

CODES = [TargetMetric.ENTERPRISE_COMMISSIONERS, TargetMetric.RESERVE_PROJECTS, TargetMetric.KEY_RESULTS]


def counted(code: str, year: int):
    if code == TargetMetric.ENTERPRISE_COMMISSIONERS:
        return selectors.counted_commissioners(year)
    kind = RecordKind.RESERVE if code == TargetMetric.RESERVE_PROJECTS else RecordKind.KEY_RESULT
    return selectors.counted_records(kind, year)


@dataclass
class ProgramReport:
    year: int
    targets: list[TargetRow]
    months: Section
    counties: Section


def program_report(year: int, today: date) -> ProgramReport:
    targets = [target_row(code, year, today) for code in CODES]
    labels = [t.label for t in targets]
    per_month = [selectors.by_month(counted(code, year)) for code in CODES]
    month_rows, running = [], [0] * len(CODES)
    for month in range(1, 13):
        counts = [series[month - 1][1] for series in per_month]
        running = [r + n for r, n in zip(running, counts, strict=True)]
        month_rows.append([f"{year}-{month:02d}", *counts, *running])
    per_county = [selectors.by_county(counted(code, year)) for code in CODES]
    county_rows = [[name, *(series[i][1] for series in per_county)] for i, (name, _n) in enumerate(per_county[0])]
    return ProgramReport(
        year=year,
        targets=targets,
        months=Section(_("%(year)d年月度认定数") % {"year": year},
                       ["月份", *labels, *(_("%(label)s累计") % {"label": label} for label in labels)], month_rows),
        counties=Section(_("%(year)d年按县(市、区)认定数") % {"year": year}, ["县(市、区)", *labels], county_rows),
    )


def target_section(report: ProgramReport) -> Section:
    return Section(
        _("%(year)d年指标完成情况") % {"year": report.year},
        ["指标", "代码", "目标", "实际完成", "应达进度", "年末预测", "月均"],
        [[t.label, t.code, t.target, t.actual, t.pace, t.forecast, t.monthly_rate] for t in report.targets],
    )


def _of_year(year: int) -> Q:
    """Approved in the year, or entered in the year and not approved (yet)."""
    return Q(approved_on__year=year) | Q(approved_on__isnull=True, created_at__year=year)


def commissioner_register(year: int) -> Section:
    qs = (CommissionerAssignment.objects.filter(_of_year(year))
          .select_related("commissioner", "institution", "enterprise", "county", "field").order_by("pk"))
    rows = [[a.pk, str(a.commissioner), a.institution.name, a.enterprise.name, a.county.name, a.field.name,
             a.term_start, a.term_end, a.get_status_display(), a.approved_on,
             "是" if a.approved_on and a.approved_on.year == year else "否"] for a in qs]
    header = ["编号", "特派员", "派出单位", "服务企业", "县(市、区)", "产业领域", "服务期开始", "服务期结束",
              "状态", "认定日期", "计入当年目标"]
    return Section(_("企业科技特派员登记表"), header, rows)


def record_register(year: int) -> Section:
    qs = (ProjectRecord.objects.filter(_of_year(year))
          .select_related("owner", "county", "field").order_by("pk"))
    rows = [[r.pk, r.get_kind_display(), r.title, r.owner.name, r.county.name, r.field.name, r.get_stage_display(),
             r.get_status_display(), r.approved_on, "是" if r.approved_on and r.approved_on.year == year else "否"]
            for r in qs]
    header = ["编号", "类别", "名称", "承担单位", "县(市、区)", "产业领域", "阶段", "状态", "认定日期",
              "计入当年目标"]
    return Section(_("储备项目与重大关键技术成果登记表"), header, rows)


def sections(year: int, today: date) -> list[Section]:
    report = program_report(year, today)
    return [target_section(report), report.months, report.counties, commissioner_register(year),
            record_register(year)]

"""The report tables the exports write (CSV/XLSX): built only from selectors, the same reads the
dashboard shows, so the dashboard and the exports cannot disagree. The bureau's only."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dashboard import Bucket, activity_columns, dashboard
from .models import AgreementChange
from .selectors import agreements_signed_in, agreements_with_parties

COUNTED_NOTE = "仅统计已认定协议"
STATUS_LABELS = {
    "verified": gettext_lazy("已认定（计入目标）"),
    "pending": gettext_lazy("待认定（已录入、待确认、已提交）"),
    "returned": gettext_lazy("已退回补正"),
    "flagged": gettext_lazy("疑似重复待处理"),
    "rejected": gettext_lazy("不予认定"),
}


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list]


# Tables that apps higher up add to the dashboard and to the monthly report (both read the same
# functions, so they cannot disagree). Apps register from their ready(); this app never imports them.
EXTRA_SECTIONS: list[Callable[[int], list[Section]]] = []


def dashboard_section(function: Callable[[int], list[Section]]) -> Callable[[int], list[Section]]:
    if function not in EXTRA_SECTIONS:
        EXTRA_SECTIONS.append(function)
    return function


def extra_sections(year: int) -> list[Section]:
    return [section for function in EXTRA_SECTIONS for section in function(year)]


def monthly_report(year: int, today: date | None = None) -> list[Section]:
    """The monthly report as tables: targets, then months, then the breakdowns."""
    data = dashboard(year, today)
    targets = Section(
        _("%(year)d年指标完成情况") % {"year": year},
        [
            "指标 metric",
            "代码 code",
            "目标 target",
            "实际完成 actual",
            "应达进度 pace",
            "年末预测 forecast",
            "月均 monthly rate",
            "数据状态 status",
        ],
        [
            [
                t.label,
                t.code,
                t.target,
                t.actual if t.available else None,
                t.pace,
                t.forecast,
                t.monthly_rate,
                _("已接入") if t.available else _("数据接入中"),
            ]
            for t in data.targets
        ],
    )
    statuses = Section(
        _("%(year)d年协议认定状态") % {"year": year},
        ["状态", "代码", "协议数"],
        [[str(label), code, data.statuses[code]] for code, label in STATUS_LABELS.items()],
    )
    months = Section(
        _("%(year)d年月度签约（仅统计已认定协议）") % {"year": year},
        [
            "月份 month",
            "协议数 agreements",
            "累计协议数 cumulative",
            "进度线 pace",
            "合同金额（元） amount",
            "累计金额（元） cumulative amount",
        ],
        [
            [f"{year}-{m.month:02d}", m.count, m.cumulative, m.pace, m.amount, m.cumulative_amount]
            for m in data.months
        ],
    )

    def breakdown(title: str, first: str, buckets: list[Bucket]) -> Section:
        return Section(
            title,
            [first, "协议数 agreements", "合同金额（元） amount"],
            [[b.label, b.count, b.amount] for b in buckets],
        )

    return [
        targets,
        statuses,
        months,
        breakdown(_("按县(市、区)（仅统计已认定协议）"), "县(市、区) county", data.counties),
        breakdown(_("按协议类型（仅统计已认定协议）"), "协议类型 type", data.types),
        breakdown(_("按产业领域（仅统计已认定协议）"), "产业领域 field", data.fields),
        *target_breakdown_sections(data),
        *extra_sections(year),
    ]


def target_breakdown_sections(data) -> list[Section]:
    """Every target by month and by county, and each county's activity: the dashboard's own tables."""
    labels = [b.label for b in data.breakdowns]
    months = Section(_("%(year)d年各项指标按月完成数") % {"year": data.year}, ["月份", *labels],
                     [[f"{data.year}-{m:02d}", *(b.months[m - 1] for b in data.breakdowns)] for m in range(1, 13)])
    county_rows = [[name, *(b.counties[i] for b in data.breakdowns)] for i, name in enumerate(data.county_names)]
    county_rows.append(["未填写县区", *(b.no_county for b in data.breakdowns)])
    counties = Section(_("%(year)d年各项指标按县(市、区)完成数") % {"year": data.year}, ["县(市、区)", *labels],
                       county_rows)
    activity = Section(_("%(year)d年各县(市、区)技术转移工作情况") % {"year": data.year},
                       ["县(市、区)", *(label for _key, label in activity_columns())],
                       [[row.name, *row.counts] for row in data.activity])
    return [months, counties, activity]


def agreement_register(year: int | None = None) -> Section:
    """Every agreement (of a year, if given), with the same columns the importer reads."""
    from .importing import COLUMN_BY_CODE as C

    qs = agreements_with_parties(agreements_signed_in(year) if year else None).order_by("signed_on", "pk")
    header = [
        "编号 id",
        C["title"].label,
        C["agreement_type"].label,
        C["amount"].label,
        C["signed_on"].label,
        C["county"].label,
        C["field"].label,
        C["enterprises"].label,
        C["academics"].label,
        C["others"].label,
        C["registration_number"].label,
        C["registered_amount"].label,
        "来源 source",
        "来源商机 deal",
        "认定状态",
        "计入目标",
        "重复核查",
        "登记机构",
    ]
    rows = []
    for a in qs:
        rows.append(
            [
                a.pk,
                a.title,
                a.get_agreement_type_display(),
                a.amount,
                a.signed_on,
                a.county.name,
                a.field.name,
                "；".join(o.name for o in a.enterprises),
                "；".join(o.name for o in a.academics),
                "；".join(o.name for o in a.others),
                a.registration_number or "",
                a.registered_amount,
                a.get_source_display(),
                a.deal_id or "",
                a.get_status_display(),
                "是" if a.counts else "否",
                a.get_duplicate_state_display() if a.duplicate_state else "",
                a.registration_office,
            ]
        )
    title = _("产学研合作协议登记表")
    return Section(f"{title} {year}" if year else title, header, rows)


def audit_section(year: int | None = None) -> Section:
    """Every change to the register's agreements, oldest first: who, when, what, old -> new."""
    from django.utils import timezone

    qs = AgreementChange.objects.select_related("changed_by").order_by("agreement_id", "changed_at", "pk")
    if year:
        qs = qs.filter(agreement__signed_on__year=year)
    rows = [
        [c.agreement_id, timezone.localtime(c.changed_at).strftime("%Y-%m-%d %H:%M:%S"),
         str(c.changed_by) if c.changed_by else "系统", c.get_kind_display(), c.field_name, c.old_value,
         c.new_value, c.note]
        for c in qs
    ]
    return Section(_("协议变更记录"), ["协议编号", "时间", "操作人", "类别", "字段", "原值", "新值", "说明"], rows)

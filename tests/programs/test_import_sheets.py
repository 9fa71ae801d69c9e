"""Bulk import of commissioners, stations and evaluations (records: test_import.py): all rows or none,
problems by row and column in Chinese, through the upload page and the management command; the sample files
under docs/samples load."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from accounts.models import Organization, OrganizationKind
from marketplace.agreements import metrics
from marketplace.listings.models import AchievementPage
from marketplace.programs.models import CommissionerAssignment, EvaluationReport, ProjectRecord
from marketplace.programs.services import import_sheet
from marketplace.programs.states import AssignmentStatus
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, make_user

from .builders import cast, verified

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(errors) -> list[str]:
    return [str(e) for e in errors]


def test_commissioners_all_rows_or_none_then_counted_in_the_sheets_year():
    c = cast()
    header = "特派员邮箱,派出单位,服务企业,产业领域,县(市、区),服务期开始,服务期结束,认定日期,服务内容"
    good = (f"{c.commissioner.email},{c.institution.name},{c.enterprise.uscc},aluminium,博兴县,"
            "2022-03-01,2023-02-28,2022-03-15,压铸工艺")
    created, errors = import_sheet(user=c.bureau, kind="commissioners", filename="a.csv", content=csv_bytes(
        header, good,
        f"nobody@example.cn,{c.institution.name},{c.enterprise.name},aluminium,博兴县,2022-01-01,2022-12-31,"
        "2022-13-01,",
        # a member of the enterprise, not of the institution: the record's own rule
        f"{c.enterprise_member.email},{c.institution.name},{c.enterprise.name},aluminium,博兴县,2022-01-01,"
        "2022-12-31,2022-02-01,"))
    assert created == 0
    assert messages(errors) == [
        "第3行 特派员邮箱：未找到邮箱为“nobody@example.cn”的注册用户。",
        "第3行 认定日期：“2022-13-01”不是有效日期，请用 2023-05-18 格式。",
        "第4行 特派员邮箱：特派员须为派出单位的成员。",
    ]
    assert CommissionerAssignment.objects.count() == 0

    created, errors = import_sheet(user=c.bureau, kind="commissioners", filename="a.csv",
                                   content=csv_bytes(header, good))
    assert (created, errors) == (1, [])
    assignment = CommissionerAssignment.objects.get()
    assert (assignment.status, assignment.approved_on) == (AssignmentStatus.APPROVED, date(2022, 3, 15))
    assert metrics.compute("enterprise_commissioners", 2022).value == 1
    # Loading the same sheet again would send the same person twice in one term: refused, nothing added.
    created, errors = import_sheet(user=c.bureau, kind="commissioners", filename="a.csv",
                                   content=csv_bytes(header, good))
    assert created == 0 and messages(errors) == ["第2行 服务期开始：该特派员在此服务期内已派驻该企业。"]


def test_stations_from_xlsx_through_the_page_and_their_staff_see_their_county(site):
    bureau, staff = make_user("bureau"), make_user("enterprise")
    client = Client()
    client.force_login(bureau)
    header = ["工作站名称", "统一社会信用代码", "县(市、区)", "联系人", "联系电话", "工作人员邮箱"]
    rows = [header, ["博兴县技术转移工作站", "52371600000900001B", "博兴县", "李静", "0543-2300001", staff.email],
            ["火星区技术转移工作站", "52371600000900002E", "火星区", "", "", ""],
            ["沾化区技术转移工作站", "52371600000900001X", "沾化区", "", "", ""]]
    response = client.post("/programs/records/import/", {
        "kind": "stations", "file": SimpleUploadedFile("stations.xlsx", xlsx_bytes(rows))})
    assert response.status_code == 400
    page = response.content.decode()
    # Row 3 cannot be read (no such county); row 4 reads but breaks the organization's rule (check digit).
    assert "第3行 县(市、区)" in page and "第4行 统一社会信用代码" in page
    assert not Organization.objects.filter(kind=OrganizationKind.TRANSFER_STATION).exists()

    response = client.post("/programs/records/import/", {
        "kind": "stations", "file": SimpleUploadedFile("stations.xlsx", xlsx_bytes(rows[:2]))})
    assert response.status_code == 302
    station = Organization.objects.get(kind=OrganizationKind.TRANSFER_STATION)
    assert (station.verified, station.county.name, list(station.memberships.values_list("user", flat=True))) == (
        True, "博兴县", [staff.pk])
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get("/programs/county/boxing/").status_code == 200

    # The same USCC again: refused by the organization's own rule, by row and column.
    created, errors = import_sheet(user=bureau, kind="stations", filename="s.xlsx", content=xlsx_bytes(rows[:2]))
    assert created == 0 and messages(errors) == [
        "第2行 统一社会信用代码：该统一社会信用代码已注册。"]


def test_evaluations_by_title_with_level_labels(site):
    bureau = make_user("bureau")
    org = verified("university")
    page = publish_listing(AchievementPage, achievement_data(org, title="铝合金成果"))
    header = "成果,评价机构,评价日期,评价等级,报告编号"
    created, errors = import_sheet(user=bureau, kind="evaluations", filename="e.csv", content=csv_bytes(
        header, "铝合金成果,山东省科技成果评价中心,2022-06-20,国际先进,A-1",
        "不存在的成果,某中心,2022-06-20,世界一流,"))
    assert created == 0 and messages(errors) == [
        "第3行 成果：平台上没有已发布的成果“不存在的成果”。",
        "第3行 评价等级：未知的评价等级“世界一流”，可选：国际领先、国际先进、国内领先、国内先进。",
    ]
    created, errors = import_sheet(user=bureau, kind="evaluations", filename="e.csv", content=csv_bytes(
        header, f"{page.pk},山东省科技成果评价中心,2022-06-20,国际先进,A-1"))
    assert (created, errors) == (1, [])
    assert EvaluationReport.objects.get().level == 2


def test_the_command_loads_every_sample_file_and_only_for_bureau_staff(site, capsys):
    """The samples under docs/samples name these organizations and people; with them registered, each loads."""
    bureau = make_user("bureau")
    zhang = make_user("university", email="zhang.wei@bzu.example.cn")
    make_user("enterprise", email="li.jing@boxing.example.cn")
    enterprise = verified("enterprise", name="滨州轻量化汽车部件有限公司")
    institution = verified("university", [zhang], name="滨州学院")
    publish_listing(AchievementPage, achievement_data(institution, title="高强韧铝合金轻量化车身结构件制备技术"))
    assert enterprise.pk

    with pytest.raises(CommandError, match="只有科技局工作人员可以批量导入"):
        call_command("import_programs", "records", str(SAMPLES / "programs_records.csv"), user=zhang.email)
    for kind, expected in (("records", 2), ("commissioners", 1), ("stations", 2), ("evaluations", 1)):
        call_command("import_programs", kind, str(SAMPLES / f"programs_{kind}.csv"), user=bureau.email)
        assert capsys.readouterr().out.strip() == f"已导入{expected}条记录。"
    assert ProjectRecord.objects.count() == 2 and CommissionerAssignment.objects.count() == 1
    assert Organization.objects.filter(kind=OrganizationKind.TRANSFER_STATION).count() == 2
    with pytest.raises(CommandError, match="发现1处问题"):  # the evaluation is already there
        call_command("import_programs", "evaluations", str(SAMPLES / "programs_evaluations.csv"), user=bureau.email)

"""Bulk import of last year's reserve projects and key results: all rows or none, every problem named by
row and column in Chinese, and the imported records count in the year of their approval date."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from marketplace.agreements import metrics
from marketplace.programs.models import ProjectRecord
from marketplace.programs.states import RecordStatus

from .builders import cast

pytestmark = pytest.mark.django_db
HEADER = "类别,名称,承担单位,产业领域,县(市、区),阶段,认定日期,简介"


def upload(c, name: str, content: bytes):
    client = Client()
    client.force_login(c.bureau)
    return client.post("/programs/records/import/", {"file": SimpleUploadedFile(name, content)})


def good_rows(c) -> list[str]:
    return [
        f"储备项目,铝基复合材料中试,{c.enterprise.name},aluminium,邹平市,中试,2022-03-01,",
        f"储备项目,高端轴承钢研发,{c.enterprise.uscc},aluminium,滨城区,研发,2022年11月30日,重点储备",
        f"重大关键技术成果,一体化压铸装备,{c.institution.name},aluminium,无棣县,推广应用,2022/06/15,",
    ]


def test_a_sheet_with_any_bad_row_imports_nothing_and_names_each_problem():
    c = cast()
    rows = [*good_rows(c),
            "储备项目,,不存在的单位,aluminium,滨城区,中试,2022-01-01,",
            f"科研项目,某项目,{c.enterprise.name},aluminium,火星区,试产,2022-13-01,"]
    response = upload(c, "records.csv", "\n".join([HEADER, *rows]).encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "第5行 名称：必填" in page
    assert "第5行 承担单位" in page
    for problem in ("第6行 类别：未知的类别“科研项目”", "第6行 县(市、区)", "第6行 阶段：未知的阶段“试产”",
                    "第6行 认定日期"):
        assert problem in page, problem
    assert not ProjectRecord.objects.exists()


def test_a_clean_sheet_imports_every_row_as_approved_on_its_date():
    c = cast()
    response = upload(c, "records.csv", "\n".join([HEADER, *good_rows(c), ",,,,,,,"]).encode("gb18030"))
    assert response.status_code == 302
    records = list(ProjectRecord.objects.order_by("approved_on"))
    assert [(r.title, r.approved_on, r.status) for r in records] == [
        ("铝基复合材料中试", date(2022, 3, 1), RecordStatus.APPROVED),
        ("一体化压铸装备", date(2022, 6, 15), RecordStatus.APPROVED),
        ("高端轴承钢研发", date(2022, 11, 30), RecordStatus.APPROVED),
    ]
    assert metrics.compute("reserve_projects", 2022).value == 2
    assert metrics.compute("key_results", 2022).value == 1
    assert metrics.compute("reserve_projects", 2023).value == 0


def test_xlsx_works_too_and_only_bureau_staff_may_import():
    c = cast()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["重大关键技术成果", "盐碱地改良技术", c.institution.name, "aluminium", "沾化区", "产业化",
                  date(2022, 9, 9), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(c, "records.xlsx", buffer.getvalue()).status_code == 302
    assert ProjectRecord.objects.get().approved_on == date(2022, 9, 9)
    for user in (c.enterprise_member, c.academic_member, c.outsider):
        client = Client()
        client.force_login(user)
        assert client.get("/programs/records/import/").status_code == 403
    assert "/accounts/login/" in Client().get("/programs/records/import/")["Location"]
    bad = upload(c, "records.txt", b"x")
    assert bad.status_code == 200 and "仅支持" in bad.content.decode()

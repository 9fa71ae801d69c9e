"""Bulk import from CSV and XLSX: good rows import, each bad row is reported by row and column and
saves nothing, and the other rows are not affected."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from marketplace.agreements import importing
from marketplace.agreements.models import Agreement, AgreementParty, AgreementSource
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

HEADER = [
    "协议名称",
    "协议类型",
    "合同金额",
    "签订日期",
    "县(市、区)",
    "产业领域",
    "企业方",
    "高校院所方",
    "技术合同登记号",
    "登记金额",
]


@pytest.fixture
def orgs():
    return {
        "ent": make_org("enterprise", name="滨州魏桥铝深加工有限公司"),
        "ent2": make_org("enterprise", name="山东渤海湾生物科技有限公司"),
        "uni": make_org("university", name="滨州学院"),
        "inst": make_org("institute", name="中国科学院海洋研究所"),
    }


def _rows(orgs) -> list[list]:
    """Row numbers as the spreadsheet shows them: the header is row 1."""
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    return [
        HEADER,
        # row 2: good
        [
            "铝合金压铸工艺开发",
            "技术开发",
            "500000",
            "2023-03-15",
            "滨城区",
            "铝基轻量化",
            "滨州魏桥铝深加工有限公司",
            "滨州学院",
            "2023371600000101",
            "480000",
        ],
        # row 3: negative amount
        [
            "海水淡化膜转让",
            "技术转让",
            "-100",
            "2023-04-01",
            "沾化区",
            "海洋",
            "山东渤海湾生物科技有限公司",
            "中国科学院海洋研究所",
            "",
            "",
        ],
        # row 4: the "enterprise" is a university
        [
            "功能纤维许可",
            "技术许可",
            "80000",
            "2023-05-20",
            "博兴县",
            "纺织",
            "滨州学院",
            "中国科学院海洋研究所",
            "",
            "",
        ],
        # row 5: good, two academic parties, Chinese date, zero amount
        [
            "良种繁育合作",
            "合作协议",
            "0",
            "2023年6月8日",
            "惠民县",
            "农业良种与种业",
            orgs["ent2"].uscc,
            "滨州学院；中国科学院海洋研究所",
            "",
            "",
        ],
        # row 6: registration number already used by row 2
        [
            "铝型材服务",
            "技术服务",
            "20000",
            "2023-07-01",
            "邹平市",
            "铝基轻量化",
            "滨州魏桥铝深加工有限公司",
            "滨州学院",
            "2023371600000101",
            "20000",
        ],
        # row 7: signing date in the future
        [
            "智慧化工咨询",
            "技术咨询",
            "30000",
            future,
            "滨州高新区",
            "智慧化工",
            "滨州魏桥铝深加工有限公司",
            "滨州学院",
            "",
            "",
        ],
        # row 8: blank line (skipped, not an error)
        ["", "", "", "", "", "", "", "", "", ""],
        # row 9: several problems at once, and an unknown organization
        ["", "技术买卖", "abc", "2023-13-01", "火星县", "铝基轻量化", "不存在的公司", "滨州学院", "", ""],
    ]


def _csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _by_row(result) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for error in result.errors:
        found.setdefault(error.row, {})[error.field] = error.message
    return found


def _assert_expected_outcome(result, orgs):
    assert result.rows_read == 7  # the blank row is not a row
    assert sorted(a.title for a in result.created) == ["良种繁育合作", "铝合金压铸工艺开发"]
    errors = _by_row(result)
    assert sorted(errors) == [3, 4, 6, 7, 9]
    assert "负数" in errors[3]["合同金额（元） amount"]
    assert "不是企业" in errors[4]["企业方 enterprises"]
    assert "已被使用" in errors[6]["技术合同登记号 registration number"]
    assert "签订日期 signed on" in errors[7]
    assert set(errors[9]) >= {
        "协议名称 title",
        "协议类型 type",
        "合同金额（元） amount",
        "签订日期 signed on",
        "县(市、区) county",
        "企业方 enterprises",
    }
    assert "不存在的公司" in errors[9]["企业方 enterprises"]
    # Every message names its row and column when shown.
    assert str(result.errors[0]).startswith(f"第{result.errors[0].row}行")

    # Nothing of a bad row is saved: only the two good agreements and their own parties exist.
    assert Agreement.objects.count() == 2
    first = Agreement.objects.get(title="铝合金压铸工艺开发")
    assert (first.amount, first.signed_on, first.registration_number, first.registered_amount) == (
        Decimal("500000.00"),
        date(2023, 3, 15),
        "2023371600000101",
        Decimal("480000.00"),
    )
    assert first.source == AgreementSource.IMPORT
    second = Agreement.objects.get(title="良种繁育合作")
    assert second.signed_on == date(2023, 6, 8) and second.amount == Decimal("0.00")
    assert set(second.academics) == {orgs["uni"], orgs["inst"]} and second.enterprises == [orgs["ent2"]]
    assert AgreementParty.objects.count() == 5


def test_csv_import_reports_bad_rows_and_keeps_the_good_ones(orgs):
    content = _csv_bytes(_rows(orgs))
    result = importing.import_agreements(user=make_user("bureau"), filename="register.csv", content=content)
    _assert_expected_outcome(result, orgs)


def test_xlsx_import_reports_bad_rows_and_keeps_the_good_ones(orgs):
    rows = _rows(orgs)
    # Excel cells carry real numbers and dates, not only text.
    rows[1][2], rows[1][3], rows[1][9] = 500000, date(2023, 3, 15), 480000.0
    content = _xlsx_bytes(rows)
    result = importing.import_agreements(
        user=make_user("organizer"), filename="register.xlsx", content=content
    )
    _assert_expected_outcome(result, orgs)


def test_a_gbk_csv_from_chinese_excel_imports(orgs):
    rows = _rows(orgs)[:2]
    result = importing.import_agreements(
        user=make_user("bureau"), filename="登记表.csv", content=_csv_bytes(rows, encoding="gb18030")
    )
    assert [a.title for a in result.created] == ["铝合金压铸工艺开发"] and not result.errors


def test_a_file_without_the_required_columns_is_refused_whole(orgs):
    content = _csv_bytes([["协议名称", "金额"], ["x", "1"]])
    with pytest.raises(ValidationError) as error:
        importing.import_agreements(user=make_user("bureau"), filename="a.csv", content=content)
    assert "第1行" in " ".join(error.value.messages) and "协议类型" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        importing.import_agreements(user=make_user("bureau"), filename="a.xlsx", content=b"not a workbook")
    assert not Agreement.objects.exists()


def test_the_import_page_shows_each_error_with_row_and_column(client, orgs, django_capture_on_commit_callbacks,
                                                              settings, tmp_path):
    """The upload becomes a job (run in-process here, no broker); its report page lists each bad line."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(make_user("bureau"))
    upload = SimpleUploadedFile("register.csv", _csv_bytes(_rows(orgs)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 302 and "/import/jobs/" in response["Location"]
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "已导入 2 行" in page and "5 行有错误未导入" in page
    assert "<td>3</td><td>合同金额（元） amount</td>" in page
    assert Agreement.objects.count() == 2


def test_the_import_page_refuses_other_file_types(client):
    client.force_login(make_user("bureau"))
    upload = SimpleUploadedFile("register.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 400 and ".xlsx" in response.content.decode()


def test_imported_rows_enter_verification_as_recorded_and_a_repeat_is_flagged(orgs):
    """An import is a register of claims, not of verified agreements: every row starts as "recorded" (no
    status column is read), counts toward nothing, and a row repeating an existing agreement is flagged."""
    from marketplace.agreements import metrics

    row = ["铝合金压铸工艺开发", "技术开发", "500000", "2023-03-15", "滨城区", "铝基轻量化",
           "滨州魏桥铝深加工有限公司", "滨州学院", "", ""]
    user = make_user("bureau")
    importing.import_agreements(user=user, filename="a.csv", content=_csv_bytes([HEADER, row]))
    retyped = ["铝合金压铸工艺开发合同", *row[1:]]  # the same agreement, its title typed differently
    again = importing.import_agreements(user=user, filename="b.csv", content=_csv_bytes([HEADER, retyped]))
    first, second = Agreement.objects.order_by("pk")
    assert again.created == [second]
    assert (first.status, first.duplicate_state) == ("recorded", "")
    assert (second.status, second.duplicate_state, second.duplicate_of) == ("recorded", "flagged", first)
    assert metrics.compute("agreements_signed", 2023).value == 0

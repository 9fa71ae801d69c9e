"""The targets dashboard (bureau only), its exports, and the home-page counter. The dashboard and the
exports must show the same numbers."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.agreements.builders import agreement
from tests.factories import county, field, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau_client(client):
    client.force_login(make_user("bureau"))
    return client


@pytest.fixture
def agreements_2023():
    e1, e2 = make_org("enterprise"), make_org("enterprise", name='=HYPERLINK("http://x")有限公司')
    u1, i1 = make_org("university", name="滨州学院"), make_org("institute", name="山东省科学院")
    agreement(
        signed_on=date(2023, 1, 10),
        enterprise=e1,
        academic=u1,
        amount=Decimal("100000"),
        county=county("bincheng"),
        field=field("aluminium"),
        agreement_type="development",
        registration_number="2023371600000007",
        registered_amount=Decimal("90000"),
    )
    agreement(
        signed_on=date(2023, 2, 25),
        enterprise=e2,
        academic=u1,
        amount=Decimal("50000.50"),
        county=county("zhanhua"),
        field=field("marine"),
        agreement_type="transfer",
        title="=1+1 危险标题",
    )
    agreement(
        signed_on=date(2023, 2, 26),
        enterprise=e1,
        academic=i1,
        amount=Decimal("0"),
        county=county("bincheng"),
        field=field("aluminium"),
        agreement_type="cooperation",
    )
    agreement(signed_on=date(2022, 6, 1), enterprise=e1, academic=i1, county=county("wudi"))
    # 2023 agreements that do not count, one in each other place: worked out by hand, the year has
    # verified 3, pending 1, returned 1, flagged 1, rejected 1.
    agreement(signed_on=date(2023, 3, 5), enterprise=e2, academic=i1, amount=Decimal("70000"),
              status="awaiting_confirmation", title="海水淡化膜组件技术服务合同")
    agreement(signed_on=date(2023, 4, 1), enterprise=e2, academic=i1, amount=Decimal("80000"),
              status="returned", title="盐碱地改良技术咨询合同")
    agreement(signed_on=date(2023, 5, 1), enterprise=e1, academic=u1, amount=Decimal("90000"),
              status="rejected", title="铝灰资源化利用合作协议")
    # The first agreement again, titled "协议" instead of "合同": flagged, never counted.
    agreement(signed_on=date(2023, 1, 10), enterprise=e1, academic=u1, amount=Decimal("100000"),
              status="recorded", title="铝合金电池托盘轻量化技术开发协议")


def test_the_dashboard_is_for_bureau_staff_only(client):
    assert client.get("/dashboard/").status_code == 302  # anonymous: to the login page
    for role in ("enterprise", "agent", "organizer", "university"):
        client.force_login(make_user(role))
        assert client.get("/dashboard/").status_code == 403
        assert client.get("/dashboard/export/monthly.csv").status_code == 403
        assert client.get("/dashboard/export/agreements.xlsx").status_code == 403
    client.force_login(make_user("bureau"))
    assert client.get("/dashboard/").status_code == 200


def test_a_bad_year_is_a_400_with_a_reason(bureau_client):
    for bad in ("abc", "1999", "20231"):
        response = bureau_client.get("/dashboard/", {"year": bad})
        assert response.status_code == 400 and "年份" in response.content.decode()
    assert bureau_client.get("/dashboard/export/monthly.pdf").status_code == 404


def test_the_dashboard_shows_each_target_with_pace_forecast_and_pending_sources(
    bureau_client, agreements_2023
):
    response = bureau_client.get("/dashboard/", {"year": 2023})
    page = response.content.decode()
    assert re.search(r'data-metric="agreements_signed" data-actual="3" data-target="500"', page)
    assert re.search(r'data-metric="universities_engaged" data-actual="2" data-target="10"', page)
    assert re.search(r'data-metric="high_end_events" data-actual="0" data-target="2"', page)
    assert re.search(r'data-metric="challenge_subsidies" data-actual="0" data-target="10"', page)
    assert "数据接入中" not in page  # every target is computed from records
    assert '<option value="2023" selected>' in page
    # Charts are inline SVG drawn on the server.
    assert page.count("<svg viewBox=") == 4
    assert re.search(r'data-chart="county".*?data-key="bincheng" data-value="2"', page, re.S)
    assert re.search(r'<circle class="dot"[^>]*data-month="2" data-value="3"', page)
    assert 'class="line-pace"' in page


def _csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    text = content.decode("utf-8-sig")
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if row[0].startswith("# "):
            current = row[0][2:]
            sections[current] = []
        else:
            sections[current].append(row)
    return sections


def _xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_dashboard_and_exports_agree(bureau_client, agreements_2023):
    data = bureau_client.get("/dashboard/", {"year": 2023}).context["data"]
    monthly_csv = _csv_sections(bureau_client.get("/dashboard/export/monthly.csv", {"year": 2023}).content)
    monthly_xlsx = _xlsx_sheets(bureau_client.get("/dashboard/export/monthly.xlsx", {"year": 2023}).content)
    # The agreements' own six tables come first; every target's month and county tables (tests/programs) and
    # the tables other apps register (pilot runs, the inquiry funnel) follow them.
    csv_targets, csv_status, csv_months, csv_county, csv_type, csv_field = list(monthly_csv.values())[:6]
    xlsx_targets, xlsx_status, xlsx_months, xlsx_county, xlsx_type, xlsx_field = list(monthly_xlsx.values())[:6]
    # Every agreement breakdown says which set it counts.
    for title in [*list(monthly_csv)[2:6], *list(monthly_xlsx)[2:6]]:
        assert "已认定" in title, title

    # Where the year's agreements stand: the same on the page and in both exports, as worked out above.
    expected = {"verified": 3, "pending": 1, "returned": 1, "flagged": 1, "rejected": 1}
    assert data.statuses == expected
    assert {r[1]: int(r[2]) for r in csv_status[1:]} == expected
    assert {r[1]: r[2] for r in xlsx_status[1:]} == expected
    page = bureau_client.get("/dashboard/", {"year": 2023}).content.decode()
    for code, n in expected.items():
        assert f'data-status-count="{code}" data-count="{n}"' in page

    # Targets: same actuals (blank where the source is pending), targets, pace and forecast.
    for t, c, x in zip(data.targets, csv_targets[1:], xlsx_targets[1:], strict=True):
        assert c[1] == x[1] == t.code
        assert c[2] == str(t.target) and x[2] == t.target
        assert c[3] == (str(t.actual) if t.available else "") and x[3] == (t.actual if t.available else None)
        assert c[4] == ("" if t.pace is None else str(t.pace)) and x[4] == t.pace
        assert c[5] == ("" if t.forecast is None else str(t.forecast)) and x[5] == t.forecast
    assert [t.actual for t in data.targets if t.code == "agreements_signed"] == [3]

    # Months: counts, cumulative and amounts.
    assert (
        [int(r[1]) for r in csv_months[1:]]
        == [m.count for m in data.months]
        == [r[1] for r in xlsx_months[1:]]
    )
    assert (
        [int(r[2]) for r in csv_months[1:]]
        == [m.cumulative for m in data.months]
        == [r[2] for r in xlsx_months[1:]]
    )
    assert [Decimal(r[4]) for r in csv_months[1:]] == [m.amount for m in data.months]
    assert [Decimal(str(r[4])) for r in xlsx_months[1:]] == [m.amount for m in data.months]
    assert [m.count for m in data.months][:3] == [1, 2, 0]

    # Breakdowns.
    for buckets, csv_rows, xlsx_rows in (
        (data.counties, csv_county, xlsx_county),
        (data.types, csv_type, xlsx_type),
        (data.fields, csv_field, xlsx_field),
    ):
        assert [(b.label, b.count) for b in buckets] == [(r[0], int(r[1])) for r in csv_rows[1:]]
        assert [(b.label, b.count) for b in buckets] == [(r[0], r[1]) for r in xlsx_rows[1:]]
    assert sum(b.count for b in data.counties) == 3

    # The register has one row per agreement of the year (7); the counted rows are the dashboard's
    # count and amount.
    register_csv = next(iter(_csv_sections(
        bureau_client.get("/dashboard/export/agreements.csv", {"year": 2023}).content).values()))
    register_xlsx = next(iter(_xlsx_sheets(
        bureau_client.get("/dashboard/export/agreements.xlsx", {"year": 2023}).content).values()))
    counts_col = register_csv[0].index("计入目标")
    assert len(register_csv) - 1 == len(register_xlsx) - 1 == 7
    counted_csv = [r for r in register_csv[1:] if r[counts_col] == "是"]
    counted_xlsx = [r for r in register_xlsx[1:] if r[counts_col] == "是"]
    assert len(counted_csv) == len(counted_xlsx) == data.agreements.actual == 3
    assert sum(Decimal(r[3]) for r in counted_csv) == data.total_amount == Decimal("150000.50")
    assert sum(Decimal(str(r[3])) for r in counted_xlsx) == data.total_amount


def test_exports_keep_user_text_from_becoming_a_formula(bureau_client, agreements_2023):
    register = bureau_client.get("/dashboard/export/agreements.csv", {"year": 2023}).content.decode(
        "utf-8-sig"
    )
    assert "'=1+1 危险标题" in register and "'=HYPERLINK" in register
    sheet = next(iter(_xlsx_sheets(bureau_client.get("/dashboard/export/agreements.xlsx").content).values()))
    titles = [row[1] for row in sheet[1:]]
    assert "'=1+1 危险标题" in titles
    assert len(sheet) - 1 == 8  # without ?year= the register has every agreement


def test_the_home_counter_shows_this_years_verified_agreements_against_500(client, site):
    today = timezone.localdate()
    e, u = make_org("enterprise"), make_org("university")
    agreement(signed_on=today, enterprise=e, academic=u)
    agreement(signed_on=today, enterprise=e, academic=u, title="耐盐小麦新品种选育技术服务合同")
    agreement(signed_on=today, enterprise=e, academic=u, title="冬枣保鲜技术咨询合同", status="submitted")
    agreement(signed_on=date(today.year - 1, 12, 31), enterprise=e, academic=u)
    page = client.get("/").content.decode()
    assert re.search(r'data-testid="agreements-counter" data-count="2" data-target="500"', page)
    assert 'role="progressbar"' in page and 'aria-valuenow="2"' in page

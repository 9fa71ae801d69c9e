"""The three work-plan targets this app feeds (100 commissioners, 100 reserve projects, 5 major key results
in 2023) are computed from approved records: pace and forecast worked out by hand, county and month, and the
dashboard, this app's report and its exports all say the same."""

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from marketplace.agreements import dashboard, metrics

pytestmark = pytest.mark.django_db
CODES = ["enterprise_commissioners", "reserve_projects", "key_results"]


def bureau_client(c) -> Client:
    client = Client()
    client.force_login(c.bureau)
    return client


def test_the_three_targets_count_records_approved_in_the_year(year_2023):
    assert [metrics.compute(code, 2023) for code in CODES] == [
        metrics.MetricValue("enterprise_commissioners", 3, True),
        metrics.MetricValue("reserve_projects", 2, True),
        metrics.MetricValue("key_results", 1, True),
    ]
    assert metrics.compute("enterprise_commissioners", 2022).value == 1
    assert metrics.compute("enterprise_commissioners", 2024).value == 1


def test_pace_and_forecast_mid_year_by_hand(year_2023):
    today = date(2023, 7, 1)  # day 182 of 365
    rows = {code: dashboard.target_row(code, 2023, today) for code in CODES}
    # targets 100 / 100 / 5: pace 100*182/365 = 49.9 -> 50, 5*182/365 = 2.49 -> 2
    assert [rows[c].pace for c in CODES] == [50, 50, 2]
    # forecast 3*365/182 = 6.02 -> 6, 2*365/182 = 4.01 -> 4, 1*365/182 = 2.005 -> 2
    assert [rows[c].forecast for c in CODES] == [6, 4, 2]
    assert [rows[c].on_track for c in CODES] == [False, False, False]


def _csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if row and row[0].startswith("# "):
            current = sections.setdefault(row[0][2:], [])
        elif row:
            current.append(row)
    return sections


def test_dashboard_report_and_exports_agree(year_2023):
    client = bureau_client(year_2023)
    dashboard = client.get("/dashboard/", {"year": 2023})
    page = dashboard.content.decode()
    assert "数据接入中" not in page
    for code, actual, target in (("enterprise_commissioners", 3, 100), ("reserve_projects", 2, 100),
                                 ("key_results", 1, 5)):
        assert re.search(rf'data-metric="{code}" data-actual="{actual}" data-target="{target}"', page)
    on_dashboard = {t.code: t for t in dashboard.context["data"].targets}

    report = client.get("/programs/report/", {"year": 2023})
    assert report.status_code == 200
    data = report.context["report"]
    for t in data.targets:
        mine = on_dashboard[t.code]
        assert (t.actual, t.target, t.pace, t.forecast) == (mine.actual, mine.target, mine.pace, mine.forecast)
    # 2023 is over: pace is the whole target, forecast the result.
    assert [(t.actual, t.pace, t.forecast) for t in data.targets] == [(3, 100, 3), (2, 100, 2), (1, 5, 1)]

    # Months: Jan 1 commissioner; Feb 1 reserve; Mar 2 commissioners + 1 reserve; Jun 1 key result.
    months = {row[0]: row[1:4] for row in data.months.rows}
    assert months["2023-01"] == [1, 0, 0] and months["2023-02"] == [0, 1, 0]
    assert months["2023-03"] == [2, 1, 0] and months["2023-06"] == [0, 0, 1]
    assert data.months.rows[-1][4:] == [3, 2, 1]  # cumulative at December == the targets' actuals
    counties = {row[0]: row[1:] for row in data.counties.rows}
    assert counties["滨城区"] == [1, 1, 0] and counties["博兴县"] == [2, 0, 0]
    assert counties["邹平市"] == [0, 1, 0] and counties["无棣县"] == [0, 0, 1]
    assert sum(1 for row in data.counties.rows if any(row[1:])) == 4

    exported = list(_csv_sections(client.get("/programs/report.csv", {"year": 2023}).content).values())
    targets, months_csv, counties_csv, commissioners, records = exported
    assert [[r[1], int(r[3]), int(r[4]), int(r[5])] for r in targets[1:]] == [
        [t.code, t.actual, t.pace, t.forecast] for t in data.targets]
    assert [[r[0], *map(int, r[1:])] for r in months_csv[1:]] == data.months.rows
    assert [[r[0], *map(int, r[1:])] for r in counties_csv[1:]] == data.counties.rows
    # Registers: the rows marked as counting are exactly the dashboard's actuals.
    assert sum(1 for r in commissioners[1:] if r[-1] == "是") == 3
    counted = [r[1] for r in records[1:] if r[-1] == "是"]
    assert (counted.count("储备项目"), counted.count("重大关键技术成果")) == (2, 1)

    workbook = load_workbook(io.BytesIO(client.get("/programs/report.xlsx", {"year": 2023}).content))
    sheets = [list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets]
    assert [list(r[1:6:2]) for r in sheets[0][1:]] == [[t.code, t.actual, t.forecast] for t in data.targets]
    assert [list(r) for r in sheets[1][1:]] == data.months.rows
    assert [list(r) for r in sheets[2][1:]] == data.counties.rows


def test_the_report_is_for_bureau_staff_only(year_2023):
    c = year_2023
    for user in (c.enterprise_member, c.academic_member, c.outsider):
        client = Client()
        client.force_login(user)
        assert client.get("/programs/report/").status_code == 403
        assert client.get("/programs/report.csv").status_code == 403
    assert Client().get("/programs/report.xlsx").status_code == 302
    assert bureau_client(c).get("/programs/report/", {"year": "20x3"}).status_code == 400

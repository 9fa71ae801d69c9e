"""Every target on the dashboard by month and county, each county's activity, and the county view that a
technology transfer station's staff see (their county only). Figures worked out by hand."""

import csv
import datetime as dt
import io
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from accounts.forms import OrganizationForm
from accounts.models import OrganizationKind
from marketplace.agreements import metrics
from marketplace.events.models import EventType
from marketplace.listings.models import AchievementPage
from tests.agreements.builders import agreement
from tests.cms.builders import publish_listing
from tests.events.builders import make_event
from tests.factories import achievement_data, county, make_org, make_user

from .builders import verified

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
COUNTY_ORDER = ["滨城区", "沾化区", "惠民县", "阳信县", "无棣县", "博兴县", "邹平市", "滨州高新区",
                "滨州经济技术开发区", "北海经济开发区"]


@pytest.fixture
def city_2023(site, year_2023):
    """year_2023 (see conftest) plus, in 2023:
    - one verified agreement signed 10 May in 博兴县 between an enterprise and a 阳信县 institute
      (the institute is engaged: May, 阳信县, its own county);
    - one 院士专家论坛 held 1 Sep 2023 in 无棣县;
    - one result first published 2 Apr 2023 in 邹平市."""
    institute = make_org("institute", county=county("yangxin"))
    agreement(signed_on=date(2023, 5, 10), enterprise=make_org("enterprise"), academic=institute,
              county=county("boxing"))
    starts = dt.datetime(2023, 9, 1, 9, 0, tzinfo=SHANGHAI)
    make_event(event_type=EventType.ACADEMICIAN_FORUM, county=county("wudi"), starts_at=starts,
               registration_opens_at=starts - dt.timedelta(days=30),
               registration_closes_at=starts - dt.timedelta(days=1))
    org = make_org("university", county=county("zouping"))
    page = publish_listing(AchievementPage, achievement_data(org, county=county("zouping")))
    AchievementPage.objects.filter(pk=page.pk).update(
        first_published_at=dt.datetime(2023, 4, 2, 10, 0, tzinfo=SHANGHAI))
    return year_2023


# month (1-12) -> count, county name -> count, for each target, as worked out above
EXPECTED = {
    "agreements_signed": ({5: 1}, {"博兴县": 1}),
    "high_end_events": ({9: 1}, {"无棣县": 1}),
    "universities_engaged": ({5: 1}, {"阳信县": 1}),
    "challenge_subsidies": ({}, {}),
    "service_activities": ({}, {}),
    "enterprise_commissioners": ({1: 1, 3: 2}, {"滨城区": 1, "博兴县": 2}),
    "reserve_projects": ({2: 1, 3: 1}, {"邹平市": 1, "滨城区": 1}),
    "key_results": ({6: 1}, {"无棣县": 1}),
}
ACTIVITY = {"博兴县": [0, 0, 1, 2], "滨城区": [0, 0, 0, 1], "无棣县": [0, 1, 0, 0], "邹平市": [1, 0, 0, 0]}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if row and row[0].startswith("# "):
            current = sections.setdefault(row[0][2:], [])
        elif row:
            current.append(row)
    return sections


def test_every_target_is_registered_with_its_month_and_county_breakdown():
    assert all(m.available and m.units is not None for m in metrics.METRICS.values())


def test_the_dashboard_breaks_every_target_down_by_month_and_county_as_the_export_does(city_2023):
    client = _client(city_2023.bureau)
    response = client.get("/dashboard/", {"year": 2023})
    page = response.content.decode()
    assert "数据接入中" not in page
    data = response.context["data"]
    actual = {t.code: t.actual for t in data.targets}
    breakdowns = {b.code: b for b in data.breakdowns}
    assert set(breakdowns) == set(EXPECTED)
    for code, (months, counties) in EXPECTED.items():
        b = breakdowns[code]
        assert b.months == [months.get(m, 0) for m in range(1, 13)], code
        assert dict(zip(data.county_names, b.counties, strict=True)) == {n: counties.get(n, 0) for n in COUNTY_ORDER}
        assert b.total == sum(b.counties) + b.no_county == actual[code], code  # the rows add up to the target
        row = re.search(rf'<tr data-metric="{code}">.*?data-field="total">(\d+)<', page, re.S)
        assert row and int(row.group(1)) == actual[code]

    sections = _csv_sections(client.get("/dashboard/export/monthly.csv", {"year": 2023}).content)
    # Found by title: other apps' tables (pilot runs, the inquiry funnel) follow these three.
    titles = ("各项指标按月完成数", "各项指标按县(市、区)完成数", "各县(市、区)技术转移工作情况")
    months_csv, counties_csv, activity_csv = (sections[f"2023年{title}"] for title in titles)
    labels = [b.label for b in data.breakdowns]
    assert months_csv[0][1:] == labels == counties_csv[0][1:]
    assert [[int(v) for v in r[1:]] for r in months_csv[1:]] == [[b.months[m] for b in data.breakdowns]
                                                                  for m in range(12)]
    assert {r[0]: [int(v) for v in r[1:]] for r in counties_csv[1:-1]} == {
        name: [b.counties[i] for b in data.breakdowns] for i, name in enumerate(data.county_names)}
    assert counties_csv[-1][0] == "未填写县区" and set(counties_csv[-1][1:]) == {"0"}

    # Each county's activity: results/demands published, events, verified agreements, commissioners.
    assert activity_csv[0] == ["县(市、区)", "发布成果与需求", "举办活动", "认定协议", "认定科技特派员"]
    assert {r[0]: [int(v) for v in r[1:]] for r in activity_csv[1:]} == {
        name: ACTIVITY.get(name, [0, 0, 0, 0]) for name in COUNTY_ORDER}
    assert {row.name: row.counts for row in data.activity} == {
        name: ACTIVITY.get(name, [0, 0, 0, 0]) for name in COUNTY_ORDER}


@pytest.fixture
def stations(city_2023):
    boxing_staff, bincheng_staff, unverified_staff = make_user("enterprise"), make_user("enterprise"), make_user()
    verified(OrganizationKind.TRANSFER_STATION, [boxing_staff], name="博兴县技术转移工作站", county=county("boxing"))
    verified(OrganizationKind.TRANSFER_STATION, [bincheng_staff], name="滨城区技术转移工作站",
             county=county("bincheng"))
    make_org(OrganizationKind.TRANSFER_STATION, members=[unverified_staff], county=county("wudi"))
    return {"boxing": boxing_staff, "bincheng": bincheng_staff, "unverified": unverified_staff}


def test_station_staff_see_their_own_countys_view(stations, city_2023):
    client = _client(stations["boxing"])
    assert client.get("/programs/county/")["Location"] == "/programs/county/boxing/"
    response = client.get("/programs/county/boxing/", {"year": 2023})
    assert response.status_code == 200
    view = response.context["view"]
    assert view.activity == [("发布成果与需求", 0), ("举办活动", 0), ("认定协议", 1), ("认定科技特派员", 2)]
    targets = {code: n for code, _label, n in view.targets}
    assert targets == {code: counties.get("博兴县", 0) for code, (_m, counties) in EXPECTED.items()}
    assert [a.approved_on for a in view.commissioners] == [date(2023, 3, 10), date(2023, 3, 20)]
    assert "博兴县技术转移工作站" in response.content.decode()


def test_a_countys_view_is_refused_to_other_counties_staff_and_plain_members(stations, city_2023):
    for user in (stations["bincheng"], stations["unverified"], city_2023.enterprise_member, city_2023.commissioner):
        assert _client(user).get("/programs/county/boxing/").status_code == 403
    for user in (stations["unverified"], city_2023.enterprise_member):
        assert _client(user).get("/programs/county/").status_code == 403
    assert Client().get("/programs/county/boxing/").status_code == 302  # to the login page
    assert _client(city_2023.bureau).get("/programs/county/boxing/").status_code == 200
    assert _client(city_2023.bureau).get("/programs/county/nowhere/").status_code == 404
    assert _client(stations["boxing"]).get("/programs/county/boxing/", {"year": "x"}).status_code == 400


def test_a_station_is_designated_by_the_bureau_not_chosen_at_sign_up():
    kinds = [code for code, _label in OrganizationForm().fields["kind"].choices]
    assert OrganizationKind.TRANSFER_STATION not in kinds and OrganizationKind.ENTERPRISE in kinds

"""Each target metric computed from fixtures whose answers are worked out by hand, plus pace and
forecast arithmetic, and the seeded 2023 targets."""

from datetime import date
from decimal import Decimal

import pytest

from marketplace.agreements import dashboard, metrics, services
from marketplace.agreements.models import Target, TargetMetric
from tests.agreements.builders import agreement
from tests.factories import county, field, make_org

pytestmark = pytest.mark.django_db

SEEDED_2023 = {
    "agreements_signed": 500,
    "high_end_events": 2,
    "universities_engaged": 10,
    "challenge_subsidies": 10,
    "service_activities": 150,
    "enterprise_commissioners": 100,
    "reserve_projects": 100,
    "key_results": 5,
}


@pytest.fixture
def signed_2023():
    """Three agreements in 2023 (two universities/institutes among them), one either side of it."""
    e1, e2 = make_org("enterprise"), make_org("enterprise")
    u1, u2, u3 = make_org("university"), make_org("university"), make_org("university")
    i1 = make_org("institute")
    operator = make_org("pilot_base_operator")
    agreement(
        signed_on=date(2023, 1, 10),
        enterprise=e1,
        academic=u1,
        amount=Decimal("100000"),
        county=county("bincheng"),
        field=field("aluminium"),
        agreement_type="development",
    )
    agreement(
        signed_on=date(2023, 1, 25),
        enterprise=e2,
        academic=u1,
        amount=Decimal("50000"),
        county=county("zhanhua"),
        field=field("marine"),
        agreement_type="transfer",
    )
    agreement(
        signed_on=date(2023, 3, 5),
        enterprise=e1,
        academic=i1,
        others=[operator],
        amount=Decimal("0"),
        county=county("bincheng"),
        field=field("aluminium"),
        agreement_type="development",
    )
    agreement(signed_on=date(2022, 12, 31), enterprise=e1, academic=u2, county=county("wudi"))
    agreement(signed_on=date(2024, 1, 1), enterprise=e2, academic=u3, county=county("wudi"))


def test_the_2023_targets_are_seeded_by_migration():
    assert dict(Target.objects.filter(year=2023).values_list("metric", "target")) == SEEDED_2023


def test_every_target_metric_has_a_function():
    assert set(metrics.METRICS) == set(TargetMetric.values)


def test_agreements_signed_counts_the_year_only(signed_2023):
    assert metrics.compute("agreements_signed", 2023) == metrics.MetricValue("agreements_signed", 3, True)
    assert metrics.compute("agreements_signed", 2022).value == 1
    assert metrics.compute("agreements_signed", 2021).value == 0


def test_universities_engaged_counts_distinct_academic_parties_of_the_year(signed_2023):
    # u1 twice and i1 once in 2023; enterprises and the pilot-base operator do not count;
    # u2 and u3 signed in other years.
    assert metrics.compute("universities_engaged", 2023) == metrics.MetricValue(
        "universities_engaged", 2, True
    )
    assert metrics.compute("universities_engaged", 2024).value == 1


def test_a_metric_without_a_data_source_says_so_instead_of_inventing_a_number(monkeypatch, signed_2023):
    # Every target has a source now (commissioners and records come from marketplace.programs); the
    # registry still marks one that loses its source as pending rather than showing 0.
    monkeypatch.setitem(metrics.METRICS, "key_results", metrics.Metric("key_results", lambda year: 7, False))
    assert metrics.compute("key_results", 2023) == metrics.MetricValue("key_results", 0, False)
    row = dashboard.target_row("key_results", 2023, date(2023, 7, 1))
    assert (row.available, row.pace, row.forecast, row.on_track) == (False, None, None, None)


def test_pace_and_forecast_mid_year_by_hand(signed_2023):
    today = date(2023, 7, 1)  # day 182 of 365
    row = dashboard.target_row("agreements_signed", 2023, today)
    assert row.target == 500 and row.actual == 3
    assert row.pace == 249  # 500 * 182 / 365 = 249.3
    assert row.forecast == 6  # 3 * 365 / 182 = 6.02
    assert row.monthly_rate == Decimal("0.5")  # 3 / (182 * 12 / 365) = 0.501
    assert row.on_track is False
    universities = dashboard.target_row("universities_engaged", 2023, today)
    assert (universities.pace, universities.forecast) == (5, 4)  # 10*182/365 = 4.99; 2*365/182 = 4.01


def test_a_past_year_is_judged_on_its_result_and_a_future_year_has_no_forecast(signed_2023):
    past = dashboard.target_row("agreements_signed", 2023, date(2026, 3, 1))
    assert (past.pace, past.forecast) == (500, 3)
    future = dashboard.target_row("agreements_signed", 2027, date(2026, 3, 1))
    assert (future.pace, future.forecast, future.actual) == (0, None, 0)


def test_a_year_without_its_own_target_carries_the_latest_one_forward():
    assert dashboard.target_for("agreements_signed", 2026) == dashboard.TargetValue(500, 2023)
    services.save_target(metric="agreements_signed", year=2025, target=600)
    assert dashboard.target_for("agreements_signed", 2026) == dashboard.TargetValue(600, 2025)
    services.save_target(metric="agreements_signed", year=2026, target=650)
    assert dashboard.target_for("agreements_signed", 2026) == dashboard.TargetValue(650, None)
    assert dashboard.target_for("agreements_signed", 2022) == dashboard.TargetValue(None, None)


def test_breakdowns_by_county_month_type_and_field(signed_2023):
    counties = {b.key: (b.count, b.amount) for b in dashboard.by_county(2023)}
    assert counties["bincheng"] == (2, Decimal("100000.00"))
    assert counties["zhanhua"] == (1, Decimal("50000.00"))
    assert counties["wudi"] == (0, Decimal("0.00"))  # its agreements are in 2022 and 2024
    assert len(counties) == 10  # every county shows, zeros included

    months = dashboard.by_month(2023, date(2023, 7, 1))
    assert [m.count for m in months] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [m.cumulative for m in months] == [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    assert months[0].pace == 42 and months[-1].pace == 500  # 500 * 31 / 365 = 42.47
    assert [m.future for m in months] == [False] * 7 + [True] * 5

    types = {b.key: b.count for b in dashboard.by_type(2023)}
    assert types == {
        "development": 2,
        "transfer": 1,
        "license": 0,
        "consulting": 0,
        "service": 0,
        "cooperation": 0,
    }
    fields = {b.key: b.count for b in dashboard.by_field(2023) if b.count}
    assert fields == {"aluminium": 2, "marine": 1}

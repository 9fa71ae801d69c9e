"""The funnel inquiry → conversation → deal → agreement on the dashboard and in its monthly CSV, per month,
field and county, equals figures worked out by hand from a small known history.

The history (this year; each inquiry counted in the month it was sent):
  A  10 Feb, aluminium result in county 1, answered after 2 h, accepted; its deal has a verified agreement
  B  10 Feb, same result, answered after 4 h, accepted; its deal has an agreement still only recorded
  C  10 Mar, textiles result in county 2, declined after 9 h
  D  10 Mar, same result, unanswered
Hence: Feb 2 → 2 → 2 → 1 (100.0 %, 100.0 %, 50.0 %), median 3.0 h; Mar 2 → 0 → 0 → 0 (0.0 %, —, —), 9.0 h;
total 4 → 2 → 2 → 1 (50.0 %, 100.0 %, 50.0 %), median of 2, 4, 9 = 4.0 h. Fields and counties split as
Feb / Mar do."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.agreements.models import Agreement, Status
from marketplace.deals import services as deals
from marketplace.inquiries import services
from marketplace.inquiries.models import Inquiry
from marketplace.listings.models import AchievementPage
from marketplace.taxonomy.models import County
from tests.agreements.builders import agreement
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, field

from .builders import send, world

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(inquiry: Inquiry, month: int, hours: float | None) -> None:
    sent = datetime(timezone.localdate().year, month, 10, 9, 0, tzinfo=SHANGHAI)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=sent, answered_at=None if hours is None else sent + timedelta(hours=hours))


def _history(w):
    county1, county2 = County.objects.order_by("sort_order", "name")[:2]
    AchievementPage.objects.filter(pk=w.listing.pk).update(county=county1)
    textiles = publish_listing(AchievementPage, achievement_data(
        w.university, title="高支纱线纺纱工艺", field=field("textiles"), county=county2))
    year = timezone.localdate().year
    for hours, status in ((2, Status.VERIFIED), (4, Status.RECORDED)):
        inquiry = send(w)
        convo = services.accept_inquiry(user=w.owner, inquiry=inquiry)
        services.invite_agent(user=w.owner, conversation=convo, agent=w.agent)
        convo.refresh_from_db()
        deal = deals.open_deal(agent=w.agent, enterprise=w.enterprise, academic=w.university, conversation=convo)
        signed = agreement(signed_on=timezone.localdate().replace(month=2, day=20), enterprise=w.enterprise,
                           academic=w.university, status=status)
        Agreement.objects.filter(pk=signed.pk).update(deal=deal)
        _at(inquiry, 2, hours)
    w.listing = textiles
    declined = send(w)
    services.decline_inquiry(user=w.owner, inquiry=declined, reason="已独家许可")
    _at(declined, 3, 9)
    _at(send(w), 3, None)
    return year, county1.name, county2.name


FEB = ["2", "2", "2", "1", "100.0", "100.0", "50.0", "3.0"]
MAR = ["2", "0", "0", "0", "0.0", "", "", "9.0"]
TOTAL = ["合计", "4", "2", "2", "1", "50.0", "100.0", "50.0", "4.0"]


def _rows(html: str) -> list[list[str]]:
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)])
    return rows


def test_funnel_figures_on_the_dashboard_and_in_the_export(site, settings):
    settings.INQUIRY_DAILY_LIMIT = 100
    w = world()
    year, county1, county2 = _history(w)
    bureau = Client()
    bureau.force_login(w.bureau)
    html = bureau.get(reverse("dashboard:index"), {"year": year}).content.decode()
    body = bureau.get(reverse("dashboard:export_monthly", args=["csv"]), {"year": year}).content.decode("utf-8-sig")
    for rows in (_rows(html), list(csv.reader(io.StringIO(body)))):
        assert [f"{year}-02", *FEB] in rows
        assert [f"{year}-03", *MAR] in rows
        assert [f"{year}-01", "0", "0", "0", "0", "", "", "", ""] in rows
        assert ["铝基轻量化", *FEB] in rows and ["纺织", *MAR] in rows
        assert [county1, *FEB] in rows and [county2, *MAR] in rows
        assert sum(r == TOTAL for r in rows) == 3  # one total line under each of the three tables

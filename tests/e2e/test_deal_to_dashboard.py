"""An agent carries a deal to "agreement signed" in a real browser: the agreement enters verification
as pending (the bureau's dashboard shows one more pending), and the target counters do not move until
it is verified. The signing date is prefilled with today."""

import pytest
from django.utils import timezone

from marketplace.agreements.models import Agreement
from marketplace.deals.stages import Stage
from tests.deals.builders import deal_at, make_agent
from tests.factories import make_org, make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"


def _dashboard_count(page, base_url: str) -> int:
    page.goto(f"{base_url}/dashboard/")
    return int(page.get_attribute('[data-metric="agreements_signed"]', "data-actual"))


def _pending_count(page, base_url: str) -> int:
    page.goto(f"{base_url}/dashboard/")
    return int(page.get_attribute('[data-status-count="pending"]', "data-count"))


def _home_count(page, base_url: str) -> int:
    page.goto(f"{base_url}/")
    return int(page.get_attribute('[data-testid="agreements-counter"]', "data-count"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_signs_a_deal_and_it_waits_for_verification_before_it_counts(live_server, new_page, site):
    base = live_server.url
    agent = make_agent(email="broker@example.com", password=PASSWORD)
    bureau = make_user("bureau", email="officer@example.com", password=PASSWORD)
    enterprise = make_org("enterprise", name="滨州轻量化汽车部件有限公司")
    university = make_org("university", name="滨州学院")
    deal = deal_at(Stage.NEGOTIATING, agent=agent, enterprise=enterprise, academic=university)

    officer = new_page()
    log_in(officer, base, bureau.email, PASSWORD)
    dashboard_before = _dashboard_count(officer, base)
    pending_before = _pending_count(officer, base)
    home_before = _home_count(officer, base)
    assert home_before == dashboard_before

    broker = new_page()
    log_in(broker, base, agent.email, PASSWORD)
    broker.goto(f"{base}/deals/")
    broker.click(f'[data-deal="{deal.pk}"] h3 a')
    broker.wait_for_url(f"{base}/deals/{deal.pk}/")
    form = broker.locator('[data-target-stage="agreement_signed"]')
    # The signing date comes prefilled with today (Asia/Shanghai) in the yyyy-MM-dd a date input accepts.
    signed_on = form.locator("input[name='agreement_signed-signed_on']")
    assert signed_on.input_value() == timezone.localdate().isoformat()
    form.locator("select[name='agreement_signed-agreement_type']").select_option("development")
    form.locator("input[name='agreement_signed-amount']").fill("380000")
    form.locator("select[name='agreement_signed-field']").select_option(label="铝基轻量化")
    form.locator("button[name=move]").click()
    broker.wait_for_selector('[data-testid="deal-stage"][data-stage="agreement_signed"]')
    assert "已签约" in broker.inner_text('[data-testid="deal-stage"]')

    assert Agreement.objects.filter(deal=deal).count() == 1
    assert Agreement.objects.get(deal=deal).status == "recorded"
    assert _pending_count(officer, base) == pending_before + 1
    assert _dashboard_count(officer, base) == dashboard_before
    assert _home_count(officer, base) == home_before
    # Anyone, signed in or not, sees the same public counter.
    visitor = new_page()
    assert _home_count(visitor, base) == home_before

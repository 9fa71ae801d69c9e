"""Double-clicking Save on the agreement form in a real Chromium: one agreement, the page it lands on
is the agreement's, never an error page."""

import pytest
from django.utils import timezone

from marketplace.agreements.models import Agreement
from tests.agreements.builders import verified_org
from tests.factories import make_user

from .conftest import log_in

PASSWORD = "Str0ng-pass!"
TITLE = "盐碱地耐盐小麦品种选育技术服务合同"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_clicking_save_records_one_agreement(live_server, new_page, site):
    bureau = make_user("bureau", email="officer@example.com", password=PASSWORD)
    verified_org("enterprise", name="惠民绿源农业发展有限公司")
    verified_org("institute", name="滨州市农业科学院")
    page = new_page()
    log_in(page, live_server.url, bureau.email, PASSWORD)
    page.goto(f"{live_server.url}/agreements/new/")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=agreement_type]", "service")
    page.fill("input[name=amount]", "120000")
    page.fill("input[name=signed_on]", timezone.localdate().isoformat())
    page.select_option("select[name=county]", label="惠民县")
    page.select_option("select[name=field]", label="农业良种与种业")
    page.select_option("select[name=enterprises]", label="惠民绿源农业发展有限公司")
    page.select_option("select[name=academics]", label="滨州市农业科学院")
    page.dblclick("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/agreements/new/" not in url)
    page.wait_for_selector('[data-testid="agreement-status"]')
    assert Agreement.objects.filter(title=TITLE).count() == 1
    assert page.url.endswith(f"/agreements/{Agreement.objects.get(title=TITLE).pk}/")

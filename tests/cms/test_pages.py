"""What a visitor sees on the public pages and an owner on their own pages: the templates' behaviour."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.uscc import USCC_ALPHABET, uscc_check_char
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from marketplace.listings.services import create_listing
from tests.cms.builders import publish_listing, publish_news, publish_policy
from tests.factories import achievement_data, county, demand_data, field, make_user, pilot_base_data
from tests.listings.helpers import reject

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def html_block(html: str, element_id: str) -> str:
    """The markup from the element with this id up to the next form field (enough for a field's errors)."""
    start = html.index(f'id="{element_id}"')
    end = html.find('class="form-field', start + 1)
    return html[start:end if end != -1 else None]


def test_home_page_lists_latest_listings_news_and_policies(client, site, enterprise, university,
                                                           university_user):
    achievement = publish_listing(AchievementPage, achievement_data(university))
    demand = publish_listing(DemandPage, demand_data(enterprise))
    base = publish_listing(PilotBasePage, pilot_base_data(university))
    draft = create_listing(user=university_user, model=AchievementPage,
                           data=achievement_data(university, title="尚在审核中的成果"))
    publish_news(title="平台上线试运行", date=date(2023, 3, 18), body="<p>上线</p>")
    publish_policy(title="2023年全市科技工作要点", date=date(2023, 2, 25), issuer="滨州市科学技术局",
                   document_number="滨科字〔2023〕1号", body="<p>要点</p>")

    response = client.get("/", **ZH)

    html = response.content.decode()
    assert response.status_code == 200
    for page in (achievement, demand, base):
        assert page.title in html and page.url in html
    assert draft.title not in html, "a listing in moderation must not be public"
    assert "平台上线试运行" in html and "滨科字〔2023〕1号" in html
    assert "TRL 6" in html and "80万元" in html  # the achievement card's facts
    assert "30–100万元" in html  # the demand card's budget range
    assert 'action="/i18n/setlang/"' in html
    for section in ("/achievements/", "/demands/", "/pilot-bases/", "/policies/", "/news/"):
        assert f'href="{section}"' in html


def test_listing_index_filters_by_field_and_county(client, site, university):
    in_zouping = publish_listing(AchievementPage, achievement_data(university, title="邹平铝合金成果",
                                                                   county=county("zouping")))
    in_bincheng = publish_listing(AchievementPage, achievement_data(university, title="滨城铝合金成果",
                                                                    county=county("bincheng")))
    textiles = publish_listing(AchievementPage, achievement_data(university, title="功能性纤维成果",
                                                                 field=field("textiles")))

    by_field = client.get("/achievements/", {"field": "aluminium"}, **ZH).content.decode()
    both = client.get("/achievements/", {"field": "aluminium", "county": "zouping"}, **ZH).content.decode()
    unfiltered = client.get("/achievements/", **ZH).content.decode()

    assert in_zouping.title in by_field and in_bincheng.title in by_field and textiles.title not in by_field
    assert in_zouping.title in both and in_bincheng.title not in both
    assert all(p.title in unfiltered for p in (in_zouping, in_bincheng, textiles))
    assert "共 1 条" in both and "共 3 条" in unfiltered
    # The chosen filters are marked, and each chip keeps the other filter.
    assert re.search(r'class="chip on" href="\?field=aluminium&amp;county=zouping"', both)
    assert 'href="?field=aluminium&amp;county=bincheng"' in both


def test_listing_index_paginates_and_keeps_the_filters(client, site, university):
    for n in range(13):
        publish_listing(AchievementPage, achievement_data(university, title=f"铝合金成果{n:02d}"))
    publish_listing(AchievementPage, achievement_data(university, title="纺织成果", field=field("textiles")))

    first = client.get("/achievements/", {"field": "aluminium"}, **ZH).content.decode()
    second = client.get("/achievements/", {"field": "aluminium", "page": 2}, **ZH).content.decode()

    assert first.count('class="card ') == 12 and second.count('class="card ') == 1
    assert 'href="?field=aluminium&amp;page=2"' in first
    assert "纺织成果" not in first + second
    assert "铝合金成果00" in second  # newest first, so the oldest is alone on page 2


def test_an_unknown_page_number_shows_the_last_page_not_an_error(client, site, university):
    publish_listing(AchievementPage, achievement_data(university))
    response = client.get("/achievements/", {"page": "999"}, **ZH)
    assert response.status_code == 200 and "高强韧铝合金" in response.content.decode()


def test_achievement_page_shows_transfer_terms_ip_and_contact(client, site, university):
    page = publish_listing(
        AchievementPage,
        achievement_data(university, price=None, price_negotiable=True, trl=7, contact_name="李老师",
                         contact_email="li@example.com", transfer_modes=["equity", "license"]),
        ip_items=[("invention_patent", "ZL202110123456.7", "一种铝合金压铸方法")])

    html = client.get(page.url, **ZH).content.decode()

    assert "TRL 7" in html and "中试" in html
    assert "面议" in html
    assert "作价入股" in html and "许可" in html
    assert "ZL202110123456.7" in html and "发明专利" in html
    assert university.name in html
    # An anonymous visitor sees the contact masked (个人信息保护法; tests/accounts/test_contact_reveal.py).
    assert "李**" in html and "l***@example.com" in html and "li@example.com" not in html


def test_demand_page_shows_budget_deadline_and_cooperation(client, site, enterprise):
    deadline = date.today() + timedelta(days=45)
    page = publish_listing(DemandPage, demand_data(enterprise, budget_min=Decimal("5000"),
                                                   budget_max=Decimal("1200000"), deadline=deadline,
                                                   cooperation_modes=["service"]))

    html = client.get(page.url, **ZH).content.decode()

    assert "5000元–120万元" in html
    assert deadline.isoformat() in html
    assert "技术服务" in html
    assert "需要铝合金电池托盘的轻量化设计" in html


def test_pilot_base_page_shows_equipment_industries_and_fees(client, site, university):
    page = publish_listing(PilotBasePage, pilot_base_data(university))
    page.industries.set([field("aluminium"), field("new-materials")])
    page.save_revision().publish()

    html = client.get(page.url, **ZH).content.decode()

    assert "<li>500吨挤压机</li>" in html and "<li>真空熔炼炉</li>" in html
    assert "新材料" in html and "年中试能力50批次" in html and "按批次收费，面议" in html


def test_policy_and_news_pages_render_with_their_metadata(client, site):
    policy = publish_policy(title="关于印发《2023年全市科技工作要点》的通知", date=date(2023, 2, 25),
                            issuer="滨州市科学技术局", document_number="滨科字〔2023〕1号",
                            body="<h3>一、强化顶层设计</h3><p>签署各类产学研合作协议500项以上。</p>")
    publish_news(title="院士专家论坛举办", date=date(2023, 6, 20), summary="聚焦智慧化工", body="<p>论坛</p>")

    detail = client.get(policy.url, **ZH).content.decode()
    policies = client.get("/policies/", **ZH).content.decode()
    news = client.get("/news/", **ZH).content.decode()

    assert "2023-02-25" in detail and "滨州市科学技术局" in detail and "滨科字〔2023〕1号" in detail
    assert "<h3>一、强化顶层设计</h3>" in detail  # rich text is rendered, not escaped
    assert policy.title in policies and "滨科字〔2023〕1号" in policies
    assert "院士专家论坛举办" in news and "2023-06-20" in news


def test_the_language_switcher_changes_the_page_language(client, site):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


def test_my_listings_shows_each_status_and_the_reviewers_comment(client, site, enterprise_user, enterprise):
    def submit(title):
        return create_listing(user=enterprise_user, model=DemandPage,
                              data=demand_data(enterprise, title=title))

    pending, sent_back = submit("待审需求"), submit("退回需求")
    bureau = make_user("bureau")
    client.force_login(bureau)
    assert reject(client, sent_back, "请补充预算依据。").status_code in (200, 302)

    client.force_login(enterprise_user)
    html = client.get("/my/listings/", **ZH).content.decode()

    assert "待审需求" in html and "审核中" in html
    assert "退回需求" in html and "已退回" in html and "请补充预算依据。" in html
    assert f'action="/my/listings/{pending.pk}/withdraw/"' in html
    assert f'href="/my/listings/{sent_back.pk}/edit/"' in html
    for kind in ("achievement", "demand", "pilot_base"):
        assert f'href="/my/listings/new/{kind}/"' in html


def test_listing_form_shows_errors_next_to_their_fields(client, site, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    response = client.post("/my/listings/new/demand/", {
        "title": "电池托盘需求", "organization": enterprise.pk, "field": field("aluminium").pk,
        "description": "轻量化", "budget_min": "900000", "budget_max": "100000",
        "cooperation_modes": ["co_development"], "form_token": uuid.uuid4().hex,
    }, **ZH)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'name="form_token"' in html
    assert "预算上限不能低于下限" in html_block(html, "field-budget_max")
    assert "预算上限不能低于下限" not in html_block(html, "field-budget_min")
    assert "请修正下方标出的错误" in html
    assert DemandPage.objects.count() == 0


def test_account_pages_use_the_site_layout(client, site):
    html = client.get("/accounts/login/", **ZH).content.decode()
    assert 'class="auth-page"' in html and "滨州技术交易公共服务平台" in html
    assert 'href="/achievements/"' in html  # the site's navigation, not allauth's bare page


def test_dashboard_offers_the_admin_only_to_bureau_staff(client, site, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    html = client.get("/accounts/dashboard/", **ZH).content.decode()
    assert enterprise.name in html and enterprise.uscc in html
    assert 'href="/accounts/organizations/new/"' in html and 'href="/admin/"' not in html

    client.force_login(make_user("bureau"))
    assert 'href="/admin/"' in client.get("/accounts/dashboard/", **ZH).content.decode()


def test_organization_form_shows_the_uscc_error_next_to_the_field(client, site, enterprise_user):
    first17 = "91371600MA3C00000"
    wrong = next(c for c in USCC_ALPHABET if c != uscc_check_char(first17))
    client.force_login(enterprise_user)
    response = client.post("/accounts/organizations/new/", {
        "name": "滨州某某科技有限公司", "kind": "enterprise", "uscc": first17 + wrong}, **ZH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "校验位错误" in html_block(html, "field-uscc")


def test_a_missing_page_gets_the_sites_own_404(client, site):
    response = client.get("/no-such-page/", **ZH)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and 'href="/achievements/"' in response.content.decode()

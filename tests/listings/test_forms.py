"""Bad input on the owners' forms: a field error in the user's language and nothing half-saved."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from marketplace.listings.models import AchievementPage, DemandPage
from tests.factories import county, field

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demand_post(org, **overrides):
    data = {
        "title": "化工园区有毒气体泄漏在线监测需求", "organization": org.pk, "field": field("smart-chemicals").pk,
        "county": county("zhanhua").pk, "keywords": "化工园区,安全监测", "description": "园区需要多点在线监测与预警。",
        "budget_min": "200000", "budget_max": "500000",
        "deadline": (datetime.date.today() + datetime.timedelta(days=60)).isoformat(),
        "cooperation_modes": ["co_development"], "form_token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def achievement_post(org, **overrides):
    data = {
        "title": "再生铝保级利用技术", "organization": org.pk, "field": field("aluminium").pk,
        "county": county("zouping").pk, "keywords": "再生铝", "summary": "废铝分选与熔体净化。", "trl": "7",
        "transfer_modes": ["license"], "price": "500000", "form_token": uuid.uuid4().hex,
        "ip_items_text": "发明专利 ZL202110123456.7 一种再生铝熔体净化方法",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, enterprise_user, enterprise, site):
    client.force_login(enterprise_user)
    return client


@pytest.fixture
def university_client(client, university_user, university, site):
    client.force_login(university_user)
    return client


def test_a_valid_demand_is_created_and_submitted(owner_client, enterprise):
    response = owner_client.post("/my/listings/new/demand/", demand_post(enterprise))
    assert response.status_code == 302
    page = DemandPage.objects.get()
    assert page.workflow_in_progress and not page.live


def test_an_achievement_keeps_its_ip_items(university_client, university):
    response = university_client.post("/my/listings/new/achievement/", achievement_post(university))
    assert response.status_code == 302
    items = list(AchievementPage.objects.get().get_latest_revision_as_object().ip_items.all())
    assert [(i.ip_type, i.number) for i in items] == [("invention_patent", "ZL202110123456.7")]


def _errors(response):
    assert response.status_code == 200, "a bad form is shown again, not redirected"
    return response.context["form"].errors


def test_budget_min_above_max(owner_client, enterprise):
    errors = _errors(owner_client.post("/my/listings/new/demand/",
                                       demand_post(enterprise, budget_min="900000", budget_max="100000")))
    assert "预算上限不能低于下限" in errors["budget_max"][0]
    assert not DemandPage.objects.exists()


def test_deadline_in_the_past(owner_client, enterprise):
    errors = _errors(owner_client.post("/my/listings/new/demand/", demand_post(enterprise, deadline="2020-01-01")))
    assert "截止日期不能早于今天" in errors["deadline"][0]
    assert not DemandPage.objects.exists()


def test_price_with_letters(university_client, university):
    errors = _errors(university_client.post("/my/listings/new/achievement/",
                                            achievement_post(university, price="50万元")))
    assert "price" in errors
    assert not AchievementPage.objects.exists()


def test_no_price_and_not_negotiable(university_client, university):
    errors = _errors(university_client.post("/my/listings/new/achievement/", achievement_post(university, price="")))
    assert "面议" in errors["price"][0]


def test_negotiable_without_price_is_fine(university_client, university):
    response = university_client.post("/my/listings/new/achievement/",
                                      achievement_post(university, price="", price_negotiable="on"))
    assert response.status_code == 302


def test_malformed_ip_line_names_the_line(university_client, university):
    errors = _errors(university_client.post("/my/listings/new/achievement/",
                                            achievement_post(university, ip_items_text="专利\n发明专利 ZL1")))
    assert "第1行" in errors["ip_items_text"][0]


def test_non_pdf_upload_is_refused(owner_client, enterprise):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    errors = _errors(owner_client.post("/my/listings/new/demand/", {**demand_post(enterprise), "attachment": fake}))
    assert "PDF" in errors["attachment"][0]
    assert not DemandPage.objects.exists()


@override_settings(LISTING_ATTACHMENT_MAX_BYTES=1024)
def test_oversized_upload_is_refused(owner_client, enterprise):
    big = SimpleUploadedFile("spec.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    errors = _errors(owner_client.post("/my/listings/new/demand/", {**demand_post(enterprise), "attachment": big}))
    assert "附件过大" in errors["attachment"][0]


def test_a_real_pdf_is_accepted(owner_client, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("spec.pdf", PDF_BYTES, content_type="application/pdf")
    response = owner_client.post("/my/listings/new/demand/", {**demand_post(enterprise), "attachment": pdf})
    assert response.status_code == 302
    assert DemandPage.objects.get().attachment.name.endswith(".pdf")


def test_a_form_posted_twice_creates_one_listing(owner_client, enterprise):
    data = demand_post(enterprise)
    first = owner_client.post("/my/listings/new/demand/", data)
    second = owner_client.post("/my/listings/new/demand/", data, follow=True)
    assert first.status_code == 302
    # The repeat is sent to the listing the first post created, and told so.
    assert second.redirect_chain == [(first["Location"], 302)]
    assert "已提交过" in second.content.decode()
    assert DemandPage.objects.count() == 1


def test_another_organization_cannot_be_chosen(owner_client, university):
    errors = _errors(owner_client.post("/my/listings/new/demand/", demand_post(university)))
    assert "organization" in errors


def test_english_speakers_get_english_in_the_message(owner_client, enterprise):
    errors = _errors(owner_client.post("/my/listings/new/demand/",
                                       demand_post(enterprise, budget_min="9", budget_max="1"),
                                       headers={"accept-language": "en"}))
    assert errors["budget_max"] == ["Budget max is below budget min."]


def test_unknown_listing_type_is_404(owner_client):
    assert owner_client.get("/my/listings/new/spaceship/").status_code == 404


def test_owner_forms_carry_our_help_texts_and_iso_date_values(owner_client, enterprise):
    """Wagtail's admin help text for a page title ("你想让公众看到的页面标题") is not ours to show owners;
    date fields are prefilled as yyyy-mm-dd, the only value <input type="date"> displays."""
    html = owner_client.get("/my/listings/new/demand/").content.decode()
    assert "你想让公众看到的页面标题" not in html and "seen by the public" not in html
    assert "需求名称，简明写出要解决的技术问题" in html
    owner_client.post("/my/listings/new/demand/", demand_post(enterprise))
    page = DemandPage.objects.latest("pk")
    edit = owner_client.get(f"/my/listings/{page.pk}/edit/").content.decode()
    deadline = page.deadline
    assert f'value="{deadline.year:04d}-{deadline.month:02d}-{deadline.day:02d}"' in edit

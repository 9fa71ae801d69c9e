"""Owners hear about their listing's review in Chinese, by an e-mail with HTML and text parts whose links go to
the public page and to their own listings (/my/listings/) on the host and port the site is served on, never to
admin pages they cannot open."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Site

from cms.site_setup import sync_site_address
from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data

from .helpers import approve, reject

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8011"  # what `make run PORT=8011` exports as SITE_BASE_URL


@pytest.fixture
def served_on_8011(settings, site):
    settings.WAGTAILADMIN_BASE_URL = BASE
    sync_site_address()
    return site


@pytest.fixture
def staff_client(bureau_user):
    client = Client()
    client.force_login(bureau_user)
    return client


def _owner_mail(owner) -> mail.EmailMessage:
    sent = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    return sent[0]


def _html(message) -> str:
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1, "an HTML part next to the text"
    return html[0]


def test_the_default_site_follows_site_base_url(settings, site):
    settings.WAGTAILADMIN_BASE_URL = BASE
    sync_site_address()
    default = Site.objects.get(is_default_site=True)
    assert (default.hostname, default.port) == ("127.0.0.1", 8011)
    settings.WAGTAILADMIN_BASE_URL = "https://techmarket.example.cn"
    sync_site_address()
    default.refresh_from_db()
    assert (default.hostname, default.port) == ("techmarket.example.cn", 443)


def test_approval_mail_links_to_the_public_page_and_my_listings(served_on_8011, enterprise_user, enterprise,
                                                               staff_client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    mail.outbox.clear()
    approve(staff_client, page, comment="同意发布")
    page.refresh_from_db()
    message = _owner_mail(enterprise_user)
    assert message.subject == f"审核通过：“{page.title}”已发布"
    public, mine = f"{BASE}{page.url}", f"{BASE}/my/listings/"
    assert page.url.startswith("/") and public in message.body and mine in message.body
    html = _html(message)
    assert f'href="{public}"' in html and f'href="{mine}"' in html
    for part in (message.subject, message.body, html):
        assert "/admin/" not in part and "workflow" not in part.lower()


def test_rejection_mail_carries_the_comment_and_links_to_my_listings(served_on_8011, enterprise_user, enterprise,
                                                                   staff_client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    mail.outbox.clear()
    reject(staff_client, page, comment="请补充预算依据")
    message = _owner_mail(enterprise_user)
    assert message.subject.startswith("审核未通过")
    assert "审核意见：请补充预算依据" in message.body and f"{BASE}/my/listings/" in message.body
    html = _html(message)
    assert f'href="{BASE}/my/listings/"' in html and "请补充预算依据" in html
    for part in (message.body, html):
        assert "/admin/" not in part

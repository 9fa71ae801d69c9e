"""Sign-up, log-in and the Wagtail admin carry the platform's name, logo and colours, in Chinese: a
visitor should see one platform, not a library's default pages."""

import re

import pytest

pytestmark = pytest.mark.django_db

BRAND = "滨州技术交易公共服务平台"
LOGO = "/static/img/favicon.svg"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(("url", "heading"), [("/accounts/login/", "登录"), ("/accounts/signup/", "注册")])
def test_sign_up_and_log_in_open_with_the_platform_brand_in_chinese(client, site, url, heading):
    html = _page(client, url)
    brand = re.search(r'data-testid="auth-brand".*?</div>\s*</div>', html, re.S)
    assert brand, "the account card opens with the brand block"
    assert BRAND in brand.group(0) and LOGO in brand.group(0)
    assert 'class="auth-page' in html  # the site's layout and colours, not allauth's bare page
    assert heading in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "Sign In" not in html and "Sign Up" not in html


def test_wagtail_login_names_the_platform_with_its_logo_and_colours(client, site):
    html = _page(client, "/admin/login/")
    assert f"<title>登录 - {BRAND}</title>" in html
    assert f"登录{BRAND}管理后台" in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert LOGO in html and "/static/css/admin-brand.css" in html
    assert "Sign in to Wagtail" not in html and "Wagtail</title>" not in html


def test_wagtail_admin_header_shows_the_platform_logo_and_name(client, site, bureau_user):
    client.force_login(bureau_user)
    html = _page(client, "/admin/")
    logo = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S).group(1)
    assert LOGO in logo and f'alt="{BRAND}"' in logo
    assert f"- {BRAND}</title>" in html
    assert BRAND in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)  # the dashboard's welcome


def test_the_admins_not_found_page_shows_the_platform_logo_not_wagtails(client, site, bureau_user):
    client.force_login(bureau_user)
    response = client.get("/admin/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert LOGO in html and 'class="icon-wagtail"' not in html

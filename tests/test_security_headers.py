"""Security headers read from real responses: a Content-Security-Policy that allows no inline script on the
public site (and an explicit, relaxed one for the staff admins), Referrer-Policy, X-Content-Type-Options,
X-Frame-Options, Permissions-Policy and Cross-Origin-Opener-Policy. And the templates keep the promise the
policy relies on: no inline <script> and no on*= event handler attribute."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PAGES = ["/", "/search/?q=铝合金", "/accounts/login/", "/accounts/signup/", "/events/", "/no-such-page/"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_a_strict_policy_and_the_other_headers(client, site, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"], "no inline or foreign script on the public site"
    assert csp["script-src-attr"] == ["'none'"], "no inline event handlers"
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["style-src-elem"] == ["'self'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_wagtail_admin_gets_its_relaxed_policy_explicitly(client, site):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    # Wagtail's own templates carry inline scripts; its preview panel frames the admin itself.
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["frame-ancestors"] == ["'self'"] and response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"(?:href|src)\s*=\s*[\"']\s*javascript:", re.I)


def _templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("marketplace/*/templates")]
    return sorted(p for folder in folders for p in folder.rglob("*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert _templates(), "no templates found"
    assert offenders == [], "move these to static/js (the CSP blocks them):\n" + "\n".join(offenders)

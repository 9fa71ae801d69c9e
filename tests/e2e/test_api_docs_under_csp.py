"""The partner API's browsable docs (/api/v1/docs) render from this site's own static files under the
Content-Security-Policy: the operations appear and Chromium reports no refused script or style."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_api_docs_render_with_local_assets_and_nothing_is_refused(live_server, new_page):
    page = new_page()
    console, requested = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator('[data-path="/api/v1/listings/demands"]').first.wait_for(timeout=15000)
    assert [url for url in requested if not url.startswith(live_server.url) and not url.startswith("data:")] == []
    assert [text for text in console if "Content Security Policy" in text] == []

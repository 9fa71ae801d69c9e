"""The page scripts still work under the Content-Security-Policy, and Chromium reports no violation: the
search page's sort menu (static/js/search.js) re-runs the search when changed."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_sort_script_runs_and_nothing_is_refused(live_server, new_page, site):
    page = new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(f"{live_server.url}/search/?q=铝合金")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.select_option("#id_sort", "trl")
    page.wait_for_url(lambda url: "sort=trl" in url)
    assert [text for text in console if "Content Security Policy" in text] == []

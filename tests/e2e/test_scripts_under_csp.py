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


def test_a_page_served_from_the_shared_cache_keeps_its_policy_and_working_forms(live_server, new_page, site,
                                                                              settings):
    """Whole pages are cached for visitors (marketplace/core/page_cache.py): the second visitor's copy comes
    from the cache, still carries the policy, runs its script without a violation, and its language form
    posts with that visitor's own CSRF token."""
    settings.PAGE_CACHE_HIT_HEADER = True
    first = new_page()
    first.goto(f"{live_server.url}/search/?q=铝合金")
    second = new_page()  # another visitor: a context of their own, so their own cookies
    console = []
    second.on("console", lambda message: console.append(message.text))
    response = second.goto(f"{live_server.url}/search/?q=铝合金")
    assert response.headers.get("x-page-cache") == "hit"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    second.select_option("#id_sort", "trl")
    second.wait_for_url(lambda url: "sort=trl" in url)
    second.goto(f"{live_server.url}/search/?q=铝合金")
    second.click(".lang-form button[value=en]")
    second.wait_for_function("document.documentElement.lang === 'en'")  # not a 403 from a foreign token
    assert [text for text in console if "Content Security Policy" in text] == []

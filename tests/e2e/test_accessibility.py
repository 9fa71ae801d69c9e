"""axe-core (WCAG 2.0/2.1 A and AA rules, which GB/T 37668-2019 follows) finds no violation on the main
pages, in Chinese and in English, as a real Chromium renders them (colours, focus, names, landmarks).
axe-core comes pinned inside axe-playwright-python; nothing is fetched from the network."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.i18n.world import PASSWORD, build_world

from .conftest import log_in

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


def _pages(world) -> list[tuple[str | None, str]]:
    return [
        (None, "/"), (None, "/achievements/"), (None, "/demands/"), (None, "/pilot-bases/"),
        (None, reverse("search:search") + "?q=铝合金"), (None, world["achievement"].url),
        (None, "/events/"), (None, world["event"].url), (None, "/challenges/"),
        (None, reverse("account_signup")), (None, reverse("account_login")),
        ("bureau", reverse("dashboard:index")), ("bureau", reverse("events:manage_event", args=[world["event"].pk])),
        # The repeatable rows (ticket types, agenda, guests; participants): every row input has its label.
        ("bureau", reverse("events:create_event")),
        ("member", reverse("events:register", args=[world["event"].pk])),
    ]


def _violations(page, url: str) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(f"{url}: {violation['id']} at {', '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1].strip()[:160]}")
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_have_no_wcag_aa_violations(live_server, new_page, site, language):
    world = build_world()
    base = live_server.url
    visitor = new_page()
    visitor.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    bureau = new_page()
    bureau.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    log_in(bureau, base, world["bureau"].email, PASSWORD)
    member = new_page()
    member.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    log_in(member, base, world["member"].email, PASSWORD)
    signed_in = {None: visitor, "bureau": bureau, "member": member}

    problems = []
    for who, url in _pages(world):
        page = signed_in[who]
        page.goto(base + url)
        problems += _violations(page, url)
    assert not problems, f"WCAG 2 A/AA violations ({language}):\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_phone_the_menu_button_shows_every_section(live_server, browser, site):
    """390 px wide (a common phone): the main navigation folds behind 菜单 and, opened, shows every link
    inside the screen — no section hidden in a sideways scroll strip."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        links = page.locator("#main-nav a")
        count = links.count()
        assert count >= 8, "every section and the search page are in the main navigation"
        assert not links.first.is_visible(), "on a phone the list starts folded"

        menu = page.get_by_role("button", name="菜单")
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        for i in range(count):
            box = links.nth(i).bounding_box()
            assert links.nth(i).is_visible() and box and 0 <= box["x"] and box["x"] + box["width"] <= 390, \
                f"{links.nth(i).inner_text()} is not on screen"

        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    finally:
        context.close()

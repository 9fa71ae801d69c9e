"""Browser tests: Debian's Chromium (services/chromium.sh) driven by Playwright for Python. Never
`playwright install` — it downloads a browser."""

import os
import shutil

import pytest
from django.db import connections

from tests.conftest import require_service

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    require_service("Chromium", path is not None, "`chromium` is not on PATH; run services/chromium.sh")
    return path


@pytest.fixture
def browser(chromium_path, transactional_db):
    """Started after the database is set up: once Playwright's loop runs in this thread, Django hands
    out a different connection object, and the test database's serialized contents (restored by
    serialized_rollback) would not be found."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        # Close the connections the test body opened under Playwright's loop, or the test database
        # cannot be dropped at the end of the session.
        connections.close_all()


@pytest.fixture
def new_page(browser):
    """A fresh browser context (its own cookies) per signed-in person."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Through the real allauth login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click('form[action$="/accounts/login/"] button[type=submit]')
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

"""The main pages read in one language at a time (issue 16): the English site shows no Chinese outside
what users wrote, and the Chinese site shows no English half-labels ("技术需求 Demand").

A crawl of the pages a visitor, a member and bureau staff open first, in both locales, through the real
URLs and templates. User content (titles, organization names, descriptions the test itself created) is
removed before checking, because it is shown as written in either language."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .world import HAN, build_world

pytestmark = pytest.mark.django_db

# A Chinese label followed by an English word: "技术需求 Demand", "已发布 (Published)". Acronyms such as
# "TRL 6", "CSV", "PDF" are written the same in both languages and are not half-labels.
DOUBLED = re.compile(r"[\u3400-\u9fff][）)：:]?\s*\(?(?:[A-Z]?[a-z]{3,})(?:\s+[a-z]+)*")
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class VisibleText(HTMLParser):
    """What a reader sees or hears: text nodes and the labelling attributes; not scripts or styles, and
    not elements marked as being in another language than the page (lang="zh-CN" on the language switch)."""

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        other_language = tag != "html" and bool(lang) and not lang.startswith(self.page_language[:2])
        hidden = tag in ("script", "style", "template") or other_language
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self._stack.append((tag, hidden))
        if not (hidden or self._hidden()):
            self.parts.extend(attrs[a] for a in VISIBLE_ATTRIBUTES if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.parts.append(data.strip())


def visible_text(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    return parser.parts


def without(parts: list[str], known: list[str]) -> list[str]:
    out = []
    for part in parts:
        for text in known:
            part = part.replace(text, " ")
        out.append(part)
    return out


@pytest.fixture
def world(site):
    return build_world()


def pages(world) -> list[tuple[str, str]]:
    """(who, url): who is None for a visitor, else the key of the signed-in person in world."""
    return [
        (None, "/"), (None, "/achievements/"), (None, "/demands/"), (None, "/pilot-bases/"),
        (None, reverse("search:search") + "?q=铝合金"), (None, world["achievement"].url),
        (None, world["demand"].url), (None, "/events/"), (None, world["event"].url),
        (None, "/challenges/"), (None, world["challenge"].url),
        (None, reverse("account_signup")), (None, reverse("account_login")), (None, reverse("accounts:privacy")),
        ("member", reverse("accounts:dashboard")), ("member", reverse("listings:my_listings")),
        ("member", reverse("accounts:role_applications")), ("member", reverse("events:my_registrations")),
        ("member", reverse("inquiries:inbox")), ("member", reverse("accounts:erase_account")),
        ("bureau", reverse("dashboard:index")), ("bureau", reverse("agreements:list")),
        ("bureau", reverse("events:manage_event", args=[world["event"].pk])),
    ]


def crawl(client, world, accept_language: str):
    for who, url in pages(world):
        client.logout()
        if who:
            client.force_login(world[who])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept_language)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        yield url, response.content.decode()


def test_english_pages_show_no_chinese_outside_user_content(client, world):
    problems = []
    for url, html in crawl(client, world, "en"):
        assert '<html lang="en"' in html, f"{url} does not declare English"
        for part in without(visible_text(html, "en"), world["content"]):
            if HAN.search(part):
                problems.append(f"{url}: {part[:80]!r}")
    assert not problems, "Chinese on the English site (missing from the English catalog?):\n" + \
        "\n".join(sorted(set(problems)))


def test_chinese_pages_show_no_doubled_english_labels(client, world):
    problems = []
    for url, html in crawl(client, world, "zh-hans"):
        assert '<html lang="zh-CN"' in html, f"{url} does not declare Chinese"
        for part in without(visible_text(html, "zh-hans"), world["content"]):
            for m in DOUBLED.finditer(part):
                problems.append(f"{url}: {m.group(0)!r} in {part[:60]!r}")
    assert not problems, "English half-labels on the Chinese site:\n" + "\n".join(sorted(set(problems)))

"""Stored XSS: every front-end form was posted with markup in each of its free-text fields (see
xss_world.py); the people who see that content then open every page that shows it in Chromium. No
dialog may fire, no injected element may exist, and the payload must be visible as text."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import log_in

from .poison import FORMAT_CHECKED, IMG, SCRIPT
from .xss_world import PASSWORD, build_poisoned_world

# In the DOM: what the payloads would have become had they not been escaped.
INJECTED = """() => ({
    images: document.querySelectorAll('img[src="x"]').length,
    // Only scripts the browser runs: a type="application/json" block is data (Wagtail's comments-data names the
    // signed-in moderator there, JSON-escaped), never executed.
    scripts: [...document.scripts].filter(s => (!s.type || /javascript|module/i.test(s.type))
                                               && s.text.includes('alert(')).length,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
    text: document.body.innerText + [...document.querySelectorAll('input, textarea')].map(e => e.value).join(' '),
})"""


def _pages(w) -> dict[str, list[str]]:
    """Who looks at which page. Every page listed shows some of the poisoned content."""
    event_manage = [reverse(f"events:{name}", kwargs={"event_id": w.event.pk})
                    for name in ("manage_event", "schedule", "checkin_desk", "attendance", "edit_event")]
    return {
        "anonymous": [
            "/", w.demand.url, w.achievement.url, w.pilot_base.url, w.challenge.url, w.event.url,
            w.demand.get_parent().url, w.achievement.get_parent().url, w.pilot_base.get_parent().url,
            w.challenge.get_parent().url, w.event.get_parent().url,
            "/search/?q=alert", "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            reverse("transfers:detail", kwargs={"pk": w.transfer.pk}), reverse("transfers:index"),
        ],
        "enterprise": [
            reverse("accounts:dashboard"), reverse("listings:my_listings"),
            reverse("listings:preview", kwargs={"page_id": w.demand_pending.pk}),
            reverse("listings:edit", kwargs={"page_id": w.demand.pk}),
            reverse("challenges:mine"), w.challenge.url,
            reverse("challenges:edit", kwargs={"page_id": w.challenge.pk}),
            reverse("events:my_registrations"), reverse("events:registration", kwargs={"pk": w.registration.pk}),
            reverse("inquiries:inbox"), reverse("inquiries:detail", kwargs={"pk": w.conversation.inquiry_id}),
            reverse("inquiries:conversation", kwargs={"pk": w.conversation.pk}),
            reverse("partner_api_keys:list"),
        ],
        "university": [
            reverse("listings:my_listings"), reverse("listings:edit", kwargs={"page_id": w.achievement.pk}),
            w.challenge.url, w.demand.url,
            reverse("inquiries:inbox"), reverse("inquiries:conversation", kwargs={"pk": w.conversation.pk}),
            reverse("accounts:role_applications"), reverse("transfers:mine"),
        ],
        "agent": [
            reverse("deals:workbench"), reverse("deals:detail", kwargs={"pk": w.deal.pk}),
            reverse("deals:edit", kwargs={"pk": w.deal.pk}), f"{reverse('deals:new')}?demand={w.demand.pk}",
        ],
        "organizer": [reverse("events:manage"), *event_manage, reverse("agreements:new")],
        "bureau": [
            reverse("agreements:list"), reverse("agreements:detail", kwargs={"pk": w.agreement.pk}),
            reverse("dashboard:index"),
            reverse("programs:evaluations"),
            reverse("challenges:subsidy", kwargs={"page_id": w.challenge.pk}),
            # What moderators see in the Wagtail admin.
            "/admin/", f"/admin/pages/{w.demand.get_parent().pk}/",
            f"/admin/pages/{w.demand_pending.pk}/edit/", f"/admin/pages/{w.demand_pending.pk}/view_draft/",
            f"/admin/pages/{w.event.get_parent().pk}/", f"/admin/pages/{w.challenge.pk}/edit/",
            "/admin/snippets/accounts/organization/", "/admin/review-queue/", "/admin/api-keys/",
            "/admin/transfers/dashboard/",
        ],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_markup_typed_into_every_form_is_shown_as_text_on_every_page(live_server, new_page, site):
    world = build_poisoned_world()
    # Only fields with a checked format (e-mail, phone, USCC, http(s) URL) may refuse the payload.
    assert set().union(*world.refused.values()) <= FORMAT_CHECKED
    # The one URL field typed into on the front end refuses a javascript: link.
    assert "online_url" in world.refused["EventForm"]

    problems = []
    for who, paths in _pages(world).items():
        page = new_page()
        dialogs = []
        page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
        if who != "anonymous":
            log_in(page, live_server.url, world.users[who].email, PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            found = page.evaluate(INJECTED)
            where = f"{who} at {path}"
            if response.status != 200:
                problems.append(f"{where}: status {response.status}")
            if dialogs:
                problems.append(f"{where}: a dialog fired: {dialogs}")
                dialogs.clear()
            if found["images"] or found["scripts"] or found["jsLinks"]:
                problems.append(f"{where}: injected markup is live in the DOM: {found | {'text': '…'}}")
            if SCRIPT not in found["text"] and IMG not in found["text"]:
                problems.append(f"{where}: the payload is not shown as text")
    assert not problems, "stored XSS or missing escaping:\n  " + "\n  ".join(problems)

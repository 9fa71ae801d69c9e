"""Who may open which URL, decided for every pattern in the URLconf.

Each row names a URL and what each of seven people gets: anonymous, an enterprise member, a
university member, an agent, an organizer, a member of an unrelated organization, bureau staff.
A URL pattern without a row fails test_every_url_pattern_has_a_decided_row, so a new view cannot be
added without deciding who may open it. Cells where today's code is wrong are written as the
correct rule and marked xfail(strict=True) with the issue that will fix them: they fail loudly once
fixed, and the mark must then go.

To add a row: row("namespace:name", signed_in=200, kwargs=lambda w: {...}, bureau=...). Objects
for the kwargs come from tests/security/world.py.
"""

import pytest
from django.urls import reverse

from .matrix import (
    ADMIN_LOGIN,
    DENY,
    LOGIN,
    NOT_SHOWN,
    REDIRECT,
    SHOWN,
    describe,
    meets,
    row,
    sample_path,
    url_patterns,
)
from .world import ROLES

NOBODY_BUT_BUREAU = dict(signed_in=403, bureau=200)
ADMIN_ONLY = dict(everyone=ADMIN_LOGIN, bureau=200)

ROWS = [
    # --- public site (Wagtail pages) ----------------------------------------------------------
    row("wagtail_serve", 200, label="home", path=lambda w: "/"),
    *[row("wagtail_serve", 200, label=f"live {kind}", path=lambda w, k=kind: getattr(w, f"{k}_live").url)
      for kind in ("demand", "achievement", "pilot_base", "challenge", "event")],
    # Drafts are never served publicly, not even to their owners (who use the preview).
    *[row("wagtail_serve", 404, label=f"draft {kind}", path=lambda w, k=kind: _draft_path(w, k))
      for kind in ("demand", "achievement", "pilot_base", "challenge", "event")],
    # Personal information (个人信息保护法): the publisher's phone is masked for anonymous visitors.
    row("wagtail_serve", 200, label="live demand · contact phone", path=lambda w: w.demand_live.url,
        secret=lambda w: w.demand_live.contact_phone, anonymous=NOT_SHOWN),
    # Applications (proposals, amounts) are for the posting enterprise and the bureau only.
    row("wagtail_serve", NOT_SHOWN, label="live challenge · applications", path=lambda w: w.challenge_live.url,
        secret=lambda w: w.application.proposal, enterprise=SHOWN, university=200, bureau=SHOWN),
    row("wagtailcore_login", 200),
    row("wagtailcore_authenticate_with_password", 404,
        kwargs=lambda w: {"page_view_restriction_id": 999999, "page_id": w.demand_live.pk}),
    row("wagtaildocs_serve", 404, path=lambda w: "/documents/999999/missing.pdf"),
    row("wagtaildocs_authenticate_with_password", 404, kwargs=lambda w: {"restriction_id": 999999}),
    row("set_language", REDIRECT),
    row("search:search", 200),
    # Marking a match 不相关/已联系 is the listing owner's (and the bureau's) word, nobody else's.
    row("search:feedback", signed_in=403, method="POST",
        data=lambda w: {"page": w.demand_live.pk, "other": w.achievement_live.pk, "verdict": "irrelevant"},
        enterprise=REDIRECT, bureau=REDIRECT),
    row("search_api:demand_matches", 200, label="live", kwargs=lambda w: {"page_id": w.demand_live.pk}),
    row("search_api:demand_matches", 404, label="draft", kwargs=lambda w: {"page_id": w.demand_draft.pk}),
    row("search_api:achievement_matches", 200, label="live", kwargs=lambda w: {"page_id": w.achievement_live.pk}),
    row("search_api:achievement_matches", 404, label="draft",
        kwargs=lambda w: {"page_id": w.achievement_draft.pk}),
    # The partner API (issue 13): its schema and docs are public; every operation wants an organization's
    # API key (X-API-Key), and a signed-in session is not one. What each key may do: tests/api/.
    row("partner_api:openapi-json", 200),
    row("partner_api:openapi-view", 200),
    row("partner_api:api-root", 404),
    *[row(f"partner_api:{name}", 401) for name in (
        "list_achievement", "list_demand", "list_pilot_base", "list_challenge", "list_own_listings", "list_events",
        "list_agreements", "targets", "taxonomy")],
    *[row(f"partner_api:{name}", 401, method="POST") for name in (
        "create_achievement", "create_demand", "create_pilot_base")],
    *[row(f"partner_api:{verb}_{kind}", 401, kwargs=lambda w, k=kind: {"listing_id": getattr(w, f"{k}_live").pk})
      for kind in ("achievement", "demand", "pilot_base") for verb in ("get", "update")],
    *[row(f"partner_api:matches_{kind}", 401, kwargs=lambda w, k=kind: {"listing_id": getattr(w, f"{k}_live").pk})
      for kind in ("achievement", "demand")],
    row("partner_api:get_challenge", 401, kwargs=lambda w: {"listing_id": w.challenge_live.pk}),
    row("partner_api:get_own_listing", 401, kwargs=lambda w: {"listing_id": w.demand_draft.pk}),
    row("partner_api:get_event", 401, kwargs=lambda w: {"event_id": w.event_live.pk}),
    row("partner_api:register_for_event", 401, method="POST", kwargs=lambda w: {"event_id": w.event_live.pk}),
    row("partner_api:get_agreement", 401, kwargs=lambda w: {"agreement_id": w.agreement.pk}),
    # Uploads of a listing still in moderation: nothing user-uploaded is served from /media/. (The
    # pattern exists only with DEBUG on; pytest runs with DEBUG off, so here the path must be a 404.)
    row("^media/(?P<path>.*)$", 404, path=lambda w: "/media/" + w.demand_draft.attachment.name),

    # --- accounts (ours and allauth) ----------------------------------------------------------
    row("accounts:dashboard", signed_in=200),
    row("accounts:privacy", 200),
    row("accounts:role_applications", signed_in=200),
    # Someone else's (here: nobody's) role-application evidence is never served.
    row("accounts:role_application_attachment", signed_in=404, kwargs=lambda w: {"pk": 999999}),
    row("accounts:personal_data", signed_in=200),
    row("accounts:erase_account", signed_in=200),
    row("accounts:organization_create", signed_in=200),
    row("account_login", REDIRECT, anonymous=200),
    row("account_signup", REDIRECT, anonymous=200),
    row("account_logout", 200, anonymous=REDIRECT),
    row("account_inactive", 200),
    row("account_reauthenticate", signed_in=200),
    row("account_email", signed_in=200),
    row("account_email_verification_sent", 200),
    row("account_change_password", signed_in=200),
    row("account_set_password", signed_in=REDIRECT),
    row("account_reset_password", 200),
    row("account_reset_password_done", 200),
    row("account_confirm_login_code", REDIRECT, anonymous=LOGIN),
    row("account_confirm_email", 200, kwargs=lambda w: {"key": "forged-key"}),
    row("account_reset_password_from_key", 200, kwargs=lambda w: {"uidb36": "1", "key": "forged-key"}),
    row("account_reset_password_from_key_done", 200),

    # API keys: an organization's admins make and revoke them (a plain member sees the page, without the
    # form); nobody revokes a key they do not administer. Admin-versus-member cases: tests/api/test_keys.py.
    row("partner_api_keys:list", signed_in=200),
    row("partner_api_keys:revoke", signed_in=404, method="POST", kwargs=lambda w: {"pk": 999999}),

    # --- owners' listings ----------------------------------------------------------------------
    row("listings:my_listings", signed_in=200),
    row("listings:create", signed_in=REDIRECT, label="demand", kwargs=lambda w: {"kind": "demand"},
        enterprise=200, other_org=200, bureau=200),
    row("listings:create", signed_in=404, label="unknown kind", kwargs=lambda w: {"kind": "page"}),
    *[row("listings:edit", signed_in=403, label=kind, kwargs=lambda w, k=kind: {"page_id": getattr(w, k).pk},
          bureau=200, **{owner: 200})
      for kind, owner in (("demand_draft", "enterprise"), ("achievement_live", "university"))],
    *[row("listings:preview", signed_in=404, label=kind,
          kwargs=lambda w, k=kind: {"page_id": getattr(w, k).pk}, bureau=200, **{owner: 200})
      for kind, owner in (("demand_draft", "enterprise"), ("pilot_base_draft", "university"))],
    # A draft's attachment: its owners and the bureau only (issue 10).
    row("listings:attachment", signed_in=404, anonymous=404, label="draft",
        kwargs=lambda w: {"page_id": w.demand_draft.pk}, enterprise=200, bureau=200),
    # Revealing a publisher's contact takes membership of a VERIFIED organization (none in this world is;
    # bureau staff see contacts in full anyway). The granted case and its log: tests/accounts/test_contact_reveal.py.
    row("listings:reveal_contact", signed_in=DENY, method="POST", kwargs=lambda w: {"page_id": w.demand_live.pk}),
    row("listings:withdraw", signed_in=403, method="POST", kwargs=lambda w: {"page_id": w.demand_live.pk},
        enterprise=REDIRECT, bureau=REDIRECT),

    # --- challenges ------------------------------------------------------------------------------
    row("challenges:create", signed_in=REDIRECT, enterprise=200, other_org=200, bureau=200),
    row("challenges:mine", signed_in=200),
    row("challenges:edit", signed_in=403, kwargs=lambda w: {"page_id": w.challenge_draft.pk},
        enterprise=200, bureau=200),
    row("challenges:preview", signed_in=404, kwargs=lambda w: {"page_id": w.challenge_draft.pk},
        enterprise=200, bureau=200),
    row("challenges:apply", signed_in=REDIRECT, label="live", kwargs=lambda w: {"page_id": w.challenge_live.pk}),
    row("challenges:apply", signed_in=404, label="draft", kwargs=lambda w: {"page_id": w.challenge_draft.pk}),
    row("challenges:select", signed_in=DENY, method="POST",
        kwargs=lambda w: {"page_id": w.challenge_live.pk, "application_id": w.application.pk},
        enterprise=REDIRECT, bureau=REDIRECT),
    row("challenges:close", signed_in=DENY, method="POST", kwargs=lambda w: {"page_id": w.challenge_live.pk},
        enterprise=REDIRECT, bureau=REDIRECT),
    row("challenges:subsidy", signed_in=403, kwargs=lambda w: {"page_id": w.challenge_live.pk}, bureau=200),

    # --- the agent's deals -----------------------------------------------------------------------
    row("deals:workbench", signed_in=403, agent=200, bureau=200),
    row("deals:new", signed_in=403, agent=200),
    # Opening a deal "from" a draft must not show the draft to the agent.
    row("deals:new", signed_in=403, label="from a draft demand", agent=NOT_SHOWN, secret=lambda w: w.demand_draft.title,
        path=lambda w: reverse("deals:new") + f"?demand={w.demand_draft.pk}"),
    row("deals:from_demand", signed_in=REDIRECT, kwargs=lambda w: {"demand_id": w.demand_live.pk}),
    row("deals:detail", signed_in=DENY, kwargs=lambda w: {"pk": w.deal.pk}, agent=200, bureau=200),
    # An empty move is refused as a bad request, but only after the person was let in.
    row("deals:move", signed_in=DENY, method="POST", kwargs=lambda w: {"pk": w.deal.pk}, agent=400, bureau=400),
    row("deals:edit", signed_in=DENY, kwargs=lambda w: {"pk": w.deal.pk}, agent=200, bureau=200),
    row("deals:adopt", signed_in=DENY, method="POST",
        kwargs=lambda w: {"pk": w.deal.pk, "achievement_id": w.achievement_live.pk}, agent=REDIRECT,
        bureau=REDIRECT),

    # --- agreements and the bureau's dashboard ---------------------------------------------------
    # Issue 8: the register with amounts and parties is the bureau's; others see only their own.
    # Issue 8: the register with amounts and parties is the bureau's; others see only their own.
    row("agreements:list", signed_in=SHOWN, secret=lambda w: w.agreement.title,
        organizer=NOT_SHOWN, other_org=NOT_SHOWN, bureau=SHOWN),
    row("agreements:detail", signed_in=200, kwargs=lambda w: {"pk": w.agreement.pk},
        organizer=DENY, other_org=DENY),
    # Terms are corrected by whoever recorded the agreement (here the deal's agent) and the bureau; every
    # change lands in the audit trail.
    row("agreements:edit", signed_in=DENY, kwargs=lambda w: {"pk": w.agreement.pk}, agent=200, bureau=200),
    # The contract scan: the two parties and the bureau, never the broker or an organizer.
    row("agreements:scan_download", signed_in=DENY, kwargs=lambda w: {"pk": w.agreement.pk},
        enterprise=200, university=200, bureau=200),
    # The actions below, posted empty: whoever cannot see the agreement is turned away before the body is
    # read; those who can see it get 400 for the missing fields. Who may then act, with real bodies, per
    # state and per side: tests/agreements/test_permissions.py.
    *[row(f"agreements:{name}", signed_in=DENY, method="POST", kwargs=lambda w: {"pk": w.agreement.pk},
          anonymous=LOGIN, enterprise=400, university=400, agent=400, bureau=400)
      for name in ("scan_upload", "transition", "confirm", "duplicate")],
    row("agreements:new", signed_in=403, organizer=200, bureau=200),
    row("agreements:import", signed_in=403, organizer=200, bureau=200),
    # The bureau's bulk listing import and its report (the uploader only).
    row("listings:import", signed_in=403, bureau=200),
    row("listings:import_job", signed_in=404, kwargs=lambda w: {"pk": _import_job(w, "listings.import").pk},
        bureau=200),
    # An import's report quotes the uploaded rows: only the uploader (here the bureau user) sees it.
    row("agreements:import_job", signed_in=404, kwargs=lambda w: {"pk": _import_job(w).pk}, bureau=200),
    row("dashboard:index", **NOBODY_BUT_BUREAU),
    row("dashboard:export_agreements", **NOBODY_BUT_BUREAU, kwargs=lambda w: {"fmt": "csv"}),
    row("dashboard:export_monthly", **NOBODY_BUT_BUREAU, kwargs=lambda w: {"fmt": "xlsx"}),
    # The register's Excel export as a job: started by bureau staff (posted empty: every year), watched and
    # downloaded only by whoever started it.
    row("dashboard:export_start", signed_in=403, method="POST", bureau=REDIRECT),
    row("dashboard:export_job", signed_in=404, kwargs=lambda w: {"pk": _import_job(w, "agreements.export").pk},
        bureau=200),
    row("dashboard:export_download", signed_in=404, kwargs=lambda w: {"pk": _import_job(w, "agreements.export").pk},
        bureau=404),

    # --- events --------------------------------------------------------------------------------------
    row("events:register", signed_in=REDIRECT, label="live", kwargs=lambda w: {"event_id": w.event_live.pk},
        university=200, other_org=200),
    row("events:register", signed_in=404, label="draft", kwargs=lambda w: {"event_id": w.event_draft.pk}),
    row("events:my_registrations", signed_in=200),
    row("events:registration", signed_in=404, kwargs=lambda w: {"pk": w.registration.pk},
        enterprise=200, organizer=200, bureau=200),
    row("events:cancel_registration", signed_in=404, method="POST", kwargs=lambda w: {"pk": w.registration.pk},
        enterprise=REDIRECT, organizer=REDIRECT, bureau=REDIRECT),
    row("events:cancel_registration", signed_in=404, label="confirmation page",
        kwargs=lambda w: {"pk": w.registration.pk}, enterprise=200, organizer=200, bureau=200),
    row("events:set_preference", signed_in=404, method="POST", kwargs=lambda w: {"pk": w.registration.pk},
        enterprise=400, organizer=400, bureau=400),
    row("events:checkout", signed_in=DENY, method="POST", kwargs=lambda w: {"pk": w.registration.pk},
        enterprise=REDIRECT),
    row("events:checkin_token", signed_in=403, kwargs=lambda w: {"token": w.checkin_token},
        organizer=200, bureau=200),
    row("events:manage", signed_in=403, organizer=200, bureau=200),
    row("events:create_event", signed_in=403, organizer=200, bureau=200),
    *[row(f"events:{name}", signed_in=403, kwargs=lambda w: {"event_id": w.event_live.pk},
          organizer=200, bureau=200)
      for name in ("manage_event", "schedule", "checkin_desk", "attendance")],
    # 编辑活动: the event's own organizer (another organizer is among signed_in) and bureau staff.
    row("events:edit_event", signed_in=403, kwargs=lambda w: {"event_id": w.event_live.pk},
        organizer=200, bureau=200),
    row("events:export", signed_in=403, kwargs=lambda w: {"event_id": w.event_live.pk, "fmt": "csv"},
        organizer=200, bureau=200),
    row("events:registration_action", signed_in=403, method="POST",
        kwargs=lambda w: {"event_id": w.event_live.pk, "pk": w.registration.pk, "action": "approve"},
        organizer=REDIRECT, bureau=REDIRECT),
    row("events:offline_payment", signed_in=403,
        kwargs=lambda w: {"event_id": w.event_live.pk, "pk": w.registration.pk},
        organizer=200, bureau=200),
    row("events:schedule_action", signed_in=403, method="POST",
        kwargs=lambda w: {"event_id": w.event_live.pk, "action": "publish"},
        organizer=REDIRECT, bureau=REDIRECT),
    row("events:meeting_action", signed_in=403, method="POST",
        kwargs=lambda w: {"event_id": w.event_live.pk, "pk": 999999, "action": "cancel"},
        organizer=404, bureau=404),

    # --- listed transfers (挂牌交易) ----------------------------------------------------------------
    row("transfers:index", 200),
    row("transfers:mine", signed_in=200),
    row("transfers:request", signed_in=403, kwargs=lambda w: {"achievement_id": w.achievement_live.pk},
        university=200, bureau=200),
    row("transfers:detail", 200, label="listed", kwargs=lambda w: {"pk": w.transfer_live.pk}),
    row("transfers:detail", 404, label="pending", kwargs=lambda w: {"pk": w.transfer_pending.pk},
        university=200, bureau=200),
    row("transfers:status", 200, label="listed", kwargs=lambda w: {"pk": w.transfer_live.pk}),
    row("transfers:status", 404, label="pending", kwargs=lambda w: {"pk": w.transfer_pending.pk}),
    # Only a draft (or a returned request) is edited; a pending one is the bureau's to decide.
    row("transfers:edit", signed_in=DENY, kwargs=lambda w: {"pk": w.transfer_pending.pk}),
    row("transfers:documents", signed_in=404, kwargs=lambda w: {"pk": w.transfer_pending.pk},
        university=200, bureau=200),
    # Posted empty: the form is refused with a message on the page (nobody in this world is verified, so
    # nobody could register; the rules with real bodies: tests/transfers/).
    *[row(f"transfers:{name}", signed_in=REDIRECT, method="POST", kwargs=lambda w: {"pk": w.transfer_live.pk})
      for name in ("register", "bid", "objection")],
    row("transfers:withdraw", signed_in=DENY, method="POST", kwargs=lambda w: {"pk": w.transfer_pending.pk},
        university=REDIRECT, bureau=REDIRECT),

    # --- payments ------------------------------------------------------------------------------------
    row("payments:stripe_webhook", 405),

    # --- inquiries and conversations (洽谈) ------------------------------------------------------------
    # The university asked about the enterprise's demand; the enterprise accepted and invited the agent.
    # Whoever is not a party gets 404 (a private conversation's existence is not revealed); bureau staff
    # see only the overview (that conversations exist, and their outcome). Per-state rules with real
    # bodies: tests/inquiries/test_permissions.py.
    row("inquiries:inbox", signed_in=200),
    row("inquiries:overview", signed_in=403, bureau=200),
    row("inquiries:send", signed_in=403, kwargs=lambda w: {"page_id": w.demand_live.pk}),  # no verified org here
    row("inquiries:detail", signed_in=404, kwargs=lambda w: {"pk": w.inquiry_sent.pk},
        secret=lambda w: w.inquiry_sent.message, university=SHOWN, enterprise=SHOWN,
        agent=NOT_SHOWN, organizer=NOT_SHOWN, other_org=NOT_SHOWN, bureau=NOT_SHOWN),
    row("inquiries:conversation", signed_in=404, kwargs=lambda w: {"pk": w.conversation.pk},
        secret=lambda w: w.conversation.inquiry.message, university=SHOWN, enterprise=SHOWN, agent=SHOWN,
        organizer=NOT_SHOWN, other_org=NOT_SHOWN, bureau=NOT_SHOWN),
    row("inquiries:detail", signed_in=404, label="answered", kwargs=lambda w: {"pk": w.conversation.inquiry_id},
        university=200, enterprise=200, agent=200),
    row("inquiries:start_deal", signed_in=404, kwargs=lambda w: {"pk": w.conversation.pk},
        university=403, enterprise=403, agent=REDIRECT),
    # Only the listing's organization answers an inquiry.
    *[row(f"inquiries:{name}", signed_in=404, method="POST", kwargs=lambda w: {"pk": w.inquiry_sent.pk},
          data=lambda w, b=body: b(w), university=403, enterprise=REDIRECT)
      for name, body in (("accept", lambda w: {}), ("decline", lambda w: {"reason": "已独家许可"}),
                         ("refer", lambda w: {"agent": w.users["agent"].pk}), ("block", lambda w: {}))],
    # Only the conversation's parties write in it; contact details are the two organizations' to share.
    *[row(f"inquiries:{name}", signed_in=404, method="POST", kwargs=lambda w: {"pk": w.conversation.pk},
          data=lambda w, b=body: b(w), university=REDIRECT, enterprise=REDIRECT, agent=agent)
      for name, body, agent in (("post_message", lambda w: {"body": "请提供试验数据"}, REDIRECT),
                                ("share_contact", lambda w: {}, 403),
                                ("close", lambda w: {"outcome": "no_deal", "note": ""}, REDIRECT))],
    # This conversation already has its agent: a second invitation is a bad request, but only those let in
    # get that far. Who may invite when there is none: tests/inquiries/test_permissions.py.
    row("inquiries:invite", signed_in=404, method="POST", kwargs=lambda w: {"pk": w.conversation.pk},
        data=lambda w: {"agent": w.users["agent"].pk}, university=400, enterprise=400, agent=400),

    # --- match alerts (marketplace.alerts): one's own only; whose is whose: tests/alerts/test_inbox.py --------
    row("alerts:inbox", signed_in=200),
    row("alerts:settings", signed_in=200),
    row("alerts:mark_read", signed_in=404, method="POST", kwargs=lambda w: {"pk": 999999}),
    row("alerts:mark_all_read", signed_in=REDIRECT, method="POST"),
    # The unsubscribe link works without a login; one not signed by us is a 400 for everyone.
    row("alerts:unsubscribe", 400, kwargs=lambda w: {"token": "not-a-token"}),

    # Abuse: a participant reports a message (its author is refused with a message, so also a redirect);
    # bureau staff suspend and restore accounts. Reading a reported conversation: tests/inquiries/.
    row("inquiries:report", signed_in=404, method="POST", data=lambda w: {"reason": "言语不当"},
        kwargs=lambda w: {"pk": w.conversation.pk, "message_id": w.conversation.messages.first().pk},
        university=REDIRECT, enterprise=REDIRECT, agent=REDIRECT),
    row("inquiries:suspensions", **NOBODY_BUT_BUREAU),
    # Attachments are private files: the parties only (bureau staff after a report: tests/inquiries/).
    row("inquiries:inquiry_attachment", signed_in=404, kwargs=lambda w: {"pk": w.inquiry_sent.pk},
        university=200, enterprise=200),
    row("inquiries:message_attachment", signed_in=404,
        kwargs=lambda w: {"pk": w.conversation.pk, "message_id": w.conversation.messages.first().pk},
        university=200, enterprise=200, agent=200),
    row("inquiries:lift_suspension", signed_in=403, method="POST", kwargs=lambda w: {"pk": w.suspension.pk},
        bureau=REDIRECT),

    # --- pilot-base bookings (中试预约) ----------------------------------------------------------------
    # The enterprise booked the university's live pilot base. Only the two sides see a booking (others 404);
    # each move is one side's (the other side 403). Per-state rules: tests/bookings/test_permissions.py.
    row("bookings:list", signed_in=200),
    row("bookings:request", signed_in=403, kwargs=lambda w: {"page_id": w.pilot_base_live.pk}),  # none verified
    row("bookings:detail", signed_in=404, kwargs=lambda w: {"pk": w.bookings["requested"].pk},
        secret=lambda w: w.bookings["requested"].material, enterprise=SHOWN, university=SHOWN),
    *[row(f"bookings:{name}", signed_in=404, method="POST", kwargs=lambda w, s=state: {"pk": w.bookings[s].pk},
          data=lambda w, b=body: b, label=state, university=university, enterprise=enterprise)
      for name, state, body, university, enterprise in (
          ("confirm", "requested", {}, REDIRECT, 403),
          ("propose", "requested", {"start_date": "2099-01-05", "end_date": "2099-01-06"}, REDIRECT, 403),
          ("decline", "requested", {"reason": "设备检修"}, REDIRECT, 403),
          ("accept", "proposed", {}, 403, REDIRECT),
          ("decline", "proposed", {"reason": "日期不合适"}, 403, REDIRECT),
          ("done", "confirmed", {}, REDIRECT, 403))],

    # --- commissioners, reserve projects, key results (marketplace.programs) ------------------------------
    # Rows for records that exist, per state and per side, are in tests/programs/test_permissions.py; here a
    # record nobody has answers the same to everyone, and the bureau's report, exports and import stay its own.
    row("programs:overview", signed_in=200),
    # Proposing takes membership of a verified organization (none in this world is) or the bureau.
    row("programs:propose_assignment", **NOBODY_BUT_BUREAU),
    row("programs:enter_record", **NOBODY_BUT_BUREAU),
    row("programs:assignment", 404, kwargs=lambda w: {"pk": 999999}),
    row("programs:record", 404, kwargs=lambda w: {"pk": 999999}),
    *[row(f"programs:{name}", signed_in=DENY, method="POST", kwargs=lambda w: {"pk": 999999})
      for name in ("confirm_assignment", "decide_assignment", "decide_record")],
    row("programs:write_log", signed_in=DENY, kwargs=lambda w: {"pk": 999999}),
    row("programs:report", **NOBODY_BUT_BUREAU),
    row("programs:export_report", **NOBODY_BUT_BUREAU, kwargs=lambda w: {"fmt": "csv"}),
    row("programs:import_records", **NOBODY_BUT_BUREAU),
    # A county's view: its technology transfer station's staff (tests/programs/test_counties.py) and the bureau.
    row("programs:my_county", signed_in=403, bureau=REDIRECT),
    row("programs:evaluations", **NOBODY_BUT_BUREAU),
    row("programs:evaluation_report", signed_in=403, bureau=404, kwargs=lambda w: {"pk": 999999}),
    row("programs:county", **NOBODY_BUT_BUREAU, kwargs=lambda w: {"slug": "bincheng"}),

    # --- operations: health for load balancers; metrics for loopback scrapers (the test client is 127.0.0.1)
    # and bureau staff; from elsewhere anyone else gets 403 (tests/tasks/test_health.py) ------------------
    row("healthz", 200),
    row("metrics", 200, label="from loopback"),

    # --- the admins: bureau staff get in; everyone else is covered by the blanket test below -----
    row("wagtailadmin_home", **ADMIN_ONLY),
    row("wagtailadmin_explore_root", **ADMIN_ONLY),
    row("wagtailadmin_pages:edit", **ADMIN_ONLY, kwargs=lambda w: {"page_id": w.demand_draft.pk}),
    row("wagtailadmin_pages:preview_on_edit", **ADMIN_ONLY, kwargs=lambda w: {"page_id": w.demand_draft.pk}),
    row("admin:index", **ADMIN_ONLY),
]


def _import_job(world, kind: str = "agreements.import"):
    """A finished import uploaded by the bureau user, its report quoting a bad row."""
    from jobs.models import Job

    job, _ = Job.objects.get_or_create(kind=kind, created_by=world.users["bureau"], defaults={
        "subject": "matrix", "status": Job.Status.DONE,
        "result": {"created": 0, "failed_rows": 1,
                   "errors": [{"row": 2, "line": 2, "field": "x", "key": "x", "message": "y"}]}})
    return job


def _draft_path(world, kind: str) -> str:
    page = getattr(world, f"{kind}_draft")
    return page.get_parent().url + page.slug + "/"


ADMIN_PREFIXES = ("admin/", "django-admin/")


def _cells():
    for r in ROWS:
        for role in ROLES:
            marks = ()
            if role in r.wrong:
                marks = pytest.mark.xfail(strict=True, reason=r.wrong[role])
            yield pytest.param(r, role, id=f"{r.id}-{role}", marks=marks)


def test_every_url_pattern_has_a_decided_row():
    """A view nobody decided a rule for must not ship: every pattern needs a row (the admin's are
    covered by the blanket admin test below)."""
    decided = {r.name for r in ROWS}
    missing = sorted(f"{p.key}  ({p.route})" for p in url_patterns()
                     if p.key not in decided and not p.route.startswith(ADMIN_PREFIXES))
    assert not missing, "URL patterns without a row in ROWS:\n  " + "\n  ".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize(("r", "role"), list(_cells()))
def test_cell(world, r, role):
    url = r.path(world) if r.path else reverse(r.name, kwargs=r.kwargs(world))
    client = world.client(role)
    body = r.data(world) if r.data else {}
    response = client.post(url, body) if r.method == "POST" else client.get(url)
    secret = r.secret(world) if r.secret else None
    expected = r.expect[role]
    assert meets(response, expected, secret), (
        f"{r.method} {url} ({r.id}) as {role}: expected {expected}, got {describe(response)}")


# Admin pages anyone may open: the sign-in and password-reset pages, and static-like helpers.
ADMIN_PUBLIC = {"wagtailadmin_login", "wagtailadmin_password_reset", "wagtailadmin_password_reset_done",
                "wagtailadmin_password_reset_confirm", "wagtailadmin_password_reset_complete",
                "wagtailadmin_sprite", "wagtailadmin_javascript_catalog",
                "admin:login", "admin:logout", "admin:jsi18n"}


@pytest.mark.django_db
def test_no_one_but_bureau_staff_holds_any_admin_right(world):
    """Why the walk below needs only one signed-in person: the other non-bureau roles hold exactly
    the same admin rights as the organizer, namely none."""
    for role in ROLES:
        user = world.users[role]
        if user is None or role == "bureau":
            continue
        assert not (user.is_staff or user.is_superuser or user.groups.exists() or user.user_permissions.exists()
                    or user.has_perm("wagtailadmin.access_admin")), f"{role} holds an admin right"
    assert world.users["bureau"].has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "organizer"])
def test_admin_is_closed_to_everyone_but_bureau_staff(world, role):
    """Every pattern of the Wagtail and Django admins, with placeholder arguments: only bureau staff
    get past the door, whatever the view behind it."""
    client = world.client(role)
    admin_patterns = [p for p in url_patterns() if p.route.startswith(ADMIN_PREFIXES) and p.key not in ADMIN_PUBLIC]
    assert len(admin_patterns) > 300, "the admins were not found in the URLconf"
    let_in = []
    for pattern in admin_patterns:
        path = sample_path(pattern)
        response = client.get(path)
        if not (meets(response, ADMIN_LOGIN, None) or response.status_code == 403):
            let_in.append(f"{pattern.key} GET {path}: {describe(response)}")
    assert not let_in, f"admin URLs that did not turn {role} away:\n  " + "\n  ".join(let_in)

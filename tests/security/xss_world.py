"""The poisoned world of the XSS journey: every front-end form posted, through the real views, with a
markup payload in each of its free-text fields; listings, challenges and events then approved by
bureau staff as they would be in the Wagtail admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.forms import OrganizationForm, RoleApplicationForm, SignupForm
from accounts.models import Organization, User
from marketplace.agreements.forms import AgreementForm
from marketplace.agreements.models import Agreement
from marketplace.api.forms import ApiKeyForm
from marketplace.challenges.forms import ApplicationForm, ChallengeForm
from marketplace.challenges.models import ChallengePage
from marketplace.deals.forms import DealForm
from marketplace.deals.models import Deal
from marketplace.events.forms import EventForm, RegistrationForm
from marketplace.events.models import EventPage, Registration
from marketplace.inquiries import services as inquiry_services
from marketplace.inquiries.forms import InquiryForm, MessageForm
from marketplace.inquiries.models import Conversation, Inquiry
from marketplace.listings.forms import AchievementForm, DemandForm, PilotBaseForm
from marketplace.listings.models import LISTING_MODELS, AchievementPage, DemandPage, PilotBasePage
from marketplace.programs.forms import EvaluationForm
from tests.events.builders import event_rows, participant_rows
from tests.factories import county, field, make_uscc, make_user
from tests.listings.helpers import approve

from .poison import PAYLOAD, poisoned_post

PASSWORD = "Str0ng-pass!"
CONTACT = {"contact_name": "张工", "contact_phone": "13800000000", "contact_email": "zhang@example.cn"}


@dataclass
class PoisonedWorld:
    users: dict[str, User]
    enterprise: Organization
    university: Organization
    demand: DemandPage           # live
    demand_pending: DemandPage   # awaiting moderation
    achievement: AchievementPage
    pilot_base: PilotBasePage
    challenge: ChallengePage
    event: EventPage
    registration: Registration
    deal: Deal
    agreement: Agreement
    conversation: Conversation   # about the achievement, accepted by the university
    refused: dict[str, set[str]]  # form -> fields whose validation refused markup
    transfer: object = None       # the university's listed transfer of the result, approved


def _person(role: str) -> User:
    """Signed up with a poisoned display name: the sign-up form accepts it as a name."""
    name_field = SignupForm.base_fields["display_name"]
    return make_user(role, email=f"xss-{role}@example.com", password=PASSWORD,
                     display_name=name_field.clean(PAYLOAD))


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def build_poisoned_world() -> PoisonedWorld:
    users = {role: _person(role) for role in ("enterprise", "university", "agent", "organizer", "bureau")}
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    refused: dict[str, set[str]] = {}

    def post(role: str, url: str, form_class, base: dict, keep=(), **form_kwargs):
        _, refused[form_class.__name__] = poisoned_post(clients[role], url, form_class, base, keep, **form_kwargs)

    where = {"field": field("aluminium").pk, "county": county("bincheng").pk}
    orgs = {}
    for role, kind in (("enterprise", "enterprise"), ("university", "university")):
        post(role, reverse("accounts:organization_create"), OrganizationForm,
             {"name": "机构", "kind": kind, "uscc": make_uscc(), "county": where["county"], **CONTACT})
        orgs[role] = Organization.objects.get(memberships__user=users[role])
        orgs[role].verified = True  # the bureau's verification, which tests/accounts covers
        orgs[role].save(update_fields=["verified"])
    ent, uni = orgs["enterprise"].pk, orgs["university"].pk

    def listing(role, model, form_class, base, keep=(), publish=True):
        kind = {model: kind for kind, model in LISTING_MODELS.items()}[model]
        post(role, reverse("listings:create", kwargs={"kind": kind}),
             form_class, {**where, **CONTACT, "keywords": "铝合金", **base}, keep, user=users[role])
        page = model.objects.order_by("-pk").first()
        if publish:
            assert approve(clients["bureau"], page).status_code == 302
            page.refresh_from_db()
        return page

    demand_base = {"title": "需求", "organization": ent, "description": "说明", "budget_min": "300000",
                   "budget_max": "1000000", "cooperation_modes": ["co_development"]}
    demand = listing("enterprise", DemandPage, DemandForm, demand_base)
    demand_pending = listing("enterprise", DemandPage, DemandForm, demand_base, publish=False)
    achievement = listing("university", AchievementPage, AchievementForm, {
        "title": "成果", "organization": uni, "summary": "摘要", "detail": "详情", "trl": "6",
        "transfer_modes": ["license"], "price": "800000",
        "ip_items_text": f"发明专利 ZL202110123456.7 {PAYLOAD}"}, keep=("ip_items_text",))
    pilot_base = listing("university", PilotBasePage, PilotBaseForm, {
        "title": "中试基地", "organization": uni, "capabilities": "熔铸", "equipment": "挤压机",
        "industries": [where["field"]], "capacity": "50批次", "fees": "面议"})

    post("enterprise", reverse("challenges:create"), ChallengeForm, {
        **where, **CONTACT, "title": "榜单", "organization": ent, "keywords": "压铸", "problem": "难题",
        "goals": "目标", "bounty": "1500000",
        "application_deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}, user=users["enterprise"])
    challenge = ChallengePage.objects.order_by("-pk").first()
    assert approve(clients["bureau"], challenge).status_code == 302
    challenge.refresh_from_db()
    post("university", reverse("challenges:apply", kwargs={"page_id": challenge.pk}), ApplicationForm,
         {"organization": uni, "team_lead": "王教授", "proposed_amount": "1200000", "proposal": "方案"},
         user=users["university"], challenge=challenge)

    starts = timezone.now() + dt.timedelta(days=20)
    post("organizer", reverse("events:create_event"), EventForm, {
        "title": "对接会", "event_type": "matchmaking", "summary": "简介", "starts_at": _local(starts),
        "ends_at": _local(starts + dt.timedelta(hours=6)), "venue": "科技馆",
        "online_url": "https://meeting.example.cn/room", "county": where["county"], "capacity": "10",
        "registration_opens_at": _local(timezone.now() - dt.timedelta(days=1)),
        "registration_closes_at": _local(starts - dt.timedelta(days=1)), "when_full": "waitlist",
        "refund_full_days_before": "3", "slot_count": "4", "slot_minutes": "20", "table_count": "3",
        "first_slot_at": _local(starts + dt.timedelta(hours=1)), "max_meetings_per_participant": "3",
        **event_rows([{"name": PAYLOAD, "price": "0", "description": PAYLOAD}],
                     [{"starts_at": _local(starts + dt.timedelta(hours=1)), "title": PAYLOAD,
                       "speaker": PAYLOAD, "place": PAYLOAD}],
                     [{"name": PAYLOAD, "affiliation": PAYLOAD, "title": PAYLOAD}])})
    event = EventPage.objects.order_by("-pk").first()
    assert approve(clients["bureau"], event).status_code == 302
    event.refresh_from_db()
    post("enterprise", reverse("events:register", kwargs={"event_id": event.pk}), RegistrationForm, {
        "organization": ent, "ticket": event.ticket_types.first().pk,
        **participant_rows([{"name": PAYLOAD, "title": PAYLOAD, "phone": "13800000001"}]),
        "contact_email": "li@example.cn", "offers": "", "seeks": ""}, event=event, user=users["enterprise"])

    post("agent", reverse("deals:new"), DealForm, {"title": "商机", "enterprise": ent, "academic": uni,
                                                   "demand": demand.pk, "notes": ""}, agent=users["agent"])
    post("bureau", reverse("agreements:new"), AgreementForm, {
        **where, "title": "合同", "agreement_type": "development", "amount": "300000",
        "signed_on": timezone.localdate().isoformat(), "notes": "",
        "enterprises": [ent], "academics": [uni]})

    # 在线洽谈: the enterprise asks about the result, the university accepts, and both write in it.
    post("enterprise", reverse("inquiries:send", kwargs={"page_id": achievement.pk}), InquiryForm,
         {"sender_org": ent, "need": "需求", "message": "留言"}, user=users["enterprise"], listing=achievement)
    conversation = inquiry_services.accept_inquiry(user=users["university"], inquiry=Inquiry.objects.get())
    post("university", reverse("inquiries:post_message", kwargs={"pk": conversation.pk}), MessageForm,
         {"body": "回复"})
    # A role application: typed by the applicant, read by bureau staff in their review queue.
    post("university", reverse("accounts:role_applications"), RoleApplicationForm,
         {"role": "agent", "organization": uni, "reason": "理由"}, user=users["university"])
    # An API key named by the enterprise's admin: listed on the admin's key page and to bureau staff.
    post("enterprise", reverse("partner_api_keys:list"), ApiKeyForm,
         {"organization": ent, "name": "密钥", "scopes": ["read"], "rate_limit": "60"}, user=users["enterprise"])

    # A listed transfer of the result: its terms are the institute's words on the public page.
    from marketplace.transfers.forms import ListingForm as TransferListingForm
    from marketplace.transfers.models import TransferListing

    post("university", reverse("transfers:request", kwargs={"achievement_id": achievement.pk}), TransferListingForm,
         {"mode": "transfer", "reserve_price": "100000", "bid_increment": "5000", "deposit_amount": "20000",
          "window_days": "20", "publicity_days": "5", "agent": users["agent"].pk, "terms": "条件"})
    transfer = TransferListing.objects.get()
    assert clients["bureau"].post(f"/admin/transfers/{transfer.pk}/approve/").status_code == 302

    # 科技成果评价: bureau staff type the evaluator and report number; the level is a badge on the result.
    post("bureau", reverse("programs:evaluations"), EvaluationForm, {
        "achievement": achievement.pk, "evaluator": "评价机构", "evaluated_on": "2023-06-01", "level": "1",
        "report_number": "A-1"})

    return PoisonedWorld(
        users=users, enterprise=orgs["enterprise"], university=orgs["university"], demand=demand,
        demand_pending=demand_pending, achievement=achievement, pilot_base=pilot_base, challenge=challenge,
        event=event, registration=Registration.objects.get(event=event), deal=Deal.objects.get(),
        agreement=Agreement.objects.get(), conversation=conversation, refused=refused, transfer=transfer)

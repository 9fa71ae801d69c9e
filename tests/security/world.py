"""One cast of people and one object of every kind, built once per test module: the authorization
matrix and the XSS journey both ask "who may see what" of the same small world."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.test import Client

from accounts.models import Organization, User
from marketplace.agreements.models import Agreement
from marketplace.bookings.models import Booking, Equipment
from marketplace.challenges.models import ChallengeApplication, ChallengePage
from marketplace.deals.models import Deal
from marketplace.events.models import EventPage, Registration
from marketplace.inquiries.models import Conversation, Inquiry, Suspension
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# The people of the matrix, in the order its rows list them.
ROLES = ("anonymous", "enterprise", "university", "agent", "organizer", "other_org", "bureau")


@dataclass
class World:
    users: dict[str, User | None]
    enterprise: Organization          # the enterprise member's organization
    university: Organization          # the university member's organization
    other_org: Organization           # an unrelated enterprise; its member owns nothing below
    demand_live: DemandPage
    demand_draft: DemandPage          # submitted for moderation, never approved
    achievement_live: AchievementPage
    achievement_draft: AchievementPage
    pilot_base_live: PilotBasePage
    pilot_base_draft: PilotBasePage
    challenge_live: ChallengePage
    challenge_draft: ChallengePage
    application: ChallengeApplication
    event_live: EventPage             # run by the organizer
    event_draft: EventPage
    registration: Registration        # the enterprise's registration for event_live
    checkin_token: str
    deal: Deal                        # the agent's deal between enterprise and university
    agreement: Agreement              # signed in that deal
    inquiry_sent: Inquiry             # the university asks about the enterprise's live demand, unanswered
    conversation: Conversation        # a second such inquiry, accepted by the enterprise, agent invited
    clients: dict[str, Client] = field(default_factory=dict)
    transfer_live: object = None      # the university's listed transfer, open for bids
    transfer_pending: object = None   # another of its results, waiting for the bureau (with documents)
    # The enterprise's trial-run bookings at the university's live pilot base, one per state a move starts from.
    bookings: dict[str, Booking] = field(default_factory=dict)
    suspension: Suspension | None = None  # a throwaway account the bureau suspended

    def client(self, role: str) -> Client:
        return self.clients[role]

    def sign_in_everyone(self) -> None:
        """One client per role, signed in while the world is built: a session made inside a test would
        be rolled back with that test."""
        for role, user in self.users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[role] = client


def build_world() -> World:
    from cms.site_setup import ensure_site_structure
    from marketplace.deals.stages import Stage
    from marketplace.events import checkin
    from marketplace.listings.services import create_listing
    from tests.challenges.builders import apply_as, challenge_data, published_challenge
    from tests.cms.builders import publish_listing
    from tests.deals.builders import deal_at
    from tests.events.builders import make_event, register
    from tests.factories import achievement_data, demand_data, make_org, make_user, pilot_base_data

    ensure_site_structure()
    users: dict[str, User | None] = {"anonymous": None}
    for role, platform_role in [("enterprise", "enterprise"), ("university", "university"), ("agent", "agent"),
                                ("organizer", "organizer"), ("other_org", "enterprise"), ("bureau", "bureau")]:
        users[role] = make_user(platform_role, email=f"{role}@example.com")
    enterprise = make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[users["enterprise"]])
    university = make_org("university", name="滨州学院", members=[users["university"]])
    other_org = make_org("enterprise", name="无棣县纺织有限公司", members=[users["other_org"]])

    from marketplace.challenges.services import create_challenge

    challenge_live = published_challenge(users["enterprise"], enterprise)
    event_live = make_event(organizer=users["organizer"])
    registration = register(event_live, user=users["enterprise"], org=enterprise)
    deal = deal_at(Stage.AGREEMENT_SIGNED, agent=users["agent"], enterprise=enterprise, academic=university)
    world = World(
        users=users, enterprise=enterprise, university=university, other_org=other_org,
        demand_live=publish_listing(DemandPage, demand_data(enterprise, title="已发布的技术需求",
                                                            contact_phone="13912341234")),
        demand_draft=create_listing(user=users["enterprise"], model=DemandPage,
                                    data=demand_data(enterprise, title="待审核的技术需求草稿",
                                                     attachment=ContentFile(PDF, name="spec.pdf"))),
        achievement_live=publish_listing(AchievementPage, achievement_data(university, title="已发布的科技成果")),
        achievement_draft=create_listing(user=users["university"], model=AchievementPage,
                                         data=achievement_data(university, title="待审核的科技成果草稿")),
        pilot_base_live=publish_listing(PilotBasePage, pilot_base_data(university, title="已发布的中试基地")),
        pilot_base_draft=create_listing(user=users["university"], model=PilotBasePage,
                                        data=pilot_base_data(university, title="待审核的中试基地草稿")),
        challenge_live=challenge_live,
        challenge_draft=create_challenge(user=users["enterprise"],
                                         data=challenge_data(enterprise, title="待审核的揭榜挂帅草稿")),
        application=apply_as(challenge_live, users["university"], university),
        event_live=event_live,
        event_draft=make_event(organizer=users["organizer"], publish=False, title="待审核的活动草稿"),
        registration=registration,
        checkin_token=checkin.make_token(registration.participants.first()),
        deal=deal,
        agreement=Agreement.objects.get(deal=deal),
        inquiry_sent=None, conversation=None,
    )
    world.inquiry_sent, world.conversation = _inquiries(world)
    world.bookings = _bookings(world)
    world.suspension = _suspension(world)
    world.agreement.contract_scan.save("contract.pdf", ContentFile(PDF), save=True)
    world.transfer_live, world.transfer_pending = _transfers(world)
    world.sign_in_everyone()
    return world


def _transfers(world: World) -> tuple:
    from decimal import Decimal

    from marketplace.transfers import services
    from tests.cms.builders import publish_listing
    from tests.factories import achievement_data

    terms = {"mode": "transfer", "reserve_price": Decimal("100000"), "bid_increment": Decimal("5000"),
             "deposit_amount": Decimal("20000"), "agent": world.users["agent"]}
    university = world.users["university"]
    live = services.request_listing(user=university, achievement=world.achievement_live, data=terms)
    live = services.approve(user=world.users["bureau"], listing=live)
    other = publish_listing(AchievementPage, achievement_data(world.university, title="待审核挂牌的科技成果"))
    pending = services.request_listing(user=university, achievement=other,
                                       data={**terms, "documents": ContentFile(PDF, name="terms.pdf")})
    return live, pending


def _inquiries(world: World) -> tuple[Inquiry, Conversation]:
    """Written directly: sending needs a verified organization, and verifying this world's university
    would change what it may do elsewhere in the matrix."""
    from marketplace.inquiries import services

    def ask(message: str) -> Inquiry:
        return Inquiry.objects.create(
            listing=world.demand_live, listing_title=world.demand_live.title, sender=world.users["university"],
            sender_org=world.university, recipient_org=world.enterprise, need="铝合金减重方案",
            message=message)

    pending = ask("贵司的需求我院可以承接，请问预算范围？")
    pending.attachment.save("方案.pdf", ContentFile(PDF), save=True)
    conversation = services.accept_inquiry(user=world.users["enterprise"], inquiry=ask("我院有现成的轻量化方案"))
    services.invite_agent(user=world.users["enterprise"], conversation=conversation, agent=world.users["agent"])
    services.post_message(user=world.users["university"], conversation=conversation, body="方案报价见附件说明",
                          attachment=ContentFile(PDF, name="报价.pdf"))
    return pending, conversation


def _bookings(world: World) -> dict[str, Booking]:
    """Written directly: requesting needs a verified enterprise (see _inquiries). The confirmed one began
    yesterday, so its operator may mark it done."""
    from datetime import timedelta

    from django.utils import timezone

    press = Equipment.objects.create(base=world.pilot_base_live, name="500吨挤压机")
    today = timezone.localdate()

    def book(status: str, start: int) -> Booking:
        day = today + timedelta(days=start)
        return Booking.objects.create(
            base=world.pilot_base_live, equipment=press, enterprise=world.enterprise, operator=world.university,
            requested_by=world.users["enterprise"], requested_start=day, requested_end=day, start_date=day,
            end_date=day, material="7075铝合金挤压试料", quantity="3吨", status=status)

    return {"requested": book("requested", 10), "proposed": book("proposed", 20), "confirmed": book("confirmed", -1)}


def _suspension(world: World) -> Suspension:
    from marketplace.inquiries import services
    from tests.factories import make_user

    return services.suspend(by=world.users["bureau"], user=make_user("enterprise", email="spam@example.com"),
                            reason="批量发送广告")

"""Reads for inquiries and conversations, and who may see or do what with them. Never writes."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.db.models import Q, QuerySet
from wagtail.models import Page

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, PlatformRole, User
from accounts.permissions import is_bureau, organization_ids_for
from marketplace.core.submissions import FormSubmission
from marketplace.listings.models import AchievementPage, DemandPage, ListingPage, PilotBasePage

from .models import Conversation, Inquiry, Message, ReadReceipt
from .states import ANSWERED_BY_AGENT, ANSWERED_BY_RECIPIENT


def inquirable_listing(page_id: int) -> ListingPage | None:
    """A live listing of any type (result, demand, pilot base, challenge) that has an owner organization."""
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        return None
    specific = page.specific
    return specific if isinstance(specific, ListingPage) else None


def verified_organizations(user) -> QuerySet[Organization]:
    if not user or not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user, verified=True).distinct()


def sender_organizations(user, listing: ListingPage) -> QuerySet[Organization]:
    """The user's verified organizations that may ask about this listing (never its own owner)."""
    return verified_organizations(user).exclude(pk=listing.organization_id)


def can_inquire(user, listing: ListingPage) -> bool:
    return sender_organizations(user, listing).exists()


def agents() -> QuerySet[User]:
    return User.objects.filter(role=PlatformRole.AGENT, is_active=True).order_by("display_name", "email")


def role_in_inquiry(user, inquiry: Inquiry) -> str | None:
    """"sender", "recipient" or "agent" for the people an inquiry concerns; None for everyone else."""
    if not user or not user.is_authenticated:
        return None
    orgs = organization_ids_for(user)
    if inquiry.recipient_org_id in orgs:
        return "recipient"
    if inquiry.sender_org_id in orgs:
        return "sender"
    agent_id = inquiry.agent_id
    conversation = Conversation.objects.filter(inquiry=inquiry).only("agent_id").first()
    if user.pk == agent_id or (conversation is not None and conversation.agent_id == user.pk):
        return "agent"
    return None


def can_answer(user, inquiry: Inquiry) -> bool:
    role = role_in_inquiry(user, inquiry)
    if inquiry.status in ANSWERED_BY_RECIPIENT:
        return role == "recipient"
    if inquiry.status in ANSWERED_BY_AGENT:
        return user.pk == inquiry.agent_id
    return False


def is_participant(user, conversation: Conversation) -> bool:
    """Members of either organization and the invited agent. Bureau staff are not participants."""
    if not user or not user.is_authenticated:
        return False
    if conversation.agent_id == user.pk:
        return True
    inquiry = conversation.inquiry
    return bool({inquiry.sender_org_id, inquiry.recipient_org_id} & organization_ids_for(user))


def participants(conversation: Conversation) -> list[User]:
    inquiry = conversation.inquiry
    users = list(User.objects.filter(
        memberships__organization_id__in=[inquiry.sender_org_id, inquiry.recipient_org_id]).distinct())
    if conversation.agent_id and conversation.agent not in users:
        users.append(conversation.agent)
    return users


def _mine(user) -> Q:
    orgs = organization_ids_for(user)
    return Q(sender_org_id__in=orgs) | Q(recipient_org_id__in=orgs) | Q(agent=user) | Q(conversation__agent=user)


@dataclass
class InboxRow:
    inquiry: Inquiry
    direction: str  # "received", "sent" or "referred"
    unread: int


def inbox(user) -> list[InboxRow]:
    orgs = organization_ids_for(user)
    rows = []
    qs = (Inquiry.objects.filter(_mine(user)).distinct()
          .select_related("sender_org", "recipient_org", "agent", "conversation"))
    for inquiry in qs:
        if inquiry.recipient_org_id in orgs:
            direction = "received"
        elif inquiry.sender_org_id in orgs:
            direction = "sent"
        else:
            direction = "referred"
        conversation = getattr(inquiry, "conversation", None)
        rows.append(InboxRow(inquiry, direction, unread_count(conversation, user) if conversation else 0))
    return rows


def unread_count(conversation: Conversation, user: User) -> int:
    receipt = ReadReceipt.objects.filter(conversation=conversation, user=user).first()
    messages = conversation.messages.exclude(author=user)
    if receipt is not None and receipt.last_read_at is not None:
        messages = messages.filter(created_at__gt=receipt.last_read_at)
    return messages.count()


@dataclass
class ThreadMessage:
    message: Message
    read_by: list[User]


def thread(conversation: Conversation) -> list[ThreadMessage]:
    """Every message with the participants (other than its author) who have read it."""
    receipts = list(ReadReceipt.objects.filter(conversation=conversation).select_related("user"))
    return [
        ThreadMessage(message, [r.user for r in receipts if r.user_id != message.author_id
                                and r.last_read_at and r.last_read_at >= message.created_at])
        for message in conversation.messages.select_related("author")
    ]


def overview() -> QuerySet[Inquiry]:
    """For bureau staff: that inquiries and conversations exist and how they ended — not what was said."""
    return (Inquiry.objects.select_related("sender_org", "recipient_org", "conversation")
            .only("pk", "listing_title", "status", "created_at", "answered_at", "sender_org__name",
                  "recipient_org__name", "conversation__status", "conversation__outcome",
                  "conversation__opened_at", "conversation__closed_at"))


def can_see_overview(user) -> bool:
    return is_bureau(user)


def deal_prefill(conversation: Conversation) -> dict[str, str]:
    """Query parameters for the deals app's create form: both organizations, the listing, a title."""
    inquiry = conversation.inquiry
    params: dict[str, str] = {"title": inquiry.listing_title, "conversation": str(conversation.pk)}
    for org in (inquiry.sender_org, inquiry.recipient_org):
        if org.kind == OrganizationKind.ENTERPRISE and "enterprise" not in params:
            params["enterprise"] = str(org.pk)
        elif org.kind in ACADEMIC_KINDS and "academic" not in params:
            params["academic"] = str(org.pk)
    listing = inquiry.listing.specific if inquiry.listing_id else None
    if isinstance(listing, DemandPage):
        params["demand"] = str(listing.pk)
    elif isinstance(listing, AchievementPage):
        params["achievement"] = str(listing.pk)
    elif isinstance(listing, PilotBasePage):
        params["pilot_base"] = str(listing.pk)
    return params


def already_submitted(token: str | None, user) -> bool:
    """The form with this one-time token went through before (a double click or a Back-resubmit)."""
    return bool(token) and FormSubmission.objects.filter(token=token, user=user).exists()


@dataclass
class ResponseTime:
    median_hours: float | None  # None until the organization has answered at least once
    answered: int
    waiting: int


def response_time(organization_ids: set[int]) -> ResponseTime:
    """Median hours from an inquiry's arrival to its first answer, over the organizations' received
    inquiries; shown to owners as a nudge. Unanswered inquiries are counted apart, not as zero."""
    received = Inquiry.objects.filter(recipient_org_id__in=organization_ids)
    spans = [(answered - created).total_seconds() / 3600 for created, answered in
             received.filter(answered_at__isnull=False).values_list("created_at", "answered_at")]
    return ResponseTime(median_hours=round(median(spans), 1) if spans else None, answered=len(spans),
                        waiting=received.filter(answered_at__isnull=True).count())


def bureau_may_read(user, conversation: Conversation) -> bool:
    """Bureau staff read a conversation's content only once a participant reported one of its messages."""
    from .models import MessageReport

    return is_bureau(user) and MessageReport.objects.filter(message__conversation=conversation).exists()


def reported_conversations() -> QuerySet[Conversation]:
    return (Conversation.objects.filter(messages__reports__isnull=False).distinct()
            .select_related("inquiry__sender_org", "inquiry__recipient_org"))


def suspensions():
    from .models import Suspension

    return Suspension.objects.select_related("user", "by", "lifted_by")


def inquiry_by_id(pk: int) -> Inquiry | None:
    return Inquiry.objects.select_related("sender_org", "recipient_org", "agent").filter(pk=pk).first()


def conversation_of(inquiry: Inquiry) -> Conversation | None:
    return Conversation.objects.filter(inquiry=inquiry).first()


def conversation_by_id(pk: int) -> Conversation | None:
    return (Conversation.objects.select_related("inquiry__sender_org", "inquiry__recipient_org", "agent")
            .filter(pk=pk).first())

"""Sending an inquiry and answering it: accept (a conversation opens), decline, refer to an agent."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, PlatformRole, User
from marketplace.core.one_time import claim_submission
from marketplace.listings.models import ListingPage

from .. import selectors
from ..models import Conversation, Inquiry, SenderBlock
from ..states import INQUIRY_MACHINE, InquiryStatus
from . import notify


@transaction.atomic
def send_inquiry(*, user: User, listing: ListingPage, sender_org: Organization, need: str, message: str,
                 submission_token: str | None = None, attachment=None) -> Inquiry:
    if not selectors.sender_organizations(user, listing).filter(pk=sender_org.pk).exists():
        raise PermissionDenied(_("只有已认证机构的成员才能代表本机构发送咨询。"))
    _check_abuse_rules(user, sender_org, listing)
    claim_submission(submission_token, user)
    inquiry = Inquiry(listing=listing, listing_title=listing.title, sender=user, sender_org=sender_org,
                      recipient_org=listing.organization, need=need.strip(), message=message.strip(),
                      attachment=attachment)
    inquiry.full_clean()
    inquiry.save()
    notify.inquiry_received(inquiry)
    return inquiry


def daily_limit() -> int:
    """How many inquiries one person may send in 24 hours (INQUIRY_DAILY_LIMIT); a guard against spam."""
    return int(getattr(settings, "INQUIRY_DAILY_LIMIT", 20))


def _check_abuse_rules(user: User, sender_org: Organization, listing: ListingPage) -> None:
    if SenderBlock.objects.filter(organization_id=listing.organization_id, blocked=sender_org).exists():
        raise PermissionDenied(_("发布机构暂不接受本机构的咨询。"))
    since = timezone.now() - timedelta(hours=24)
    if Inquiry.objects.filter(sender=user, created_at__gte=since).count() >= daily_limit():
        raise ValidationError(_("24小时内最多发送 %(n)d 条咨询，请稍后再试。") % {"n": daily_limit()})


@transaction.atomic
def block_sender(*, user: User, inquiry: Inquiry) -> SenderBlock:
    """The listing's organization stops hearing from the inquiry's sender organization."""
    if selectors.role_in_inquiry(user, inquiry) != "recipient":
        raise PermissionDenied(_("只有发布机构可以屏蔽咨询机构。"))
    block, _created = SenderBlock.objects.get_or_create(
        organization=inquiry.recipient_org, blocked=inquiry.sender_org, defaults={"by": user})
    return block


def _locked(inquiry_id: int) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry_id)


def _move(inquiry: Inquiry, user: User, target: str) -> None:
    if not selectors.can_answer(user, inquiry):
        raise PermissionDenied(_("您无权答复这条咨询。"))
    # Saved by the caller, with the fields the answer sets alongside.
    inquiry.status = INQUIRY_MACHINE.check(inquiry.status, target).target
    inquiry.answered_by = user
    # Response time is measured to the first answer, so a later answer (after a referral) keeps it.
    inquiry.answered_at = inquiry.answered_at or timezone.now()


@transaction.atomic
def accept_inquiry(*, user: User, inquiry: Inquiry) -> Conversation:
    inquiry = _locked(inquiry.pk)
    _move(inquiry, user, InquiryStatus.ACCEPTED)
    inquiry.save(update_fields=["status", "answered_by", "answered_at"])
    conversation = Conversation.objects.create(inquiry=inquiry, agent=inquiry.agent)
    notify.inquiry_answered(inquiry)
    return conversation


@transaction.atomic
def decline_inquiry(*, user: User, inquiry: Inquiry, reason: str) -> Inquiry:
    inquiry = _locked(inquiry.pk)
    _move(inquiry, user, InquiryStatus.DECLINED)
    inquiry.decline_reason = reason.strip()
    inquiry.full_clean()
    inquiry.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
    notify.inquiry_answered(inquiry)
    return inquiry


@transaction.atomic
def refer_inquiry(*, user: User, inquiry: Inquiry, agent: User) -> Inquiry:
    inquiry = _locked(inquiry.pk)
    if agent.role != PlatformRole.AGENT:
        raise ValidationError({"agent": _("只能转交给技术经纪人。")})
    _move(inquiry, user, InquiryStatus.REFERRED)
    inquiry.agent = agent
    inquiry.full_clean()
    inquiry.save(update_fields=["status", "answered_by", "answered_at", "agent"])
    notify.inquiry_referred(inquiry)
    return inquiry

"""E-mail sent by inquiries, through Django's mail API, after the write has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organization, User

from ..models import Inquiry


def organization_addresses(org: Organization) -> list[str]:
    addresses = {u.email for u in User.objects.filter(memberships__organization=org, is_active=True) if u.email}
    if org.contact_email:
        addresses.add(org.contact_email)
    return sorted(addresses)


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send_after_commit(subject: str, body: str, to: list[str]) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to))


def inquiry_received(inquiry: Inquiry) -> None:
    link = absolute(reverse("inquiries:detail", args=[inquiry.pk]))
    body = _("%(org)s 就“%(title)s”向贵机构发来咨询：\n\n%(need)s\n\n%(message)s\n\n请登录平台答复：%(link)s") % {
        "org": inquiry.sender_org.name, "title": inquiry.listing_title, "need": inquiry.need,
        "message": inquiry.message, "link": link}
    _send_after_commit(_("新咨询：%(title)s") % {"title": inquiry.listing_title}, body,
                       organization_addresses(inquiry.recipient_org))


def inquiry_answered(inquiry: Inquiry) -> None:
    link = absolute(reverse("inquiries:detail", args=[inquiry.pk]))
    body = _("您就“%(title)s”发出的咨询状态已更新为：%(status)s。\n\n详情：%(link)s") % {
        "title": inquiry.listing_title, "status": inquiry.get_status_display(), "link": link}
    _send_after_commit(_("咨询答复：%(title)s") % {"title": inquiry.listing_title}, body,
                       organization_addresses(inquiry.sender_org))


def inquiry_referred(inquiry: Inquiry) -> None:
    link = absolute(reverse("inquiries:detail", args=[inquiry.pk]))
    body = _("%(org)s 将一条关于“%(title)s”的咨询转交给您处理。\n\n详情：%(link)s") % {
        "org": inquiry.recipient_org.name, "title": inquiry.listing_title, "link": link}
    _send_after_commit(_("转交咨询：%(title)s") % {"title": inquiry.listing_title}, body,
                       [inquiry.agent.email] if inquiry.agent.email else [])

"""An inquiry about a listing (result, demand, pilot base or challenge), the conversation (洽谈) it opens
when accepted, its messages and each participant's read receipt. States live in states.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PlatformRole
from accounts.private_files import PrivateFileField
from marketplace.listings.validators import validate_attachment

from .states import ConversationStatus, InquiryStatus, Outcome

MESSAGE_MAX = 2000


class Inquiry(models.Model):
    listing = models.ForeignKey("wagtailcore.Page", verbose_name=_("咨询的信息"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    # Kept because a listing can be withdrawn or renamed after the inquiry was sent.
    listing_title = models.CharField(_("信息标题"), max_length=255)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.PROTECT,
                               related_name="sent_inquiries")
    sender_org = models.ForeignKey("accounts.Organization", verbose_name=_("咨询机构"), on_delete=models.PROTECT,
                                   related_name="sent_inquiries")
    recipient_org = models.ForeignKey("accounts.Organization", verbose_name=_("发布机构"),
                                      on_delete=models.PROTECT, related_name="received_inquiries")
    need = models.CharField(_("需求内容"), max_length=200)
    message = models.TextField(_("留言"), max_length=MESSAGE_MAX)
    # Private: served only to the participants (and bureau staff once a message was reported).
    attachment = PrivateFileField(_("附件"), upload_to="inquiries/%Y/%m/", blank=True,
                                  validators=[validate_attachment])
    status = models.CharField(_("状态"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.SENT,
                              db_index=True)
    decline_reason = models.TextField(_("婉拒原因"), blank=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("技术经纪人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="referred_inquiries")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")

    def __str__(self) -> str:
        return f"{self.sender_org} → {self.listing_title}"

    def clean(self) -> None:
        errors = {}
        if self.sender_org_id and self.sender_org_id == self.recipient_org_id:
            errors["sender_org"] = _("不能咨询本机构发布的信息。")
        if self.status == InquiryStatus.DECLINED and not self.decline_reason.strip():
            errors["decline_reason"] = _("请填写婉拒原因。")
        if self.status == InquiryStatus.REFERRED and self.agent_id is None:
            errors["agent"] = _("请选择技术经纪人。")
        if self.agent_id and self.agent.role != PlatformRole.AGENT:
            errors["agent"] = _("只能转交给技术经纪人。")
        if errors:
            raise ValidationError(errors)


class Conversation(models.Model):
    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="conversation")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("技术经纪人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inquiry_conversations")
    status = models.CharField(_("状态"), max_length=20, choices=ConversationStatus.choices,
                              default=ConversationStatus.OPEN, db_index=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("结束人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Contact details are personal data: shown to the other side only once both sides chose to share.
    sender_shares_contact = models.BooleanField(_("咨询方同意交换联系方式"), default=False)
    recipient_shares_contact = models.BooleanField(_("发布方同意交换联系方式"), default=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("洽谈")
        verbose_name_plural = _("洽谈")

    def __str__(self) -> str:
        return str(self.inquiry)

    def clean(self) -> None:
        if self.status == ConversationStatus.CLOSED and not self.outcome:
            raise ValidationError({"outcome": _("请选择洽谈结果。")})
        if self.agent_id and self.agent.role != PlatformRole.AGENT:
            raise ValidationError({"agent": _("只能邀请技术经纪人。")})

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN

    @property
    def contacts_exchanged(self) -> bool:
        return self.sender_shares_contact and self.recipient_shares_contact


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发言人"), on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("内容"), max_length=MESSAGE_MAX)
    attachment = PrivateFileField(_("附件"), upload_to="inquiries/%Y/%m/", blank=True,
                                  validators=[validate_attachment])
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("洽谈消息")
        verbose_name_plural = _("洽谈消息")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"


class ReadReceipt(models.Model):
    """How far one participant has read one conversation (every message up to last_read_at), and up to
    when they were last told of new messages by e-mail (the digest never repeats a message)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(_("最近阅读"), null=True, blank=True)
    notified_up_to = models.DateTimeField(_("邮件提醒截至"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="inquiry_one_receipt_per_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.conversation_id}: {self.last_read_at}"


class SenderBlock(models.Model):
    """A listing organization no longer accepts inquiries from one sender organization."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey("accounts.Organization", verbose_name=_("被屏蔽机构"), on_delete=models.CASCADE,
                                related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "blocked"], name="inquiry_block_once")]
        verbose_name = _("屏蔽的咨询机构")
        verbose_name_plural = _("屏蔽的咨询机构")

    def __str__(self) -> str:
        return f"{self.organization} ⊘ {self.blocked}"


class MessageReport(models.Model):
    """A participant reports a message as abusive. From then on bureau staff may read that conversation
    (each reading is logged in ConversationAccess)."""

    message = models.ForeignKey(Message, verbose_name=_("被举报的消息"), on_delete=models.CASCADE,
                                related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("举报人"), on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.TextField(_("举报理由"), max_length=1000)
    created_at = models.DateTimeField(_("举报时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="inquiry_report_once")]
        verbose_name = _("消息举报")
        verbose_name_plural = _("消息举报")

    def __str__(self) -> str:
        return f"{self.reporter} ⚑ {self.message_id}"


class ConversationAccess(models.Model):
    """Bureau staff read a reported conversation: who, when, which (the participants' privacy is audited)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="bureau_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("查看时间"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("举报洽谈查看记录")
        verbose_name_plural = _("举报洽谈查看记录")

    def __str__(self) -> str:
        return f"{self.user} → {self.conversation_id} @ {self.at}"


class Suspension(models.Model):
    """Bureau staff suspend an account (is_active off: no sign-in, and an open session ends on its next
    request) and may lift it again; both moves are kept here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被暂停账号"), on_delete=models.CASCADE,
                             related_name="suspensions")
    reason = models.TextField(_("暂停原因"), max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                           related_name="+")
    created_at = models.DateTimeField(_("暂停时间"), default=timezone.now)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("恢复人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(lifted_at__isnull=True),
                                               name="inquiry_one_open_suspension")]
        verbose_name = _("账号暂停")
        verbose_name_plural = _("账号暂停")

    def __str__(self) -> str:
        return f"{self.user} ⏸ {self.created_at:%Y-%m-%d}"

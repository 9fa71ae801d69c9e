"""How often a person is e-mailed about new matches, and the states of an alert's e-mail — as data, in one
place. The in-site inbox always receives every alert; the frequency governs e-mail only."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.states import StateMachine


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("每条新匹配立即发邮件")
    DAILY = "daily", _("每日汇总一封邮件")
    WEEKLY = "weekly", _("每周汇总一封邮件")
    OFF = "off", _("不发邮件（只在站内提醒）")


DEFAULT_FREQUENCY = Frequency.WEEKLY
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class MailState(models.TextChoices):
    PENDING = "pending", _("待发送")   # waits for the immediate mail or the next digest
    SENT = "sent", _("已发送")
    SKIPPED = "skipped", _("不发送")   # e-mail was off when the alert was made, or turned off since


# An alert's e-mail moves only along these edges: claimed by one sender (pending → sent), released again
# when that send failed (sent → pending, so a retry mails it), or dropped when the person turns e-mail off.
MAIL_TRANSITIONS: dict[str, frozenset[str]] = {
    MailState.PENDING: frozenset({MailState.SENT, MailState.SKIPPED}),
    MailState.SENT: frozenset({MailState.PENDING}),
    MailState.SKIPPED: frozenset(),
}
MAIL_MACHINE = StateMachine(MailState, MAIL_TRANSITIONS, field="mail_state", noun=_("提醒邮件"))


def initial_mail_state(frequency: str) -> str:
    return MailState.SKIPPED if frequency == Frequency.OFF else MailState.PENDING


def digest_period(frequency: str, now: dt.datetime | None = None) -> str:
    """The period a digest belongs to, in Binzhou local time: one e-mail per person per period.
    Daily: "2026-12-02"; weekly: the ISO week, "2026-W49"."""
    local = timezone.localtime(now or timezone.now())
    if frequency == Frequency.DAILY:
        return local.date().isoformat()
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = local.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"{frequency!r} has no digest")

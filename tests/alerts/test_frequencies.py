"""The frequency data and the e-mail states of an alert (pure logic, no database)."""

import datetime as dt

import pytest

from marketplace.alerts.frequencies import (
    MAIL_MACHINE,
    MAIL_TRANSITIONS,
    Frequency,
    MailState,
    digest_period,
    initial_mail_state,
)

UTC = dt.UTC


def test_weekly_digest_is_the_default():
    from marketplace.alerts.models import AlertSettings

    assert AlertSettings._meta.get_field("frequency").default == Frequency.WEEKLY


def test_a_digest_period_is_the_binzhou_local_day_or_iso_week():
    # 17:00 UTC on 1 December is 01:00 on 2 December in Binzhou (UTC+8).
    late = dt.datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert digest_period(Frequency.DAILY, late) == "2026-12-02"
    # 2026-01-01 is a Thursday, so ISO week 1 starts Monday 2025-12-29; 2 December 2026 is 338 days
    # later: week 1 + 338 // 7 = 49.
    assert digest_period(Frequency.WEEKLY, late) == "2026-W49"
    # Sunday 6 December 23:30 local is still week 49; Monday 7 December 00:30 local is week 50.
    assert digest_period(Frequency.WEEKLY, dt.datetime(2026, 12, 6, 15, 30, tzinfo=UTC)) == "2026-W49"
    assert digest_period(Frequency.WEEKLY, dt.datetime(2026, 12, 6, 16, 30, tzinfo=UTC)) == "2026-W50"


@pytest.mark.parametrize("frequency", [Frequency.IMMEDIATE, Frequency.OFF])
def test_only_daily_and_weekly_have_digests(frequency):
    with pytest.raises(ValueError):
        digest_period(frequency)


def test_email_off_means_an_alert_is_never_mailed():
    assert initial_mail_state(Frequency.OFF) == MailState.SKIPPED
    for frequency in (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY):
        assert initial_mail_state(frequency) == MailState.PENDING


def test_the_mail_state_edges():
    assert MAIL_TRANSITIONS == {
        MailState.PENDING: {MailState.SENT, MailState.SKIPPED},  # mailed / e-mail turned off
        MailState.SENT: {MailState.PENDING},                     # the send failed: mail it on retry
        MailState.SKIPPED: set(),                                # never mailed later
    }


def test_the_mail_machine_allows_exactly_the_edges_and_nothing_leaves_skipped():
    S = MailState
    allowed = {(a, b) for a in S.values for b in S.values if MAIL_MACHINE.can(a, b)}
    assert allowed == {(S.PENDING, S.SENT), (S.PENDING, S.SKIPPED), (S.SENT, S.PENDING)}
    assert MAIL_MACHINE.terminal == {S.SKIPPED}

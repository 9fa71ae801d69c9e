"""Every pair of inquiry states and conversation states: the moves in states.py happen through the
services, every other pair is refused and leaves the state as it was."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.inquiries import services, states
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.states import ConversationStatus, InquiryStatus, Outcome

from .builders import conversation, send, world

pytestmark = pytest.mark.django_db
S = InquiryStatus


def _inquiry_at(w, status: str) -> Inquiry:
    inquiry = send(w)
    if status == S.REFERRED:
        services.refer_inquiry(user=w.owner, inquiry=inquiry, agent=w.agent)
    elif status == S.ACCEPTED:
        services.accept_inquiry(user=w.owner, inquiry=inquiry)
    elif status == S.DECLINED:
        services.decline_inquiry(user=w.owner, inquiry=inquiry, reason="本成果已独家许可")
    inquiry.refresh_from_db()
    assert inquiry.status == status
    return inquiry


def _attempt(w, inquiry: Inquiry, target: str) -> None:
    # Whoever answers in the current state tries: the agent once referred, the listing's owner otherwise.
    user = w.agent if inquiry.status == S.REFERRED else w.owner
    if target == S.ACCEPTED:
        services.accept_inquiry(user=user, inquiry=inquiry)
    elif target == S.DECLINED:
        services.decline_inquiry(user=user, inquiry=inquiry, reason="暂不对外许可")
    elif target == S.REFERRED:
        services.refer_inquiry(user=user, inquiry=inquiry, agent=w.agent)
    else:
        raise AssertionError(f"no action leads to {target}")


def test_the_inquiry_table_is_what_the_product_promises():
    assert states.INQUIRY_TRANSITIONS == {
        S.SENT: {S.ACCEPTED, S.DECLINED, S.REFERRED},
        S.REFERRED: {S.ACCEPTED, S.DECLINED},
        S.ACCEPTED: set(),
        S.DECLINED: set(),
    }


def test_nothing_moves_an_inquiry_back_to_sent():
    assert not any(states.INQUIRY_MACHINE.can(s, S.SENT) for s in S.values)


@pytest.mark.parametrize(("current", "target"),
                         [p for p in itertools.product(S.values, S.values) if p[1] != S.SENT])
def test_every_inquiry_move(current, target, site):
    w = world()
    inquiry = _inquiry_at(w, current)
    allowed = states.INQUIRY_MACHINE.can(current, target)
    if allowed:
        _attempt(w, inquiry, target)
        inquiry.refresh_from_db()
        assert inquiry.status == target
    else:
        with pytest.raises((ValidationError, PermissionDenied)):
            _attempt(w, inquiry, target)
        inquiry.refresh_from_db()
        assert inquiry.status == current, f"{current} → {target} must be refused"


def test_a_refused_answer_says_what_the_inquiry_already_is():
    with pytest.raises(ValidationError) as refused:
        states.INQUIRY_MACHINE.check(S.DECLINED, S.ACCEPTED)
    assert refused.value.messages == ["这条咨询已是“已婉拒”，不能再改为“已接受”。"]
    with pytest.raises(ValidationError, match="洽谈已结束"):
        states.CONVERSATION_MACHINE.check(ConversationStatus.CLOSED, ConversationStatus.CLOSED)


def test_accepting_opens_exactly_one_conversation_with_the_referred_agent(site):
    w = world()
    inquiry = _inquiry_at(w, S.REFERRED)
    convo = services.accept_inquiry(user=w.agent, inquiry=inquiry)
    assert convo.agent == w.agent
    assert convo.status == ConversationStatus.OPEN


def test_declining_needs_a_reason(site):
    w = world()
    inquiry = send(w)
    with pytest.raises(ValidationError) as error:
        services.decline_inquiry(user=w.owner, inquiry=inquiry, reason="  ")
    assert "请填写婉拒原因" in str(error.value)
    inquiry.refresh_from_db()
    assert inquiry.status == S.SENT


def test_conversation_table():
    C = ConversationStatus
    assert states.CONVERSATION_TRANSITIONS == {C.OPEN: {C.CLOSED}, C.CLOSED: set()}
    pairs = {(a, b): states.CONVERSATION_MACHINE.can(a, b) for a, b in itertools.product(C.values, C.values)}
    assert pairs == {(C.OPEN, C.OPEN): False, (C.OPEN, C.CLOSED): True,
                     (C.CLOSED, C.OPEN): False, (C.CLOSED, C.CLOSED): False}


def test_open_to_closed_records_the_outcome_and_closed_stays_closed(site):
    w = world()
    convo = conversation(w)
    services.close_conversation(user=w.asker, conversation=convo, outcome=Outcome.NO_DEAL, note="价格未谈拢")
    convo.refresh_from_db()
    assert (convo.status, convo.outcome, convo.closed_by) == (ConversationStatus.CLOSED, Outcome.NO_DEAL, w.asker)
    with pytest.raises(ValidationError):
        services.close_conversation(user=w.owner, conversation=convo, outcome=Outcome.DEAL)
    with pytest.raises(ValidationError):
        services.post_message(user=w.owner, conversation=convo, body="还在吗？")
    convo.refresh_from_db()
    assert convo.outcome == Outcome.NO_DEAL

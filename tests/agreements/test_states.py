"""The verification table (states.py), over every pair of states: the allowed moves succeed when their
needs are met, every other pair is refused and leaves the agreement as it was. Then each need and
each actor rule on its own."""

from datetime import date
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied

from marketplace.agreements import verification
from marketplace.agreements.models import AgreementChange, Confirmation, PartySide
from marketplace.agreements.states import MACHINE, Status, TransitionRefused
from tests.agreements.builders import advance, pdf, recorded, verified_org
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

ALL = list(Status.values)


def _ready(status: str):
    """An agreement in `status` with every need of every move met (scan, both confirmations, verified
    parties), so that only the table decides."""
    bureau = make_user("bureau")
    ent, acad = verified_org("enterprise"), verified_org("university")
    agreement = advance(recorded(signed_on=date(2023, 3, 1), enterprise=ent, academic=acad), status, bureau)
    if not agreement.contract_scan:
        agreement.contract_scan.save("x.pdf", pdf(), save=True)
    for side, org in ((PartySide.ENTERPRISE, ent), (PartySide.ACADEMIC, acad)):
        if not agreement.confirmations.filter(side=side).exists():
            Confirmation.objects.create(agreement=agreement, side=side, organization=org, confirmed_by=bureau,
                                        on_behalf=True, note="纸质合同")
    return agreement, bureau


@pytest.mark.parametrize(("start", "to"), list(product(ALL, ALL)))
def test_every_pair_of_states(start, to):
    agreement, bureau = _ready(start)
    assert agreement.status == start
    trail_before = AgreementChange.objects.filter(agreement=agreement).count()
    if MACHINE.can(start, to):
        moved = verification.apply_transition(agreement_id=agreement.pk, to_status=to, user=bureau, reason="理由")
        assert moved.status == to
        last = AgreementChange.objects.filter(agreement=agreement, kind="status").last()
        assert (last.old_value, last.new_value, last.changed_by) == (start, to, bureau)
    else:
        with pytest.raises(TransitionRefused):
            verification.apply_transition(agreement_id=agreement.pk, to_status=to, user=bureau, reason="理由")
        agreement.refresh_from_db()
        assert agreement.status == start
        assert AgreementChange.objects.filter(agreement=agreement).count() == trail_before


def test_the_table_has_a_path_to_verified_and_the_decided_states_are_final():
    assert MACHINE.can(Status.SUBMITTED, Status.VERIFIED)
    assert MACHINE.terminal == {Status.VERIFIED, Status.REJECTED}
    assert MACHINE.can(Status.RETURNED, Status.AWAITING_CONFIRMATION)  # fixable and resubmittable


def test_refusals_name_the_states_and_the_moves_still_open():
    with pytest.raises(TransitionRefused) as refused:
        MACHINE.check(Status.RECORDED, Status.VERIFIED)
    assert refused.value.messages == ["不能从“已录入”转为“已认定”；当前可以转为：待双方确认、不予认定。"]
    with pytest.raises(TransitionRefused, match="协议已“已认定”，状态不能再变更"):
        MACHINE.check(Status.VERIFIED, Status.RETURNED)


def test_a_request_for_confirmation_needs_the_contract_scan():
    bureau = make_user("bureau")
    agreement = recorded(signed_on=date(2023, 3, 1), enterprise=verified_org(), academic=verified_org("university"))
    with pytest.raises(TransitionRefused, match="扫描件"):
        verification.apply_transition(agreement_id=agreement.pk, to_status=Status.AWAITING_CONFIRMATION,
                                      user=bureau)


def test_verification_needs_both_parties_to_be_verified_organizations():
    bureau = make_user("bureau")
    ent, acad = make_org("enterprise", name="未认证企业有限公司"), verified_org("university")
    agreement = advance(recorded(signed_on=date(2023, 3, 1), enterprise=ent, academic=acad), Status.SUBMITTED,
                        bureau)
    with pytest.raises(TransitionRefused, match="未认证企业有限公司"):
        verification.apply_transition(agreement_id=agreement.pk, to_status=Status.VERIFIED, user=bureau)
    ent.verified = True
    ent.save()
    assert verification.apply_transition(agreement_id=agreement.pk, to_status=Status.VERIFIED,
                                         user=bureau).status == Status.VERIFIED


def test_returning_and_rejecting_need_the_bureaus_reason():
    agreement, bureau = _ready(Status.SUBMITTED)
    for to in (Status.RETURNED, Status.REJECTED):
        with pytest.raises(TransitionRefused, match="理由"):
            verification.apply_transition(agreement_id=agreement.pk, to_status=to, user=bureau, reason="  ")
    returned = verification.apply_transition(agreement_id=agreement.pk, to_status=Status.RETURNED, user=bureau,
                                             reason="合同金额与扫描件不一致")
    assert returned.status_reason == "合同金额与扫描件不一致"


def test_resubmitting_after_a_return_asks_both_sides_to_confirm_again():
    agreement, bureau = _ready(Status.RETURNED)
    assert agreement.confirmations.count() == 2
    verification.apply_transition(agreement_id=agreement.pk, to_status=Status.AWAITING_CONFIRMATION, user=bureau)
    assert agreement.confirmations.count() == 0


def test_only_the_bureau_decides_and_the_entrant_or_a_party_may_send_for_confirmation():
    organizer, member, outsider = make_user("organizer"), make_user("enterprise"), make_user("enterprise")
    ent = verified_org("enterprise", members=[member])
    make_org("enterprise", members=[outsider])
    agreement = recorded(signed_on=date(2023, 3, 1), enterprise=ent, academic=verified_org("university"),
                         created_by=organizer)
    verification.attach_scan(agreement_id=agreement.pk, user=organizer, upload=pdf())
    with pytest.raises(PermissionDenied):
        verification.apply_transition(agreement_id=agreement.pk, to_status=Status.AWAITING_CONFIRMATION,
                                      user=outsider)
    verification.apply_transition(agreement_id=agreement.pk, to_status=Status.AWAITING_CONFIRMATION,
                                  user=organizer)
    with pytest.raises(PermissionDenied):
        verification.apply_transition(agreement_id=agreement.pk, to_status=Status.REJECTED, user=member,
                                      reason="不想要了")
    with pytest.raises(PermissionDenied):
        verification.apply_transition(agreement_id=agreement.pk, to_status=Status.REJECTED, user=organizer,
                                      reason="不想要了")

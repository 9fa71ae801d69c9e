"""Both sides confirm, the contract scan is private evidence, the registration number is format-checked,
probable duplicates are flagged and resolved, and every change lands in the append-only audit trail."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.agreements import metrics, reports, verification
from marketplace.agreements.models import AgreementChange, DuplicateState
from marketplace.agreements.services import Parties
from marketplace.agreements.states import Status
from tests.agreements.builders import PDF_BYTES, advance, agreement, pdf, recorded, verified_org
from tests.deals.builders import terms
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ent_member, acad_member, bureau = make_user("enterprise"), make_user("university"), make_user("bureau")
    ent = verified_org("enterprise", name="滨州锦绣家纺科技有限公司", members=[ent_member])
    acad = verified_org("institute", name="魏桥国科研究院", members=[acad_member])
    return ent_member, acad_member, bureau, ent, acad


def _awaiting(ent, acad, bureau):
    return advance(recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad, created_by=bureau),
                   Status.AWAITING_CONFIRMATION, bureau)


def test_each_side_confirms_from_its_own_organization_and_the_second_submits(people):
    ent_member, acad_member, bureau, ent, acad = people
    agreement_ = _awaiting(ent, acad, bureau)
    with pytest.raises(PermissionDenied):  # a member confirms only their own side
        verification.confirm(agreement_id=agreement_.pk, user=ent_member, side="academic")
    verification.confirm(agreement_id=agreement_.pk, user=ent_member, side="enterprise")
    agreement_.refresh_from_db()
    assert agreement_.status == Status.AWAITING_CONFIRMATION
    with pytest.raises(ValidationError, match="已确认"):
        verification.confirm(agreement_id=agreement_.pk, user=ent_member, side="enterprise")
    done = verification.confirm(agreement_id=agreement_.pk, user=acad_member, side="academic")
    assert done.status == Status.SUBMITTED
    confirmations = {c.side: (c.organization, c.confirmed_by, c.on_behalf) for c in done.confirmations.all()}
    assert confirmations == {"enterprise": (ent, ent_member, False), "academic": (acad, acad_member, False)}


def test_the_bureau_confirms_a_paper_contract_on_a_sides_behalf_only_with_a_note(people):
    ent_member, _acad_member, bureau, ent, acad = people
    agreement_ = _awaiting(ent, acad, bureau)
    with pytest.raises(ValidationError):
        verification.confirm(agreement_id=agreement_.pk, user=bureau, side="academic", on_behalf=True, note=" ")
    with pytest.raises(PermissionDenied):
        verification.confirm(agreement_id=agreement_.pk, user=ent_member, side="academic", on_behalf=True,
                             note="我替他们确认")
    verification.confirm(agreement_id=agreement_.pk, user=bureau, side="academic", on_behalf=True,
                         note="纸质合同原件已核对")
    confirmation = agreement_.confirmations.get()
    assert (confirmation.organization, confirmation.on_behalf, confirmation.note) == (acad, True, "纸质合同原件已核对")


def test_the_scan_must_be_a_pdf_by_its_content_and_is_stored_privately_under_a_random_name(people):
    ent_member, _acad_member, bureau, ent, acad = people
    agreement_ = recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad)
    fake = SimpleUploadedFile("合同.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        verification.attach_scan(agreement_id=agreement_.pk, user=ent_member, upload=fake)
    saved = verification.attach_scan(agreement_id=agreement_.pk, user=ent_member, upload=pdf("扫描 件.PDF"))
    name = saved.contract_scan.name
    assert name.startswith("agreements/") and name.endswith(".pdf") and "扫描" not in name
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / name
    assert stored.read_bytes() == PDF_BYTES
    assert not stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        saved.contract_scan.url  # noqa: B018 - no public URL exists


def test_the_scan_the_parties_confirm_cannot_be_swapped_until_the_bureau_returns_the_agreement(people):
    ent_member, acad_member, bureau, ent, acad = people
    agreement_ = _awaiting(ent, acad, bureau)
    confirmed_file = agreement_.contract_scan.name
    verification.confirm(agreement_id=agreement_.pk, user=ent_member, side="enterprise")
    for person in (acad_member, ent_member, bureau):
        with pytest.raises(PermissionDenied):
            verification.attach_scan(agreement_id=agreement_.pk, user=person, upload=pdf("另一份.pdf"))
    agreement_.refresh_from_db()
    assert agreement_.contract_scan.name == confirmed_file

    verification.confirm(agreement_id=agreement_.pk, user=acad_member, side="academic")
    verification.apply_transition(agreement_id=agreement_.pk, to_status=Status.RETURNED, user=bureau,
                                  reason="扫描件缺少盖章页")
    replaced = verification.attach_scan(agreement_id=agreement_.pk, user=acad_member, upload=pdf("更正.pdf"))
    assert replaced.contract_scan.name != confirmed_file


def test_the_scan_is_downloaded_by_the_parties_and_the_bureau_as_an_attachment(client, people):
    ent_member, acad_member, bureau, ent, acad = people
    organizer = make_user("organizer")
    agreement_ = recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad, created_by=organizer)
    verification.attach_scan(agreement_id=agreement_.pk, user=organizer, upload=pdf())
    url = f"/agreements/{agreement_.pk}/contract.pdf"
    for user in (ent_member, acad_member, bureau):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(organizer)  # the organizer sees the agreement but not the contract itself
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("number", "ok"), [
    ("2023371600000123", True),
    ("2023-371600-000123", True),  # hyphens and spaces are dropped
    ("202337160000012", False),  # 15 digits
    ("2023A71600000123", False),
    ("1999371600000123", False),  # year before 2000
    ("9999371600000123", False),  # year in the future
    ("2023071600000123", False),  # no division code starts with 0
])
def test_the_registration_number_format(people, number, ok):
    _ent_member, _acad_member, _bureau, ent, acad = people
    make = lambda: recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad,  # noqa: E731
                            registration_number=number, registered_amount=Decimal("100000"))
    if ok:
        assert make().registration_number == "2023371600000123"
    else:
        with pytest.raises(ValidationError) as error:
            make()
        assert "registration_number" in error.value.message_dict


def test_a_probable_duplicate_is_flagged_and_does_not_count_until_kept(people):
    _ent_member, _acad_member, bureau, ent, acad = people
    year = 2023
    original = agreement(signed_on=date(year, 6, 1), enterprise=ent, academic=acad, title="功能性家纺面料开发合同",
                         amount=Decimal("350000"))
    copy = agreement(signed_on=date(year, 6, 1), enterprise=ent, academic=acad, title="功能性家纺面料开发 合同书",
                     amount=Decimal("350000"), status=Status.SUBMITTED)
    other_title = recorded(signed_on=date(year, 6, 1), enterprise=ent, academic=acad, title="印染废水处理技术服务合同",
                           amount=Decimal("350000"))
    other_amount = recorded(signed_on=date(year, 6, 1), enterprise=ent, academic=acad, title="功能性家纺面料开发合同",
                            amount=Decimal("360000"))
    assert (copy.duplicate_state, copy.duplicate_of) == (DuplicateState.FLAGGED, original)
    assert other_title.duplicate_state == other_amount.duplicate_state == DuplicateState.NONE
    with pytest.raises(ValidationError, match="重复"):
        verification.apply_transition(agreement_id=copy.pk, to_status=Status.VERIFIED, user=bureau)
    assert metrics.compute("agreements_signed", year).value == 1

    verification.resolve_duplicate(agreement_id=copy.pk, user=bureau, keep=True, note="两份不同合同")
    verification.apply_transition(agreement_id=copy.pk, to_status=Status.VERIFIED, user=bureau)
    assert metrics.compute("agreements_signed", year).value == 2


def test_merging_a_duplicate_rejects_it_and_the_original_keeps_counting(people):
    ent_member, _acad_member, bureau, ent, acad = people
    original = agreement(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad)
    copy = recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad)
    with pytest.raises(PermissionDenied):
        verification.resolve_duplicate(agreement_id=copy.pk, user=ent_member, keep=False)
    merged = verification.resolve_duplicate(agreement_id=copy.pk, user=bureau, keep=False)
    assert (merged.status, merged.duplicate_state) == (Status.REJECTED, DuplicateState.MERGED)
    assert f"#{original.pk}" in merged.status_reason
    assert metrics.compute("agreements_signed", 2023).value == 1


def test_fixing_a_returned_agreement_records_each_changed_field(people):
    _ent_member, _acad_member, bureau, ent, acad = people
    returned = agreement(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad, status=Status.RETURNED,
                         amount=Decimal("300000"))
    fixed = terms(signed_on=date(2023, 6, 1), amount=Decimal("320000.50"), title="功能性家纺面料开发合同（补正）")
    verification.update_terms(agreement_id=returned.pk, user=bureau, terms=fixed,
                              parties=Parties(enterprises=[ent], academics=[acad]))
    rows = {c.field_name: (c.old_value, c.new_value, c.changed_by) for c in
            AgreementChange.objects.filter(agreement=returned, kind="field")}
    assert rows == {"amount": ("300000.00", "320000.50", bureau),
                    "title": ("铝合金电池托盘轻量化技术开发合同", "功能性家纺面料开发合同（补正）", bureau)}
    verified = agreement(signed_on=date(2023, 7, 1), enterprise=ent, academic=acad, title="另一份合同")
    with pytest.raises(PermissionDenied):  # decided agreements are not edited
        verification.update_terms(agreement_id=verified.pk, user=bureau, terms=fixed,
                                  parties=Parties(enterprises=[ent], academics=[acad]))


def test_the_audit_trail_is_append_only_and_complete_in_the_export(people):
    _ent_member, _acad_member, _bureau, ent, acad = people
    verified = agreement(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad)
    trail = AgreementChange.objects.filter(agreement=verified)
    # created, scan, recorded -> awaiting, two confirmations, awaiting -> submitted, submitted -> verified
    assert [(c.kind, c.new_value) for c in trail if c.kind in ("created", "status")] == [
        ("created", "recorded"), ("status", "awaiting_confirmation"), ("status", "submitted"),
        ("status", "verified")]
    assert [c.kind for c in trail].count("confirmed") == 2 and [c.kind for c in trail].count("evidence") == 1
    first = trail.first()
    with pytest.raises(TypeError):
        first.save()
    with pytest.raises(TypeError):
        first.delete()
    with pytest.raises(TypeError):
        trail.update(note="改写")
    with pytest.raises(TypeError):
        trail.delete()
    exported = reports.audit_section(2023).rows
    assert len(exported) == trail.count()
    assert [r[4:7] for r in exported][-1] == ["status", "submitted", "verified"]


def test_the_bureau_sees_the_trail_on_the_agreement_page_and_parties_do_not(client, people):
    ent_member, _acad_member, bureau, ent, acad = people
    verified = agreement(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad)
    client.force_login(bureau)
    page = client.get(f"/agreements/{verified.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in page
    trail = page.split('data-testid="audit-trail"', 1)[1].split("</table>", 1)[0]
    # Read by people: state names and field labels, never the code's identifiers or storage paths.
    assert "待双方确认" in trail and "已认定" in trail and "合同扫描件" in trail
    assert "awaiting_confirmation" not in trail and "contract_scan" not in trail and "agreements/" not in trail
    client.force_login(ent_member)
    page = client.get(f"/agreements/{verified.pk}/").content.decode()
    assert 'data-testid="audit-trail"' not in page


def test_a_returned_agreement_is_fixed_on_its_page_and_sent_back_for_confirmation(client, people):
    ent_member, _acad_member, bureau, ent, acad = people
    organizer = make_user("organizer")
    returned = advance(recorded(signed_on=date(2023, 6, 1), enterprise=ent, academic=acad, created_by=organizer,
                                amount=Decimal("300000")), Status.RETURNED, bureau)
    client.force_login(organizer)
    page = client.get(f"/agreements/{returned.pk}/").content.decode()
    assert 'data-testid="status-reason"' in page and "材料不全" in page
    form = client.get(f"/agreements/{returned.pk}/edit/").context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(amount="320000", signed_on="2023-06-01", county=returned.county_id, field=returned.field_id,
                enterprises=[ent.pk], academics=[acad.pk], others=[])
    bad = client.post(f"/agreements/{returned.pk}/edit/", {**data, "registration_number": "12345"})
    assert bad.status_code == 400 and "16位数字" in bad.content.decode()
    assert client.post(f"/agreements/{returned.pk}/edit/", data).status_code == 302
    moved = client.post(f"/agreements/{returned.pk}/transition/", {"to_status": Status.AWAITING_CONFIRMATION})
    assert moved.status_code == 302
    returned.refresh_from_db()
    assert (returned.amount, returned.status) == (Decimal("320000"), Status.AWAITING_CONFIRMATION)
    change = AgreementChange.objects.get(agreement=returned, kind="field")
    assert (change.field_name, change.old_value, change.new_value, change.changed_by) == (
        "amount", "300000.00", "320000.00", organizer)
    client.force_login(ent_member)  # the refused move is a 400 with the reason, not a 500
    refused = client.post(f"/agreements/{returned.pk}/transition/", {"to_status": Status.VERIFIED})
    assert refused.status_code == 400 and "不能从" in refused.content.decode()

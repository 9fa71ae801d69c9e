"""Builders for agreement tests: agreements taken through the real verification services."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization, User
from marketplace.agreements import verification
from marketplace.agreements.models import Agreement
from marketplace.agreements.services import Parties, create_agreement
from marketplace.agreements.states import Status
from tests.deals.builders import terms
from tests.factories import make_org, make_user

# The smallest file the content check recognizes as a PDF (it reads the "%PDF-" signature).
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def verified_org(kind: str = "enterprise", **extra) -> Organization:
    org = make_org(kind, **extra)
    org.verified = True
    org.save(update_fields=["verified"])
    return org


def recorded(*, signed_on: date, enterprise: Organization, academic: Organization, others=(),
             created_by: User | None = None, **overrides) -> Agreement:
    return create_agreement(
        terms=terms(signed_on=signed_on, **overrides),
        parties=Parties(enterprises=[enterprise], academics=[academic], others=list(others)),
        created_by=created_by,
    )


def advance(agreement: Agreement, to: str, bureau: User | None = None) -> Agreement:
    """Take a recorded agreement along the normal path to `to`, the bureau acting (a paper contract)."""
    bureau = bureau or make_user("bureau")
    path = {
        Status.RECORDED: [],
        Status.AWAITING_CONFIRMATION: ["scan", Status.AWAITING_CONFIRMATION],
        Status.SUBMITTED: ["scan", Status.AWAITING_CONFIRMATION, "confirm"],
        Status.VERIFIED: ["scan", Status.AWAITING_CONFIRMATION, "confirm", Status.VERIFIED],
        Status.RETURNED: ["scan", Status.AWAITING_CONFIRMATION, "confirm", Status.RETURNED],
        Status.REJECTED: [Status.REJECTED],
    }[to]
    for step in path:
        if step == "scan":
            verification.attach_scan(agreement_id=agreement.pk, user=bureau, upload=pdf())
        elif step == "confirm":
            for side in verification.CONFIRMING_SIDES:
                verification.confirm(agreement_id=agreement.pk, user=bureau, side=side, on_behalf=True,
                                     note="纸质合同原件已核对")
        else:
            verification.apply_transition(agreement_id=agreement.pk, to_status=step, user=bureau,
                                          reason="材料不全" if step in (Status.RETURNED, Status.REJECTED) else "")
    agreement.refresh_from_db()
    return agreement


def agreement(*, signed_on: date, enterprise: Organization, academic: Organization, others=(),
              status: str = Status.VERIFIED, **overrides) -> Agreement:
    """An agreement in `status` (verified by default, so that it counts), its parties made verified."""
    for org in (enterprise, academic, *others):
        if not org.verified:
            org.verified = True
            org.save(update_fields=["verified"])
    return advance(recorded(signed_on=signed_on, enterprise=enterprise, academic=academic, others=others,
                            **overrides), status)

"""Demo agreements for load_demo: signed across the current year between parties that belong together
(an enterprise and a university/institute working in the same field: a textile firm with a textile
institute), amounts typical of the contract type, and taken through verification by the real services:
most verified, some pending (recorded, awaiting confirmation, submitted), some returned with the
bureau's reason, and one probable duplicate left flagged for the bureau. Idempotent (by demo note) and
deterministic (seeded random)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.agreements import verification
from marketplace.agreements.models import Agreement, AgreementType
from marketplace.agreements.services import AgreementTerms, Parties, create_agreement
from marketplace.agreements.states import Status
from marketplace.events.models import EventPage
from marketplace.listings.models import AchievementPage
from marketplace.taxonomy.models import County, IndustryField

from ._demo_data import ENTERPRISE, ORGS

AGREEMENTS_THIS_YEAR = 50
DEMO_NOTE = "demo-agreement-"
DUPLICATE_NOTE = "demo-agreement-duplicate"
# Not verified yet: which demo agreement stops where (the rest are verified).
STOPS = {7: Status.RETURNED, 19: Status.RETURNED, 31: Status.RETURNED, 11: Status.AWAITING_CONFIRMATION,
         27: Status.AWAITING_CONFIRMATION, 15: Status.SUBMITTED, 39: Status.RECORDED}
RETURN_REASONS = ["合同金额与扫描件不一致，请核对后重新提交。", "扫描件缺少高校院所方盖章页，请补充。",
                  "技术合同登记编号与登记机构不符，请核对。"]
# (type, title suffix, amount range in units of 10,000 CNY); only a framework cooperation agreement may be ¥0.
TYPES = [
    (AgreementType.DEVELOPMENT, "技术开发合同", (30, 300)),
    (AgreementType.TRANSFER, "技术转让合同", (20, 500)),
    (AgreementType.LICENSE, "专利实施许可合同", (10, 200)),
    (AgreementType.CONSULTING, "技术咨询合同", (2, 20)),
    (AgreementType.SERVICE, "技术服务合同", (5, 50)),
    (AgreementType.COOPERATION, "产学研合作协议", (0, 100)),
]
SCAN = b"%PDF-1.4\n% demo contract scan\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pairs() -> list[tuple[Organization, Organization, IndustryField]]:
    """(enterprise, academic, field) for every enterprise and academic sharing a field of work."""
    orgs = {o.name: o for o in Organization.objects.all()}
    fields = {f.slug: f for f in IndustryField.objects.all()}
    enterprises = [s for s in ORGS if s.kind == ENTERPRISE and s.name in orgs]
    academics = [s for s in ORGS if s.kind in ("university", "institute") and s.name in orgs]
    return [(orgs[e.name], orgs[a.name], fields[slug]) for e in enterprises for a in academics
            for slug in e.fields if slug in a.fields and slug in fields]


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    if low == 0 and rng.random() < 0.5:
        return Decimal("0")  # a framework agreement without a contract amount
    return Decimal(rng.randint(max(low, 1) * 2, high * 2) * 5000)  # whole 5,000s, like real contracts


def _verify_until(agreement: Agreement, stop: str, bureau: User, n: int) -> None:
    """Paper contracts: the bureau uploads the scan and confirms for both sides, then decides."""
    if stop == Status.RECORDED:
        return
    verification.attach_scan(agreement_id=agreement.pk, user=bureau,
                             upload=SimpleUploadedFile("合同扫描件.pdf", SCAN, content_type="application/pdf"))
    verification.apply_transition(agreement_id=agreement.pk, to_status=Status.AWAITING_CONFIRMATION, user=bureau)
    if stop == Status.AWAITING_CONFIRMATION:
        verification.confirm(agreement_id=agreement.pk, user=bureau, side="enterprise", on_behalf=True,
                             note="纸质合同原件已核对")
        return
    for side in verification.CONFIRMING_SIDES:
        verification.confirm(agreement_id=agreement.pk, user=bureau, side=side, on_behalf=True,
                             note="纸质合同原件已核对")
    if stop == Status.SUBMITTED:
        return
    reason = RETURN_REASONS[n % len(RETURN_REASONS)] if stop == Status.RETURNED else ""
    verification.apply_transition(agreement_id=agreement.pk, to_status=stop, user=bureau, reason=reason)


def _terms(rng: random.Random, pairs, signed_on: dt.date, event: EventPage | None,
           note: str) -> tuple[AgreementTerms, Parties]:
    enterprise, academic, field = rng.choice(pairs)
    kind, suffix, (low, high) = rng.choice(TYPES)
    if event is not None:
        signed_on = timezone.localtime(event.starts_at).date()
    topic = (AchievementPage.objects.live().filter(organization=academic, field=field).order_by("pk").first()
             or AchievementPage.objects.live().filter(field=field).order_by("pk").first())
    terms = AgreementTerms(
        title=f"{topic.title if topic else field.name}{suffix}", agreement_type=kind,
        amount=_amount(rng, low, high), signed_on=signed_on, county=enterprise.county or County.objects.first(),
        field=field, event=event, notes=note)
    return terms, Parties(enterprises=[enterprise], academics=[academic])


def load_agreements(bureau: User, events: dict[str, EventPage]) -> int:
    pairs = _pairs()
    if not pairs:
        return 0
    today = timezone.localdate()
    past_events = [e for e in events.values() if timezone.localtime(e.starts_at).date() <= today]
    existing = set(Agreement.objects.filter(notes__startswith=DEMO_NOTE).values_list("notes", flat=True))
    created = 0
    first: tuple[AgreementTerms, Parties] | None = None
    for n in range(AGREEMENTS_THIS_YEAR):
        rng = random.Random(f"2023:agreement:{n}")
        month = 1 + n % today.month
        signed_on = dt.date(today.year, month, rng.randint(1, today.day if month == today.month else 28))
        event = rng.choice(past_events) if past_events and rng.random() < 0.3 else None
        terms, parties = _terms(rng, pairs, signed_on, event, f"{DEMO_NOTE}{n}")
        first = first or (terms, parties)
        if terms.notes in existing:
            continue
        agreement = create_agreement(terms=terms, parties=parties, created_by=bureau)
        _verify_until(agreement, STOPS.get(n, Status.VERIFIED), bureau, n)
        created += 1
    if first and DUPLICATE_NOTE not in existing:
        # The first agreement entered again by someone else, its title typed a little differently: flagged.
        terms, parties = first
        copy = AgreementTerms(**{**terms.__dict__, "title": terms.title.replace("合同", "合同书"),
                                 "notes": DUPLICATE_NOTE})
        create_agreement(terms=copy, parties=parties, created_by=bureau)
        created += 1
    return created


def load_baseline_agreements(bureau: User, events: list[EventPage], year: int, count: int) -> int:
    """The work-plan baseline year: agreements spread over its twelve months, all long since verified;
    about one in four signed at one of that year's events."""
    pairs = _pairs()
    existing = set(Agreement.objects.filter(notes__startswith=f"{DEMO_NOTE}{year}-").values_list("notes", flat=True))
    created = 0
    for n in range(count):
        note = f"{DEMO_NOTE}{year}-{n}"
        if not pairs or note in existing:
            continue
        rng = random.Random(f"{year}:baseline-agreement:{n}")
        event = rng.choice(events) if events and rng.random() < 0.25 else None
        terms, parties = _terms(rng, pairs, dt.date(year, 1 + n % 12, rng.randint(1, 28)), event, note)
        agreement = create_agreement(terms=terms, parties=parties, created_by=bureau)
        _verify_until(agreement, Status.VERIFIED, bureau, n)
        created += 1
    return created

"""Reads for the agreement register: who may see which agreement, which agreements count, the years on offer.
The targets dashboard (dashboard.py) reads through these.

Which agreements count: only verified ones without an open duplicate flag (counted_in); status_counts gives
the rest."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.models import PlatformRole
from accounts.permissions import is_bureau, organization_ids_for
from jobs.models import Job
from jobs.selectors import job_started_by

from .models import Agreement, AgreementChange, AgreementParty, DuplicateState, Target
from .states import PENDING, Status

IMPORT_JOB_KIND = "agreements.import"  # the Job.kind of an agreement import (import_jobs writes it)
COUNTED = Q(status=Status.VERIFIED) & ~Q(duplicate_state=DuplicateState.FLAGGED)


def agreements_signed_in(year: int) -> QuerySet:
    """Every agreement signed in the year, whatever its state (the register)."""
    return Agreement.objects.filter(signed_on__year=year)


def counted_in(year: int) -> QuerySet:
    """The agreements that count toward the year's targets: verified, no open duplicate flag."""
    return agreements_signed_in(year).filter(COUNTED)


def visible_agreements(user) -> QuerySet:
    """The agreements this user may see. Bureau staff: all. Others: those their organization signed,
    those at events they organize, those of deals they broker, and those they recorded themselves."""
    if not (user and user.is_authenticated):
        return Agreement.objects.none()
    if is_bureau(user):
        return Agreement.objects.all()
    rule = Q(party_links__organization_id__in=organization_ids_for(user)) | Q(created_by=user)
    if user.role == PlatformRole.ORGANIZER:
        rule |= Q(event__organizer=user)
    if user.role == PlatformRole.AGENT:
        rule |= Q(deal__agent=user) | Q(deal__collaborators=user)
    ids = Agreement.objects.filter(rule).values("pk")
    return Agreement.objects.filter(pk__in=ids)


def agreement_for(user, pk: int) -> Agreement | None:
    """One agreement with its parties, confirmations and trail, if the user may see it."""
    return (
        agreements_with_parties(visible_agreements(user))
        .prefetch_related("confirmations__organization", "confirmations__confirmed_by")
        .select_related("duplicate_of", "created_by", "event")
        .filter(pk=pk)
        .first()
    )


def import_job_for(user, pk: int) -> Job | None:
    """An agreement import's job, for the person who uploaded the file only (the errors quote its rows)."""
    return job_started_by(user, pk=pk, kind=IMPORT_JOB_KIND)


def audit_trail(agreement: Agreement) -> QuerySet:
    return AgreementChange.objects.filter(agreement=agreement).select_related("changed_by")


def agreement_by_form_token(user, token: str) -> Agreement | None:
    """The agreement a (re)submitted form already created, if this user may see it."""
    return visible_agreements(user).filter(form_token=token).first() if token else None


def status_counts(year: int) -> dict[str, int]:
    """Agreements signed in the year by where they stand. Disjoint: a flagged agreement is only
    "flagged", whatever its state; rejected ones are counted apart."""
    qs = agreements_signed_in(year)
    flagged = Q(duplicate_state=DuplicateState.FLAGGED) & ~Q(status=Status.REJECTED)
    return qs.aggregate(
        verified=Count("pk", filter=COUNTED),
        pending=Count("pk", filter=Q(status__in=sorted(PENDING)) & ~flagged),
        returned=Count("pk", filter=Q(status=Status.RETURNED) & ~flagged),
        flagged=Count("pk", filter=flagged),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )


def agreements_with_parties(qs: QuerySet | None = None) -> QuerySet:
    qs = Agreement.objects.all() if qs is None else qs
    return qs.select_related("county", "field", "deal").prefetch_related(
        Prefetch("party_links", queryset=AgreementParty.objects.select_related("organization").order_by("pk"))
    )


def available_years(today: date | None = None) -> list[int]:
    """Years worth offering in the year selector: any with agreements or targets, plus this year."""
    today = today or timezone.localdate()
    years = set(Target.objects.values_list("year", flat=True))
    years |= set(
        Agreement.objects.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True).distinct()
    )
    years.add(today.year)
    return sorted(years, reverse=True)

"""Reads for 揭榜挂帅 challenges: the public sections, one challenge's page for each kind of visitor,
the enterprise's own challenges, and the subsidies counted by the targets dashboard."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind
from accounts.permissions import is_bureau, is_member, organization_ids_for
from marketplace.listings.selectors import moderation_status

from .models import ChallengeApplication, ChallengeOutcome, ChallengePage
from .states import ChallengeStatus

OWNER_KINDS = {OrganizationKind.ENTERPRISE}  # who may post a challenge (services checks it, forms offer these)

C = ChallengeStatus


def status_of(page: ChallengePage) -> str:
    """A page without an outcome row yet (made in the admin, never acted on) is open."""
    outcome = ChallengeOutcome.objects.filter(challenge_id=page.pk).only("status").first()
    return outcome.status if outcome else C.OPEN


def public_challenges() -> QuerySet:
    return (ChallengePage.objects.live().public()
            .select_related("organization", "field", "county", "outcome",
                            "outcome__selected_application__organization"))


def indexable_challenges(today: dt.date | None = None) -> QuerySet:
    """What the search index holds: live, public challenges still open for applications (no outcome
    yet or open, deadline and validity not passed). Awarding or closing one takes it out."""
    today = today or timezone.localdate()
    return (ChallengePage.objects.live().public().select_related("organization", "field", "county")
            .filter(Q(outcome__isnull=True) | Q(outcome__status=C.OPEN))
            .exclude(expires_at__lt=today).exclude(application_deadline__lt=today))


def challenges_by_status(today: dt.date | None = None) -> dict[str, list[ChallengePage]]:
    """The index page's three sections. Open calls are those still valid, soonest deadline first; awarded
    and subsidized ones stay on show as the record of what the programme achieved."""
    today = today or timezone.localdate()
    qs = public_challenges()
    is_open = Q(outcome__isnull=True) | Q(outcome__status=C.OPEN)
    return {
        "open": list(qs.filter(is_open).exclude(expires_at__lt=today)
                     .order_by("application_deadline", "-first_published_at", "-pk")),
        "awarded": list(qs.filter(outcome__status=C.AWARDED).order_by("-outcome__awarded_at", "-pk")),
        "subsidized": list(qs.filter(outcome__status=C.SUBSIDIZED)
                           .order_by("-outcome__subsidy_granted_on", "-pk")),
    }


def subsidized_in(year: int) -> QuerySet:
    """Outcomes whose 科创券 subsidy was granted in the year (the challenge_subsidies target)."""
    return ChallengeOutcome.objects.filter(status=C.SUBSIDIZED, subsidy_granted_on__year=year)


def challenge_by_id(page_id: int) -> ChallengePage | None:
    return ChallengePage.objects.filter(pk=page_id).select_related("organization").first()


def application_for(challenge: ChallengePage, application_id: int) -> ChallengeApplication | None:
    return ChallengeApplication.objects.filter(pk=application_id, challenge=challenge).first()


def academic_orgs_of(user) -> QuerySet:
    return Organization.objects.filter(pk__in=organization_ids_for(user), kind__in=ACADEMIC_KINDS)


def enterprise_orgs_of(user) -> QuerySet:
    orgs = Organization.objects.filter(kind__in=OWNER_KINDS)
    if not is_bureau(user):
        orgs = orgs.filter(pk__in=organization_ids_for(user))
    return orgs.order_by("name")


def challenges_of_user(user) -> list[dict]:
    """The challenges of the user's organizations, whatever their moderation state, newest first."""
    pages = (ChallengePage.objects.filter(organization_id__in=organization_ids_for(user))
             .select_related("organization", "outcome").order_by("-pk"))
    rows = []
    for page in pages:
        outcome = getattr(page, "outcome", None)
        rows.append({"page": page, "moderation": moderation_status(page),
                     "status": outcome.status if outcome else C.OPEN,
                     "applications": page.applications.count()})
    return rows


def applications_of_user(user) -> QuerySet:
    return (ChallengeApplication.objects.filter(organization_id__in=organization_ids_for(user))
            .select_related("challenge", "organization").order_by("-created_at"))


def challenge_page_context(page: ChallengePage, user, today: dt.date | None = None) -> dict:
    """What the challenge page shows to this visitor: everyone sees the call and its status; an academic
    member may apply; the posting enterprise (and the bureau) sees the applications and may select
    one; the bureau may grant the subsidy once a winner is selected."""
    today = today or timezone.localdate()
    outcome = ChallengeOutcome.objects.filter(challenge_id=page.pk).select_related(
        "selected_application__organization").first()
    status = outcome.status if outcome else C.OPEN
    is_decider = bool(page.pk) and (is_bureau(user) or is_member(user, page.organization))
    my_org_ids = organization_ids_for(user)
    applications = list(page.applications.select_related("organization", "submitted_by")) if page.pk else []
    applied_org_ids = {a.organization_id for a in applications}
    academic_orgs = list(academic_orgs_of(user))
    eligible = [o for o in academic_orgs if o.pk not in applied_org_ids]
    deadline_passed = not page.accepts_applications_on(today)
    accepting = page.live and status == C.OPEN and not deadline_passed
    return {
        "outcome": outcome,
        "status": status,
        "status_label": C(status).label,
        "deadline_passed": deadline_passed,
        "accepting": accepting,
        "is_academic_member": bool(academic_orgs),
        "can_apply": accepting and bool(eligible),
        "my_applications": [a for a in applications if a.organization_id in my_org_ids],
        "applications": applications if is_decider else [],
        "application_count": len(applications),
        "is_decider": is_decider,
        "can_select": is_decider and status == C.OPEN,
        "can_grant": is_bureau(user) and status == C.AWARDED,
    }

"""What the challenge pages show beyond their own fields (registered from ChallengesConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from marketplace.core.page_context import page_context

from .forms import ApplicationForm, SubsidyForm
from .models import ChallengeIndexPage, ChallengePage
from .selectors import challenge_page_context, challenges_by_status


@page_context(ChallengeIndexPage)
def challenge_index(page: ChallengeIndexPage, request: HttpRequest) -> dict[str, Any]:
    return {"sections": challenges_by_status()}


@page_context(ChallengePage)
def challenge_page(page: ChallengePage, request: HttpRequest) -> dict[str, Any]:
    context = challenge_page_context(page, request.user)
    if context["can_apply"]:
        context["apply_form"] = ApplicationForm(user=request.user, challenge=page)
    if context["can_grant"]:
        context["subsidy_form"] = SubsidyForm()
    return context

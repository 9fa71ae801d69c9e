"""Front-end views for challenges. Thin: permissions in accounts.permissions, writes in services.py,
reads in selectors.py. Bad input comes back as a form error, or a 4xx with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_listing, can_view_draft, is_bureau
from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission, answer_duplicate

from . import selectors, services
from .forms import ApplicationForm, ChallengeForm, CloseForm, SubsidyForm
from .models import ChallengePage


def _challenge_or_404(page_id: int) -> ChallengePage:
    page = selectors.challenge_by_id(page_id)
    if page is None:
        raise Http404
    return page


def _live_challenge_or_404(page_id: int) -> ChallengePage:
    page = _challenge_or_404(page_id)
    if not page.live:
        raise Http404
    return page


def _back_to(page: ChallengePage) -> str:
    return page.url if page.live and page.url else reverse("challenges:preview", args=[page.pk])


def _mine_url(_page) -> str:
    return reverse("challenges:mine")


def _errors(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# --------------------------------------------------------------------------------------------------
# The posting enterprise

@login_required
def my_challenges(request):
    return render(request, "challenges/my_challenges.html", {
        "rows": selectors.challenges_of_user(request.user),
        "my_applications": selectors.applications_of_user(request.user),
    })


@login_required
def create_challenge(request):
    form = ChallengeForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["organization"].queryset.exists():
        messages.warning(request, _("请先登记您的企业，再发布揭榜挂帅项目。"))
        return redirect("accounts:organization_create")
    if request.method == "POST" and form.is_valid():
        try:
            services.create_challenge(user=request.user, data=form.listing_data(),
                                      submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, _mine_url)
            if answer is not None:
                return answer
            add_validation_errors(form, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("已提交科技局审核，审核通过后公开发布。"))
            return redirect("challenges:mine")
    return render(request, "challenges/challenge_form.html", {"form": form})


@login_required
def edit_challenge(request, page_id: int):
    page = _challenge_or_404(page_id)
    if not can_edit_listing(request.user, page):
        raise PermissionDenied(_("只能编辑本机构的揭榜挂帅项目。"))
    draft = page.get_latest_revision_as_object()
    form = ChallengeForm(request.POST or None, request.FILES or None, instance=draft, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_challenge(user=request.user, page=page, data=form.listing_data(),
                                      submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, _mine_url)
            if answer is not None:
                return answer
            add_validation_errors(form, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("修改已提交审核，通过前公开页面保持原样。"))
            return redirect("challenges:mine")
    return render(request, "challenges/challenge_form.html", {
        "form": form, "page": page, "moderation": selectors.moderation_status(page),
        "status": selectors.status_of(page)})


@login_required
def preview_challenge(request, page_id: int):
    """The owner's (and the bureau's) view of the latest revision, live or not; others get 404."""
    page = _challenge_or_404(page_id)
    if not can_view_draft(request.user, page):
        raise Http404
    draft = page.get_latest_revision_as_object()
    return draft.serve_preview(request, draft.default_preview_mode)


@login_required
@require_POST
def select_application(request, page_id: int, application_id: int):
    page = _challenge_or_404(page_id)
    application = selectors.application_for(page, application_id)
    if application is None:
        raise Http404
    try:
        services.select_application(user=request.user, application=application)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("已选定%(org)s为揭榜方。") % {
            "org": application.organization.name})
    return redirect(_back_to(page))


@login_required
@require_POST
def close_challenge(request, page_id: int):
    page = _challenge_or_404(page_id)
    form = CloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.close_without_award(user=request.user, challenge=page, reason=reason)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("榜单已关闭，未选定揭榜方。"))
    return redirect(_back_to(page))


# --------------------------------------------------------------------------------------------------
# Universities and institutes

@login_required
def apply(request, page_id: int):
    page = _live_challenge_or_404(page_id)
    form = ApplicationForm(request.POST or None, user=request.user, challenge=page)
    if not form.fields["organization"].queryset.exists():
        if selectors.academic_orgs_of(request.user).exists():
            messages.info(request, _("您的单位已揭榜此项目。"))
        else:
            messages.warning(request, _("只有高校或科研院所的成员可以揭榜。"))
        return redirect(_back_to(page))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.apply(user=request.user, challenge=page, organization=data["organization"],
                           proposal=data["proposal"], team_lead=data["team_lead"],
                           proposed_amount=data["proposed_amount"],
                           submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda application: _back_to(application.challenge))
            if answer is not None:
                return answer
            add_validation_errors(form, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("揭榜申请已提交，请等待发榜企业评选。"))
            return redirect(_back_to(page))
    context = selectors.challenge_page_context(page, request.user)
    return render(request, "challenges/apply.html", {"page": page, "form": form, **context})


# --------------------------------------------------------------------------------------------------
# Bureau staff

@login_required
def grant_subsidy(request, page_id: int):
    page = _challenge_or_404(page_id)
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有科技局工作人员可以发放科创券补助。"))
    form = SubsidyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_subsidy(user=request.user, challenge=page, amount=form.cleaned_data["subsidy_amount"],
                                   granted_on=form.cleaned_data["subsidy_granted_on"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("科创券补助已登记。"))
            return redirect(_back_to(page))
    context = selectors.challenge_page_context(page, request.user)
    return render(request, "challenges/subsidy.html", {"page": page, "form": form, **context})

"""Owner-facing views: thin. Permission rules live in accounts.permissions, writes in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.permissions import can_edit_listing, can_view_draft, organization_ids_for
from accounts.privacy import services as privacy_services
from accounts.private_files import private_file_response
from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission, answer_duplicate

from . import selectors, services
from .forms import FORM_FOR
from .models import LISTING_MODELS


@login_required
def my_listings(request):
    listings = selectors.listings_of_organizations(organization_ids_for(request.user))
    rows = [{"page": page, "status": selectors.moderation_status(page)} for page in listings]
    return render(request, "listings/my_listings.html", {"rows": rows})


def _preview_url(page) -> str:
    return reverse("listings:preview", kwargs={"page_id": page.pk})


@login_required
def create_listing(request, kind: str):
    model = LISTING_MODELS.get(kind)
    if model is None:
        raise Http404
    form_class = FORM_FOR[model]
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["organization"].queryset.exists():
        messages.warning(request, _("请先登记一个可以发布此类信息的机构。"))
        return redirect("accounts:organization_create")
    if request.method == "POST" and form.is_valid():
        try:
            page = services.create_listing(
                user=request.user, model=model, data=form.listing_data(),
                ip_items=form.cleaned_data.get("ip_items_text"), submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, _preview_url)
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("已提交审核，审核通过后公开发布。以下是提交内容的预览与匹配结果。"))
            return redirect("listings:preview", page_id=page.pk)
    return render(request, "listings/listing_form.html", {"form": form, "model": model, "kind": kind})


def _listing_or_404(page_id: int):
    page = selectors.listing_by_id(page_id)
    if page is None:
        raise Http404
    return page


@login_required
def edit_listing(request, page_id: int):
    page = _listing_or_404(page_id)
    if not can_edit_listing(request.user, page):
        raise PermissionDenied(_("只能编辑本机构的发布内容。"))
    form_class = FORM_FOR.get(type(page))
    if form_class is None:  # other listing types (e.g. challenges) have their own editors
        raise Http404
    draft = page.get_latest_revision_as_object()
    form = form_class(request.POST or None, request.FILES or None, instance=draft, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_listing(user=request.user, page=page, data=form.listing_data(),
                                    ip_items=form.cleaned_data.get("ip_items_text"),
                                    submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda _page: reverse("listings:my_listings"))
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("修改已提交审核，通过前公开页面保持原样。"))
            return redirect("listings:my_listings")
    return render(request, "listings/listing_form.html",
                  {"form": form, "model": type(page), "page": page, "status": selectors.moderation_status(page)})


@login_required
def preview_listing(request, page_id: int):
    """The owner's view of the latest revision, live or not. Others get 404 for drafts."""
    page = _listing_or_404(page_id)
    if not can_view_draft(request.user, page):
        raise Http404
    draft = page.get_latest_revision_as_object()
    # Mark the request as a preview the way Wagtail's admin does, so templates can tell.
    request.is_preview = True
    request.preview_mode = draft.default_preview_mode
    return draft.serve_preview(request, draft.default_preview_mode)


def listing_attachment(request, page_id: int):
    """Download a listing's attachment. Drafts' files only for owners and bureau staff (?draft=1 asks for
    the latest revision's file on a live listing); anyone else gets 404, as for the draft page itself."""
    page = _listing_or_404(page_id)
    file = selectors.downloadable_attachment(request.user, page, draft=request.GET.get("draft") == "1")
    if file is None:
        raise Http404
    return private_file_response(file, download_name=f"listing-{page.pk}")


# Contact reveals per user; a legitimate visitor reads a handful of contacts an hour, a scraper hundreds.
CONTACT_REVEAL_RATE = "10/h"


@login_required
@require_POST
@ratelimit(key="user", rate=CONTACT_REVEAL_RATE, method="POST", block=False)
def reveal_contact(request, page_id: int):
    """A member of a verified organization asks for a published listing's full contact; the reveal is
    logged, and the listing page then shows the contact to them."""
    if getattr(request, "limited", False):
        return HttpResponse(_("查看联系方式过于频繁，请一小时后再试。"), status=429,
                            content_type="text/plain; charset=utf-8")
    page = _listing_or_404(page_id)
    if not page.live:
        raise Http404
    privacy_services.reveal_contact(viewer=request.user, page=page)
    messages.success(request, _("已显示完整联系方式，本次查看已记录。"))
    return redirect((page.get_url(request) or "/") + "#contact")


@login_required
@require_POST
@transaction.atomic
def withdraw_listing(request, page_id: int):
    page = _listing_or_404(page_id)
    try:
        services.withdraw_listing(user=request.user, page=page)
    except PermissionDenied:
        raise
    messages.success(request, _("已撤回。"))
    return redirect("listings:my_listings")

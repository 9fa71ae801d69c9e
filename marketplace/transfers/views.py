"""Thin views: the owner's request, the public page and its live JSON, registering, bidding, objecting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_listing
from accounts.private_files import private_file_response
from marketplace.core.forms import add_validation_errors
from marketplace.listings.models import AchievementPage
from marketplace.payments.services import PaymentServiceError

from . import closing, selectors, services
from .forms import BidForm, ListingForm, ObjectionForm, RegisterForm
from .states import OBJECTABLE, OPEN_FOR_BIDS, L


def index(request):
    return render(request, "transfers/index.html", {"listings": selectors.public_listings()[:100]})


@login_required
def mine(request):
    return render(request, "transfers/mine.html", {"listings": selectors.listings_of(request.user)})


def _save_listing(request, form, save):
    if form.is_valid():
        try:
            listing = save({k: v for k, v in form.cleaned_data.items() if not (k == "documents" and v is None)},
                           "draft" not in request.POST)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("挂牌申请已提交，等待科技局审核。") if listing.state == L.PENDING
                             else _("已保存为草稿。"))
            return redirect("transfers:mine")
    return None


@login_required
def request_listing(request, achievement_id: int):
    achievement = get_object_or_404(AchievementPage, pk=achievement_id, live=True)
    if not can_edit_listing(request.user, achievement):
        raise PermissionDenied
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = _save_listing(request, form, lambda data, submit: services.request_listing(
            user=request.user, achievement=achievement, data=data, submit=submit))
        if done:
            return done
    return render(request, "transfers/listing_form.html", {"form": form, "achievement": achievement})


@login_required
def edit_listing(request, pk: int):
    listing = selectors.visible_listing(request.user, pk)
    if listing is None:
        raise Http404
    if not can_edit_listing(request.user, listing) or listing.state != L.DRAFT:
        raise PermissionDenied
    form = ListingForm(request.POST or None, request.FILES or None, instance=listing)
    if request.method == "POST":
        done = _save_listing(request, form, lambda data, submit: services.update_listing(
            user=request.user, listing=listing, data=data, submit=submit))
        if done:
            return done
    return render(request, "transfers/listing_form.html", {"form": form, "achievement": listing.achievement,
                                                           "listing": listing})


def detail(request, pk: int):
    listing = selectors.visible_listing(request.user, pk)
    if listing is None:
        raise Http404
    user = request.user
    bidder = selectors.my_bidder(user, listing) if user.is_authenticated else None
    orgs = selectors.bidding_organizations(user)
    return render(request, "transfers/detail.html", {
        "listing": listing, "bids": selectors.bid_history(listing), "bidder": bidder,
        "can_register": listing.state in OPEN_FOR_BIDS and orgs.exists() and not (bidder and bidder.may_bid),
        "register_form": RegisterForm(organizations=orgs), "bid_form": BidForm(),
        "can_object": user.is_authenticated and listing.state in OBJECTABLE, "objection_form": ObjectionForm(),
        "objections": listing.objections.all() if listing.state in (L.OBJECTION, L.FAILED, L.CONCLUDED,
                                                                     L.PUBLICITY) else [],
        "is_owner": can_edit_listing(user, listing),
    })


def status(request, pk: int):
    listing = selectors.public_listing(pk)
    if listing is None:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(selectors.live_status(listing))


@login_required
def documents(request, pk: int):
    listing = selectors.visible_listing(request.user, pk)
    if listing is None or not listing.documents:
        raise Http404
    return private_file_response(listing.documents, download_name=f"transfer-{listing.pk}")


@login_required
@require_POST
def register(request, pk: int):
    listing = selectors.public_listing(pk)
    if listing is None:
        raise Http404
    orgs = selectors.bidding_organizations(request.user)
    form = RegisterForm(request.POST, organizations=orgs)
    if not form.is_valid():
        messages.error(request, _("只有已认证企业的成员可以登记竞买。"))
        return redirect("transfers:detail", pk)
    page = request.build_absolute_uri(reverse("transfers:detail", args=[pk]))
    try:
        bidder = services.register_bidder(user=request.user, listing=listing,
                                          organization=form.cleaned_data["organization"],
                                          success_url=page + "?deposit=success", cancel_url=page)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PaymentServiceError:
        messages.error(request, _("支付服务暂时不可用，请稍后再试。"))
    else:
        if bidder.checkout_url and not bidder.may_bid:
            response = HttpResponseRedirect(bidder.checkout_url)
            response.status_code = 303
            return response
    return redirect("transfers:detail", pk)


@login_required
@require_POST
def bid(request, pk: int):
    listing = selectors.public_listing(pk)
    if listing is None:
        raise Http404
    form = BidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的出价金额。"))
        return redirect("transfers:detail", pk)
    try:
        result = services.place_bid(user=request.user, listing=listing, amount=form.cleaned_data["amount"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("出价成功：%(amount)s 元。") % {"amount": result.bid.amount}
                         + (_("截止时间已顺延5分钟。") if result.extended else ""))
    return redirect("transfers:detail", pk)


@login_required
@require_POST
def object_to(request, pk: int):
    listing = selectors.public_listing(pk)
    if listing is None:
        raise Http404
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            closing.raise_objection(user=request.user, listing=listing, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("异议已提交，科技局将予以处理。"))
    else:
        messages.error(request, _("请填写异议内容。"))
    return redirect("transfers:detail", pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    listing = selectors.visible_listing(request.user, pk)
    if listing is None:
        raise Http404
    if not can_edit_listing(request.user, listing):
        raise PermissionDenied
    try:
        services.withdraw(user=request.user, listing=listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("挂牌交易已撤回。"))
    return redirect("transfers:mine")

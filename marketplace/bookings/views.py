"""Booking request, the two sides' list and detail, and the moves. Thin: rules in services/selectors.

Anyone who is not one of the two sides gets 404 (a booking's existence is not revealed); the public sees
only the base's calendar (dates and equipment, no enterprise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission

from . import selectors, services
from .forms import BookingForm, DeclineForm, ProposeForm
from .models import Booking
from .states import BookingStatus


@login_required
def my_bookings(request):
    return render(request, "bookings/list.html", {"bookings": selectors.bookings_for(request.user)})


@login_required
def request_booking(request, page_id: int):
    base = selectors.bookable_base(page_id)
    if base is None:
        raise Http404
    if not selectors.can_request(request.user, base):
        raise PermissionDenied(_("只有已认证企业的成员才能预约中试。"))
    services.equipment_for(base)
    form = BookingForm(request.POST or None, enterprises=selectors.requesting_organizations(request.user, base),
                       equipment=selectors.bookable_equipment(base))
    if request.method == "POST":
        token = request.POST.get("form_token")
        if selectors.already_submitted(token, request.user):
            messages.info(request, _("这条预约已提交过，请勿重复提交。"))
            return redirect("bookings:list")
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.request_booking(
                    user=request.user, base=base, enterprise=data["enterprise"], equipment=data["equipment"],
                    start_date=data["start_date"], end_date=data["end_date"], material=data["material"],
                    quantity=data["quantity"], note=data["note"], submission_token=data["form_token"])
            except DuplicateSubmission:
                messages.info(request, _("这条预约已提交过，请勿重复提交。"))
                return redirect("bookings:list")
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("预约申请已提交，基地确认后会显示在预约列表中。"))
                return redirect("bookings:detail", pk=booking.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "bookings/request.html", {"form": form, "base": base}, status=status)


def _booking_for(request, pk: int) -> tuple[Booking, str]:
    booking = selectors.booking_by_id(pk)
    if booking is None:
        raise Http404
    side = selectors.side_in_booking(request.user, booking)
    if side is None:
        raise Http404
    return booking, side


def _detail(request, booking, side, *, propose_form=None, decline_form=None, status=200):
    return render(request, "bookings/detail.html", {
        "booking": booking, "side": side, "moves": selectors.moves_for(request.user, booking),
        "S": BookingStatus, "propose_form": propose_form or ProposeForm(),
        "decline_form": decline_form or DeclineForm(),
    }, status=status)


@login_required
def detail(request, pk: int):
    booking, side = _booking_for(request, pk)
    return _detail(request, booking, side)


def _act(request, pk: int, action, done: str):
    booking, side = _booking_for(request, pk)
    try:
        result = action(booking, side)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result is not None:
            return result
        messages.success(request, done)
    return redirect("bookings:detail", pk=pk)


@login_required
@require_POST
def confirm(request, pk: int):
    return _act(request, pk, lambda b, s: services.confirm(user=request.user, booking=b) and None,
                _("预约已确认，已显示在基地日历上。"))


@login_required
@require_POST
def accept(request, pk: int):
    return _act(request, pk, lambda b, s: services.accept_proposal(user=request.user, booking=b) and None,
                _("已接受基地建议的日期，预约已确认。"))


@login_required
@require_POST
def done(request, pk: int):
    return _act(request, pk, lambda b, s: services.mark_done(user=request.user, booking=b) and None,
                _("已标记中试完成。"))


@login_required
@require_POST
def propose(request, pk: int):
    def act(booking, side):
        form = ProposeForm(request.POST)
        if not form.is_valid():
            return _detail(request, booking, side, propose_form=form, status=400)
        data = form.cleaned_data
        services.propose(user=request.user, booking=booking, start_date=data["start_date"],
                         end_date=data["end_date"], answer=data["answer"])
        return None

    return _act(request, pk, act, _("已向企业建议新的日期。"))


@login_required
@require_POST
def decline(request, pk: int):
    def act(booking, side):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return _detail(request, booking, side, decline_form=form, status=400)
        services.decline(user=request.user, booking=booking, reason=form.cleaned_data["reason"])
        return None

    return _act(request, pk, act, _("预约已婉拒。"))

"""The organizer's page for recording an offline payment (bank transfer or on site) of a held seat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.core.forms import add_validation_errors

from . import selectors
from .forms import OfflinePaymentForm
from .offline_payments import record_offline_payment
from .permissions import can_manage_event
from .states import RegistrationStatus


@login_required
def offline_payment(request, event_id: int, pk: int):
    event = selectors.event_by_id(event_id)
    if event is None:
        raise Http404
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))
    registration = selectors.registration_of_event(event, pk)
    if registration is None:
        raise Http404
    waiting = registration.status == RegistrationStatus.PENDING_PAYMENT
    form = OfflinePaymentForm(request.POST or None, initial={"amount": registration.total_price})
    if request.method == "POST" and waiting and form.is_valid():
        try:
            record_offline_payment(user=request.user, registration=registration, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("已登记线下付款，报名已确认：%(org)s")
                             % {"org": registration.organization.name})
            return redirect("events:manage_event", event.pk)
    return render(request, "events/offline_payment.html",
                  {"event": event, "registration": registration, "form": form, "waiting": waiting},
                  status=400 if request.method == "POST" and form.errors else 200)

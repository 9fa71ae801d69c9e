"""The registrant's "pay now" button: start a Stripe Checkout for a registration (POST, then 303 to Stripe).
Stripe's answer comes back through the payments app's webhook (services.checkout handles it)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.payments.services import PaymentServiceError, PaymentsNotConfigured

from . import selectors
from .services import checkout

logger = logging.getLogger(__name__)


@login_required
@require_POST
def start_checkout(request, pk: int):
    registration = selectors.registration_detail(pk)
    if registration is None:
        raise Http404
    ticket_url = request.build_absolute_uri(reverse("events:registration", args=[registration.pk]))
    try:
        payment = checkout.start_checkout(user=request.user, registration=registration,
                                          success_url=ticket_url + "?checkout=success",
                                          cancel_url=ticket_url + "?checkout=cancelled")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PaymentsNotConfigured:
        logger.error("checkout requested but Stripe is not configured")
        messages.error(request, _("在线支付暂未开通，请联系组织方。"))
    except PaymentServiceError:  # already logged with Stripe's details
        messages.error(request, _("支付服务暂时不可用，请稍后再试。"))
    else:
        if not payment.checkout_url:
            return redirect(ticket_url)
        response = HttpResponseRedirect(payment.checkout_url)
        response.status_code = 303  # "see other": the browser follows with a GET to Stripe
        return response
    return redirect("events:registration", registration.pk)

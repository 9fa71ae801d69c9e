"""Thin views: start a Stripe Checkout (POST, then 303 to Stripe) and receive Stripe's webhook."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, webhooks
from .payers import payer

logger = logging.getLogger(__name__)


@login_required
@require_POST
def start_checkout(request, registration_id: int):
    registration = payer().find(registration_id)
    if registration is None:
        raise Http404
    ticket_url = request.build_absolute_uri(payer().page_url(registration))
    try:
        payment = services.start_checkout(user=request.user, registration=registration,
                                          success_url=ticket_url + "?checkout=success",
                                          cancel_url=ticket_url + "?checkout=cancelled")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.PaymentsNotConfigured:
        logger.error("checkout requested but Stripe is not configured")
        messages.error(request, _("在线支付暂未开通，请联系组织方。"))
    except services.PaymentServiceError:  # already logged with Stripe's details
        messages.error(request, _("支付服务暂时不可用，请稍后再试。"))
    else:
        if not payment.checkout_url:
            return redirect(ticket_url)
        response = HttpResponseRedirect(payment.checkout_url)
        response.status_code = 303  # "see other": the browser follows with a GET to Stripe
        return response
    return redirect(payer().page_url(registration))


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        outcome = webhooks.handle_webhook(request.body, request.headers.get("Stripe-Signature"))
    except webhooks.BadWebhook as error:
        logger.warning("rejected a Stripe webhook: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    except services.PaymentsNotConfigured as error:
        logger.error("Stripe webhook received but not configured: %s", error)
        return JsonResponse({"error": "webhook not configured"}, status=503)
    except services.PaymentServiceError as error:
        # A refund failed: nothing was recorded (the transaction rolled back); Stripe will retry.
        logger.error("Stripe call failed while handling a webhook: %s", error)
        return JsonResponse({"error": "upstream error, retry later"}, status=503)
    return JsonResponse({"outcome": outcome})

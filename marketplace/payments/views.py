"""Stripe's webhook (verified here, handed to the handler registered for its type). Checkouts start from
the app that sells something (events.checkout_views)."""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        outcome = services.handle_webhook(request.body, request.headers.get("Stripe-Signature"))
    except services.BadWebhook as error:
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

"""Read-only views of money for bureau staff in the Django admin: the ledger is append-only."""

from django.contrib import admin

from .models import LedgerEntry, Payment, ProcessedStripeEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["stripe_session_id", "registration", "amount", "currency", "status", "created_at",
                    "paid_at"]
    list_filter = ["status"]
    search_fields = ["stripe_session_id", "stripe_payment_intent_id"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "amount", "currency", "registration", "stripe_object_id", "note"]
    list_filter = ["kind", "currency"]
    search_fields = ["stripe_object_id", "stripe_session_id", "stripe_event_id"]


@admin.register(ProcessedStripeEvent)
class ProcessedStripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "outcome", "received_at"]
    search_fields = ["event_id"]

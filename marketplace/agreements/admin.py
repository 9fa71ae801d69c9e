from django.contrib import admin

from .models import Agreement, AgreementParty, Target


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "agreement_type",
        "amount",
        "signed_on",
        "county",
        "field",
        "registration_number",
        "source",
        "status",
    ]
    list_filter = ["status", "duplicate_state", "agreement_type", "source", "county", "field"]
    search_fields = ["title", "registration_number"]
    date_hierarchy = "signed_on"
    inlines = [AgreementPartyInline]
    raw_id_fields = ["deal", "created_by"]

    # Read-only here: every change goes through the services, which keep the audit trail and the
    # verification rules (the agreement's own page at /agreements/<id>/).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "metric", "target", "note"]
    list_filter = ["year", "metric"]

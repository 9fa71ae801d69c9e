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
    ]
    list_filter = ["agreement_type", "source", "county", "field"]
    search_fields = ["title", "registration_number"]
    date_hierarchy = "signed_on"
    inlines = [AgreementPartyInline]
    raw_id_fields = ["deal", "created_by"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "metric", "target", "note"]
    list_filter = ["year", "metric"]

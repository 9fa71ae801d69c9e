from django.contrib import admin

from .models import Deal, DealTransition


class DealTransitionInline(admin.TabularInline):
    model = DealTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "by", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        # Stages change only through the service, which checks the state machine.
        return False


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "agent", "enterprise", "academic", "updated_at"]
    list_filter = ["stage", "origin"]
    search_fields = ["title"]
    readonly_fields = ["stage", "version", "match_score", "match_reasons", "match_shared_terms"]
    raw_id_fields = ["agent", "enterprise", "academic", "pilot_base", "demand", "achievement"]
    inlines = [DealTransitionInline]

from django.contrib import admin

from .models import Participant, Registration, RegistrationLog


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    readonly_fields = ["checkin_code", "checked_in_at", "checked_in_by"]


class RegistrationLogInline(admin.TabularInline):
    model = RegistrationLog
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "note", "at"]
    can_delete = False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """For support staff. Status changes belong to the organizer's dashboard (services), so the status is
    read-only here."""

    list_display = ["organization", "event", "status", "seats", "ticket_name", "unit_price", "created_at"]
    list_filter = ["status"]
    search_fields = ["organization__name", "contact_email"]
    readonly_fields = ["status", "event", "organization", "registered_by", "ticket", "ticket_name",
                       "unit_price", "seats", "created_at", "waitlisted_at", "confirmed_at", "cancelled_at"]
    inlines = [ParticipantInline, RegistrationLogInline]

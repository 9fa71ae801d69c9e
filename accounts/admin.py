from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Organization, User
from .privacy.models import ContactReveal


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("平台 Platform", {"fields": ("role", "display_name", "phone")}),)
    list_display = ("username", "email", "display_name", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_superuser")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uscc", "county", "verified")
    list_filter = ("kind", "verified", "county")
    search_fields = ("name", "uscc")
    inlines = [MembershipInline]


@admin.register(ContactReveal)
class ContactRevealAdmin(admin.ModelAdmin):
    """Append-only: readable, never added, changed or deleted by hand."""

    list_display = ("revealed_at", "viewer", "page_title", "organization", "contact_name")
    list_filter = ("revealed_at",)
    search_fields = ("page_title", "contact_name", "viewer__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

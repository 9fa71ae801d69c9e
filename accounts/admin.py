from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Organization, User


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

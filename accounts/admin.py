from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization, PrivacyConsent, RoleApplication, User
from .privacy.models import ContactReveal


class PlatformUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class PlatformUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    """Django's user admin, keyed on e-mail (there is no username)."""

    form = PlatformUserChangeForm
    add_form = PlatformUserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "first_name", "last_name")}),
        (_("平台"), {"fields": ("role",)}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1",
                                                               "password2")}),)
    list_display = ("email", "display_name", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_superuser")
    search_fields = ("email", "display_name")
    ordering = ("email",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uscc", "county", "verified")
    list_filter = ("kind", "verified", "county")
    search_fields = ("name", "uscc")
    inlines = [MembershipInline]


@admin.register(RoleApplication)
class RoleApplicationAdmin(admin.ModelAdmin):
    """Read-only here: decisions go through the bureau's queue in the Wagtail admin, which grants the role."""

    list_display = ("user", "role", "organization", "status", "created_at", "decided_by")
    list_filter = ("status", "role")
    readonly_fields = [f.name for f in RoleApplication._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "version", "consented_at")
    readonly_fields = ("user", "version", "consented_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContactReveal)
class ContactRevealAdmin(admin.ModelAdmin):
    """Append-only: readable, never added, changed or deleted by hand."""

    list_display = ("revealed_at", "viewer", "page_title", "organization", "contact_name")
    list_filter = ("revealed_at",)
    search_fields = ("page_title", "contact_name", "viewer__email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_bureau

from . import admin_views


@hooks.register("register_admin_urls")
def api_key_urls():
    return [
        path("api-keys/", admin_views.all_keys, name="partner_api_admin_keys"),
        path("api-keys/<int:pk>/revoke/", admin_views.revoke, name="partner_api_admin_revoke"),
    ]


class BureauMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_bureau(request.user)


@hooks.register("register_admin_menu_item")
def api_keys_menu_item():
    return BureauMenuItem(_("接口密钥"), reverse("partner_api_admin_keys"), icon_name="key", order=260)

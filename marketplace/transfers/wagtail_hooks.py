from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_bureau

from . import admin_views


@hooks.register("register_admin_urls")
def transfer_admin_urls():
    return [
        path("transfers/", admin_views.queue, name="transfers_admin_queue"),
        path("transfers/<int:pk>/approve/", admin_views.approve, name="transfers_admin_approve"),
        path("transfers/<int:pk>/reject/", admin_views.reject, name="transfers_admin_reject"),
        path("transfers/objections/<int:pk>/resolve/", admin_views.resolve, name="transfers_admin_resolve"),
        path("transfers/dashboard/", admin_views.dashboard, name="transfers_admin_dashboard"),
        path("transfers/export.csv", admin_views.export_csv, name="transfers_admin_export"),
    ]


class BureauMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_bureau(request.user)


@hooks.register("register_admin_menu_item")
def transfer_queue_menu_item():
    return BureauMenuItem(_("挂牌交易审核"), reverse("transfers_admin_queue"), icon_name="tasks", order=151)


@hooks.register("register_admin_menu_item")
def transfer_dashboard_menu_item():
    return BureauMenuItem(_("挂牌交易统计"), reverse("transfers_admin_dashboard"), icon_name="table", order=152)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "marketplace.deals"
    label = "deals"
    verbose_name = _("技术经纪商机")

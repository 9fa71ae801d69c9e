from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "marketplace.agreements"
    label = "agreements"
    verbose_name = _("产学研合作协议与目标 Agreements & targets")

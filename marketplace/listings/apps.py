from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "marketplace.listings"
    label = "listings"
    verbose_name = _("成果、需求与中试基地")

    def ready(self) -> None:
        from accounts.privacy.selectors import register_export_section

        from .selectors import listing_contacts_of

        register_export_section("listing_contacts", listing_contacts_of)

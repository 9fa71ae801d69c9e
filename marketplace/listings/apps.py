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

        from marketplace.core.cache import bump_publication

        from .bulk import bulk_load_finished

        # A bulk load may publish without a page_published signal per page: public fragments are stale.
        bulk_load_finished.connect(bump_publication, dispatch_uid="listings.bulk_load_finished.cache")

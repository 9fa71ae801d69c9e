from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import health
from marketplace.api.api import api as partner_api

handler429 = "config.ratelimit.too_many_requests"  # allauth's login/sign-up limits answer through this

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/api-keys/", include("marketplace.api.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("my/inquiries/", include("marketplace.inquiries.urls")),
    path("my/alerts/", include("marketplace.alerts.urls")),
    path("my/bookings/", include("marketplace.bookings.urls")),
    path("my/", include("marketplace.listings.urls")),
    path("deals/", include("marketplace.deals.urls")),
    path("agreements/", include("marketplace.agreements.urls")),
    path("dashboard/", include("marketplace.agreements.dashboard_urls")),
    path("search/", include("search.urls")),
    path("api/v1/", include("search.api_urls")),
    path("api/v1/", partner_api.urls),
    path("events/", include("marketplace.events.urls")),
    path("payments/", include("marketplace.payments.urls")),
    path("challenges/", include("marketplace.challenges.urls")),
    path("programs/", include("marketplace.programs.urls")),
    path("transfers/", include("marketplace.transfers.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", health.metrics, name="metrics"),
]

if settings.BENCH:  # bench/web_bench.py's baseline: no such URL on a real site
    from config import bench

    urlpatterns.insert(0, path("bench/bare/", bench.bare))

if settings.DEBUG:
    # Development only, and only Wagtail images (public page content placed by bureau editors). Documents
    # go through Wagtail's /documents/ view; users' uploads live in PRIVATE_MEDIA_ROOT, which no URL serves.
    for folder in ("images/", "original_images/"):
        urlpatterns += static(settings.MEDIA_URL + folder, document_root=settings.MEDIA_ROOT / folder)

urlpatterns += [path("", include(wagtail_urls))]

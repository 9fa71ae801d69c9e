"""Reads for API keys."""

from django.db.models import QuerySet

from accounts.models import Organization

from .models import ApiKey


def keys_of(organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).select_related("created_by", "revoked_by")


def all_keys(*, active_only: bool = False) -> QuerySet[ApiKey]:
    qs = ApiKey.objects.select_related("organization", "created_by", "revoked_by")
    return qs.filter(revoked_at__isnull=True) if active_only else qs


def key_by_prefix(prefix: str) -> ApiKey | None:
    """Read from the database on every request: a revoked key is refused at once."""
    return ApiKey.objects.select_related("organization", "created_by").filter(prefix=prefix).first()

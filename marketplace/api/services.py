"""Writes for API keys: made and revoked by an organization's admins (revoked by bureau staff too)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import is_bureau, is_org_admin

from . import keys
from .models import ApiKey, Scope
from .selectors import key_by_prefix

MAX_RATE_LIMIT = 600


def can_manage_keys(user: User, organization: Organization) -> bool:
    return bool(user and user.is_authenticated and is_org_admin(user, organization))


@transaction.atomic
def create_key(*, user: User, organization: Organization, name: str, scopes: list[str],
               rate_limit: int = 120) -> tuple[ApiKey, str]:
    """Make a key; returns it with the whole secret key, which is never stored and never shown again."""
    if not can_manage_keys(user, organization):
        raise PermissionDenied(_("只有机构管理员可以创建接口密钥。"))
    scopes = sorted(set(scopes))
    if not scopes or any(s not in Scope.values for s in scopes):
        raise ValidationError({"scopes": _("请至少选择一项权限范围。")})
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        raise ValidationError({"rate_limit": _("每分钟请求上限应在1到%(max)d之间。") % {"max": MAX_RATE_LIMIT}})
    if not name.strip():
        raise ValidationError({"name": _("请填写名称。")})
    prefix, whole = keys.new_key()
    while ApiKey.objects.filter(prefix=prefix).exists():  # 4 billion prefixes: a clash is rare, but possible
        prefix, whole = keys.new_key()
    key = ApiKey.objects.create(organization=organization, name=name.strip(), prefix=prefix,
                                secret_hash=keys.hash_key(whole), scopes=scopes, rate_limit=rate_limit,
                                created_by=user)
    return key, whole


@transaction.atomic
def revoke_key(*, user: User, key: ApiKey) -> ApiKey:
    if not (is_bureau(user) or can_manage_keys(user, key.organization)):
        raise PermissionDenied(_("只有机构管理员或科技局工作人员可以吊销接口密钥。"))
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_by = user
        key.save(update_fields=["revoked_at", "revoked_by"])
    return key


def authenticate(raw: str) -> ApiKey | None:
    """The active key this string is, with its last use recorded; None for anything else."""
    prefix = keys.split_key(raw or "")
    if prefix is None:
        return None
    key = key_by_prefix(prefix)
    if key is None or not keys.matches(raw, key.secret_hash) or key.revoked_at is not None:
        return None
    now = timezone.now()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
    return key

"""Writes about personal information: logging a contact reveal, erasing an account."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from accounts.models import Membership

from .models import ContactReveal
from .selectors import is_verified_member

# Sent inside the erasing transaction, after the user's own fields are blanked, so apps that hold more
# about the person (higher layers) can erase it too. Arguments: user.
account_erased = Signal()


def reveal_contact(*, viewer, page) -> ContactReveal:
    """Log that `viewer` saw the full contact of `page` (a live listing). Only members of verified
    organizations may."""
    if not is_verified_member(viewer):
        raise PermissionDenied(_("只有已认证机构的成员可以查看完整联系方式。"))
    return ContactReveal.objects.create(
        viewer=viewer, page_id=page.pk, page_title=page.title[:255], organization=page.organization,
        contact_owner=page.owner if page.owner_id else None, contact_name=page.contact_name)


@transaction.atomic
def erase_account(user) -> None:
    """Delete an account the way 个人信息保护法 asks: the person's own fields are erased and the account
    can never log in again; what belongs to their organization (listings, agreements, deals) and the
    append-only reveal log stay, now pointing to an anonymous user."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    # E-mail is the unique login: an erased account keeps a placeholder that names no one.
    user.email = f"deleted-{user.pk}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.display_name = ""
    user.phone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    account_erased.send(sender=User, user=user)

"""The "send an inquiry" box that listing and challenge pages include (templates/inquiries/_inquire.html)."""

from django import template

from accounts.permissions import is_member

from .. import selectors
from ..forms import InquiryForm

register = template.Library()


@register.inclusion_tag("inquiries/_inquiry_box.html", takes_context=True)
def inquiry_box(context, page) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        state, form = "anonymous", None
    elif is_member(user, page.organization):
        state, form = "owner", None
    elif selectors.can_inquire(user, page):
        state, form = "can", InquiryForm(user=user, listing=page)
    else:
        state, form = "unverified", None
    return {"page": page, "state": state, "form": form, "request": request,
            "csrf_token": context.get("csrf_token")}

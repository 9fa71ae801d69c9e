"""Display helpers for listings: their kind, money in 元/万元, budget ranges."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from marketplace.listings.models import LISTING_MODELS, ListingIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_contact(context, page):
    """The listing's contact as this visitor may see it (masked unless they may see it in full)."""
    from accounts.privacy.selectors import contact_for

    return contact_for(context["request"].user, page)

_KIND_OF_MODEL = {model: kind for kind, model in LISTING_MODELS.items()}
WAN = Decimal(10000)


@register.filter
def listing_kind(obj) -> str:
    """"achievement", "demand" or "pilot_base" for a listing page, its class or its index page."""
    if isinstance(obj, Page):
        obj = obj.specific_class  # no query: resolved from the content type
    if isinstance(obj, type) and issubclass(obj, ListingIndexPage):
        obj = obj.listing_model
    return _KIND_OF_MODEL.get(obj, "")


@register.filter
def verbose_name(model) -> str:
    return str(model._meta.verbose_name) if model is not None else ""


@register.filter
def cny(value) -> str:
    """800000 → "80万元"; 5000 → "5000元". Decimal throughout, never float."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not (get_language() or "zh").startswith("zh"):
        # 万 has no English counterpart: English readers get the whole amount.
        return f"¥{amount.quantize(Decimal('0.01')).normalize():,f}"
    if abs(amount) >= WAN:
        wan = (amount / WAN).quantize(Decimal("0.01")).normalize()
        return f"{wan:f}万元"
    return f"{amount.quantize(Decimal('0.01')).normalize():f}元"


@register.filter
def price_text(page) -> str:
    if page.price is None:
        return _("面议")
    text = cny(page.price)
    return f"{text}（{_('可面议')}）" if page.price_negotiable else text


@register.filter
def budget_text(page) -> str:
    low, high = page.budget_min, page.budget_max
    if low is None and high is None:
        return _("面议")
    if low is not None and high is not None:
        if low == high:
            return cny(low)
        return f"{cny(low).removesuffix('元').removesuffix('万')}–{cny(high)}" if _same_unit(low, high) \
            else f"{cny(low)}–{cny(high)}"
    if low is not None:
        return f"≥ {cny(low)}"
    return f"≤ {cny(high)}"


def _same_unit(low: Decimal, high: Decimal) -> bool:
    return (abs(low) >= WAN) == (abs(high) >= WAN)


@register.filter
def zh_labels(labels) -> str:
    """["许可 License", "转让 Assignment"] → "许可、转让": the short form for cards."""
    return "、".join(str(label) for label in labels or [])


@register.simple_tag
def public_listing_counts() -> dict[str, int]:
    """How many live listings of each kind the public can see (for the home page's figures)."""
    from marketplace.listings.selectors import public_listings

    return {kind: public_listings(model).count() for kind, model in LISTING_MODELS.items()}


@register.filter
def listing_badges(page) -> list[str]:
    """Badges other apps add to a listing (see listings.extensions), e.g. its evaluation level."""
    from ..extensions import badges_for

    return badges_for(page)

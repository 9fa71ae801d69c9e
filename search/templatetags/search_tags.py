"""Template helpers: the match lists shown on listing pages."""

import logging
from urllib.parse import urlencode

from django import template
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import PlatformRole
from accounts.permissions import can_edit_listing
from marketplace.core import cache as shared_cache
from marketplace.listings.models import DemandPage, PilotBasePage
from search import matching, services
from search.backends import SearchError
from search.documents import is_demand_side

register = template.Library()
logger = logging.getLogger(__name__)


def _outcome_actions(context: dict, request, page) -> None:
    """The listing's owner marks each match 不相关 / 已联系; an agent opens a deal (商机) from it, both
    sides prefilled (the deals app's own create view records the pair and the engine's reasons)."""
    user = getattr(request, "user", None)
    context["can_mark"] = bool(user and user.is_authenticated and can_edit_listing(user, page))
    context["feedback_page"] = page.pk
    agent = bool(user and user.is_authenticated and (user.role == PlatformRole.AGENT or user.is_superuser))
    if not agent or isinstance(page, PilotBasePage):
        return
    try:
        base = reverse("deals:new")
    except NoReverseMatch:  # the deals app is not installed in this deployment
        return
    for m in context["matches"]:
        if isinstance(m.page, PilotBasePage):
            continue
        demand, result = (page, m.page) if is_demand_side(page) else (m.page, page)
        if isinstance(demand, DemandPage):
            params = {"demand": demand.pk, "achievement": result.pk}
        else:  # a challenge is no demand record: its enterprise is the deal's enterprise party
            params = {"enterprise": demand.organization_id, "achievement": result.pk, "title": demand.title}
        m.deal_url = f"{base}?{urlencode(params)}"


def _matches_context(context, page, finder, heading: str, empty: str, top: int) -> dict:
    # Live pages show matches to everyone; a draft shows them in its owner's (or a moderator's)
    # preview, so an enterprise sees its best matches the moment it submits a demand.
    request = context.get("request")
    previewing = bool(getattr(request, "is_preview", False))
    context = {
        "heading": heading,
        "empty_message": empty,
        "matches": [],
        "unavailable": False,
        "show": bool(page is not None and (getattr(page, "live", False) or previewing)),
    }
    if not context["show"]:
        return context
    try:
        # A preview shows unsaved edits under the stored revision's id: its ranking is never cached.
        context["matches"] = finder(page, top=top, cached=False) if previewing else finder(page, top=top)
        services.heal(context["matches"].stale_ids)  # hits no longer public leave the index
        # Fewer but better: only matches that clear the cut-off show at first (search.matching.is_strong).
        context["strong"] = [m for m in context["matches"] if m.strong]
        context["weaker"] = [m for m in context["matches"] if not m.strong]
        for rank, m in enumerate(context["strong"] + context["weaker"], start=1):
            m.rank = rank
        _outcome_actions(context, request, page)
    except SearchError:
        logger.exception("matching failed for page %s", page.pk)
        context["unavailable"] = True
        context["unavailable_message"] = _("搜索服务暂时不可用，请稍后再试")
    return context


def _match_list(context, kind: str, page, finder, heading: str, empty: str, top: int) -> SafeString:
    """The rendered match list. For visitors who are not signed in it is the same for everyone, so the HTML
    is shared (per listing revision, search, publication and feedback generations, and language); signed-in
    people get owner and agent controls in it and always have it rendered for them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    previewing = bool(getattr(request, "is_preview", False))
    key = None
    if page is not None and page.pk and not previewing and not (user and user.is_authenticated):
        key = shared_cache.public_key("match-html", kind, page.pk, page.latest_revision_id, top,
                                      generations=(shared_cache.SEARCH, shared_cache.PUBLICATION,
                                                   shared_cache.FEEDBACK))
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template
    values = _matches_context(context, page, finder, heading, empty, top)
    # As an inclusion tag renders: a new context on the page's, keeping its CSRF token for the owner's forms.
    new_context = context.new(values)
    if context.get("csrf_token") is not None:
        new_context["csrf_token"] = context.get("csrf_token")
    html = context.template.engine.get_template("search/_match_list.html").render(new_context)
    if key and not values["unavailable"]:
        cache.set(key, html, shared_cache.FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template


@register.simple_tag(takes_context=True)
def demand_matches(context, page, top: int = 10) -> SafeString:
    """On a demand page: the achievements that match it, with score and reasons."""
    return _match_list(context, "demand", page, matching.match_demand, _("匹配的科技成果"),
                       _("暂无匹配的科技成果。"), top)


@register.simple_tag(takes_context=True)
def achievement_matches(context, page, top: int = 10) -> SafeString:
    """On an achievement page: the enterprises whose demands it could answer."""
    return _match_list(context, "achievement", page, matching.match_achievement, _("需要此成果的企业"),
                       _("暂无相关的企业需求。"), top)


@register.simple_tag(takes_context=True)
def pilot_base_matches(context, page, top: int = 5) -> SafeString:
    """On a demand page: pilot bases that could scale the solution up."""
    return _match_list(context, "pilot_base", page, matching.match_pilot_bases, _("可对接的中试基地"),
                       _("暂无匹配的中试基地。"), top)


@register.simple_tag(takes_context=True)
def search_url(context, **changes) -> str:
    """The current search's query string with some parameters changed ("" removes one).

    Changing anything but the page number goes back to page 1."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value in ("", None):
            params.pop(name, None)
        else:
            params[name] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def facet_url(context, param: str, value: str, selected: bool = False) -> str:
    """Link that selects a facet value, or clears it when it is already selected."""
    return search_url(context, **{param: "" if selected else value})


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    return search_url(context, page=number)

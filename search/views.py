"""The search page (/search/) and the matches API (/api/v1/...). Thin: forms validate, selectors and
matching do the work; a backend failure becomes a friendly message, never a 500."""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can_edit_listing
from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.listings.selectors import listing_by_id, public_listings

from . import matching, selectors, services
from .backends import SearchError
from .documents import is_demand_side
from .forms import SearchForm

logger = logging.getLogger(__name__)
UNAVAILABLE = gettext_noop("搜索服务暂时不可用，请稍后再试")


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"form": form, "unavailable_message": _(UNAVAILABLE)}
    status = 200
    if not request.GET:
        return render(request, "search/search.html", context)
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    if form.has_criteria():
        data = form.cleaned_data
        try:
            context["results"] = selectors.search_listings_cached(
                data["q"], form.filters(), sort=data["sort"] or "relevance", page=data["page"] or 1
            )
            if context["results"].stale_ids:
                services.heal(context["results"].stale_ids)
        except SearchError:
            logger.exception("search failed")
            context["unavailable"] = True
            status = 503
    return render(request, "search/search.html", context, status=status)


def _top(request: HttpRequest, default: int) -> int | JsonResponse:
    raw = request.GET.get("top", str(default))
    try:
        top = int(raw)
    except ValueError:
        return JsonResponse({"error": _("top 必须是整数。")}, status=400)
    if not 1 <= top <= matching.MAX_TOP:
        return JsonResponse(
            {"error": _("top 必须在1到%(max)d之间。") % {"max": matching.MAX_TOP}},
            status=400,
        )
    return top


def _listing_json(page) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_url() or "",
        "external_id": getattr(page, "external_id", "") or "",
        "field": page.field.name,
        "county": page.county.name if page.county else "",
    }


def _matches_response(request: HttpRequest, model, page_id: int, key: str, match) -> JsonResponse:
    top = _top(request, 10)
    if isinstance(top, JsonResponse):
        return top
    page = public_listings(model).filter(pk=page_id).first()
    if page is None:
        return JsonResponse({"error": _("未找到已发布的该条信息。")}, status=404)
    try:
        matches = match(page, top=top)
        services.heal(matches.stale_ids)  # hits no longer public leave the index
    except SearchError:
        logger.exception("matching failed")
        return JsonResponse({"error": _(UNAVAILABLE)}, status=503)
    return JsonResponse(
        {
            key: _listing_json(page),
            "matches": [
                {
                    "id": m.page.pk,
                    "title": m.page.title,
                    "url": m.page.get_url() or "",
                    "score": m.score,
                    "reasons": m.reasons,
                }
                for m in matches
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def demand_matches_api(request: HttpRequest, page_id: int) -> JsonResponse:
    """GET /api/v1/demands/<id>/matches?top=N → the best achievements for a published demand."""
    return _matches_response(request, DemandPage, page_id, "demand", matching.match_demand)


@require_GET
def achievement_matches_api(request: HttpRequest, page_id: int) -> JsonResponse:
    """GET /api/v1/achievements/<id>/matches?top=N → the open demands a published achievement answers."""
    return _matches_response(request, AchievementPage, page_id, "achievement", matching.match_achievement)


@require_POST
def match_feedback(request: HttpRequest) -> HttpResponse:
    """The owner of a listing marks one of its matches 不相关 or 已联系 (search.models.MatchFeedback)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page_id, other_id, verdict = (request.POST.get(k, "") for k in ("page", "other", "verdict"))
    if verdict not in ("irrelevant", "contacted") or not page_id.isdigit() or not other_id.isdigit():
        return HttpResponseBadRequest(_("请求参数有误。"))
    page = listing_by_id(int(page_id))
    other = listing_by_id(int(other_id))
    # The demand side is a demand or a 揭榜挂帅 challenge (search.documents.is_demand_side).
    if page is None or other is None or is_demand_side(page) == is_demand_side(other):
        return HttpResponseBadRequest(_("找不到这条匹配。"))
    if not can_edit_listing(request.user, page):
        raise PermissionDenied(_("只有该信息的发布机构可以标记匹配。"))
    demand, result = (page, other) if is_demand_side(page) else (other, page)
    services.record_feedback(demand_id=demand.pk, result_id=result.pk, verdict=verdict, user=request.user)
    messages.success(request, _("已记录，匹配排序会参考您的标记。"))
    return redirect(page.get_url() or "/")

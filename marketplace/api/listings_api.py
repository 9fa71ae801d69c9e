"""/api/v1/listings/…: the public listings of every kind, the caller's own (drafts included), writes that
go through the owners' moderation services, and matches. One set of operations per kind, made by
`_register`, so each kind has its own typed schemas in the OpenAPI document."""


from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from marketplace.challenges.models import ChallengePage
from marketplace.challenges.selectors import public_challenges
from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage, ListingPage, PilotBasePage
from marketplace.listings.selectors import (
    filtered_listings,
    listing_by_id,
    listings_of_organizations,
    moderation_status,
)
from marketplace.taxonomy.models import County, IndustryField
from search import matching
from search.backends import SearchError
from search.services import heal

from . import schemas as s
from .common import Id, Paging, acting_user, etag_response, idempotency_key, key_of, paginate
from .errors import ApiError, ErrorOut
from .models import Scope

router = Router(tags=["listings"])
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 409: ErrorOut}


@dataclass(frozen=True)
class Kind:
    slug: str                      # in the path
    code: str                      # in the body's "kind"
    model: type[ListingPage]
    create: type[Schema] | None = None
    patch: type[Schema] | None = None


KINDS = [
    Kind("achievements", "achievement", AchievementPage, s.AchievementIn, s.AchievementPatch),
    Kind("demands", "demand", DemandPage, s.DemandIn, s.DemandPatch),
    Kind("pilot-bases", "pilot_base", PilotBasePage, s.PilotBaseIn, s.PilotBasePatch),
    Kind("challenges", "challenge", ChallengePage),
]
CODE_OF = {k.model: k.code for k in KINDS}
KIND_FIELDS = [
    "summary", "detail", "trl", "transfer_modes", "price", "price_negotiable", "description", "budget_min",
    "budget_max", "deadline", "cooperation_modes", "capabilities", "equipment", "capacity", "fees", "problem",
    "goals", "bounty", "application_deadline"]


def _term(obj) -> dict | None:
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


def listing_out(page: ListingPage, *, with_status: bool = False) -> s.ListingOut:
    data = {
        "id": page.pk, "kind": CODE_OF[type(page)], "title": page.title, "url": page.get_url() or "",
        "organization": {"id": page.organization.pk, "name": page.organization.name,
                         "kind": page.organization.kind},
        "field": _term(page.field), "county": _term(page.county), "keywords": page.keyword_list,
        "external_id": page.external_id, "first_published_at": page.first_published_at,
        "expires_at": page.expires_at,
        "status": moderation_status(page)["code"] if with_status else None,
    }
    data.update({name: getattr(page, name) for name in KIND_FIELDS if hasattr(page, name)})
    return s.ListingOut(**data)


class ListingFilters(Schema):
    q: s.Text = Query("", max_length=100, description="标题或关键词中包含的文字")
    field: s.Text = Query("", max_length=50, description="产业领域 slug")
    county: s.Text = Query("", max_length=50, description="县(市、区) slug")


def _match_out(match: matching.Match) -> s.MatchOut:
    return s.MatchOut(id=match.page.pk, title=match.page.title, url=match.page.get_url() or "", score=match.score,
                      reasons=list(match.reasons), shared_terms=list(match.shared_terms), strong=match.strong)


def _public(kind: Kind, filters: ListingFilters) -> QuerySet:
    params = {"field": filters.field, "county": filters.county}
    if kind.model is ChallengePage:
        qs = public_challenges().order_by("application_deadline", "pk")
        if filters.field:
            qs = qs.filter(field__slug=filters.field)
        if filters.county:
            qs = qs.filter(county__slug=filters.county)
    else:
        qs, _filters = filtered_listings(kind.model, params)
        if (filters.field and _filters["field"] is None) or (filters.county and _filters["county"] is None):
            return qs.none()  # an unknown slug matches nothing (the HTML list ignores it instead)
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(Q(title__icontains=text) | Q(keywords__icontains=text))
    return qs


def _taxonomy(data: dict) -> dict:
    """Slugs in the body → the rows the services expect; an unknown slug is a field error."""
    errors = []
    if "field" in data:
        field = IndustryField.objects.filter(slug=data["field"] or "").first()
        if field is None:
            errors.append({"field": "field", "message": _("未知的产业领域。")})
        data["field"] = field
    if data.get("county"):
        county = County.objects.filter(slug=data["county"]).first()
        if county is None:
            errors.append({"field": "county", "message": _("未知的县(市、区)。")})
        data["county"] = county
    if errors:
        raise ApiError("invalid_data", errors=errors)
    return data


def _ip_items(data: dict) -> list[listing_services.IPItemData] | None:
    items = data.pop("ip_items", None)
    if items is None:
        return None
    return [listing_services.IPItemData(ip_type=i["ip_type"], number=i["number"], title=i.get("title", ""))
            for i in items]


def _written(page: ListingPage, kind: Kind) -> s.WriteOut:
    return s.WriteOut(id=page.pk, kind=kind.code, status=moderation_status(page)["code"],
                      message=_("已提交审核，科技局审核通过后公开。"))


def _register(kind: Kind) -> None:
    name = kind.code

    @router.get(f"/{kind.slug}", response={200: s.ListingPageOut, **READ_ERRORS},
                operation_id=f"list_{name}", url_name=f"list_{name}", summary=f"{kind.model._meta.verbose_name}")
    def list_listings(request: HttpRequest, filters: Query[ListingFilters], paging: Query[Paging]):
        key_of(request, Scope.READ)
        result = paginate(_public(kind, filters), paging)
        result["results"] = [listing_out(p) for p in result["results"]]
        return result

    @router.get(f"/{kind.slug}/{{listing_id}}", response={200: s.ListingOut, 304: None, **READ_ERRORS},
                operation_id=f"get_{name}", url_name=f"get_{name}")
    def get_listing(request: HttpRequest, listing_id: Id) -> HttpResponse:
        """The published version. ETag / If-None-Match answer 304 when nothing changed."""
        key_of(request, Scope.READ)
        page = _public(kind, ListingFilters()).filter(pk=listing_id).first()
        if page is None:
            raise ApiError("not_found")
        return etag_response(request, listing_out(page))

    if kind.model in (AchievementPage, DemandPage):
        match = matching.match_demand if kind.model is DemandPage else matching.match_achievement

        @router.get(f"/{kind.slug}/{{listing_id}}/matches",
                    response={200: s.MatchesOut, 503: ErrorOut, **READ_ERRORS},
                    operation_id=f"matches_{name}", url_name=f"matches_{name}")
        def matches(request: HttpRequest, listing_id: Id, top: int = Query(10, ge=1, le=matching.MAX_TOP)):
            """需求 → 匹配的成果；成果 → 它能回应的需求。最好的在前，附理由。"""
            key_of(request, Scope.READ)
            page = _public(kind, ListingFilters()).filter(pk=listing_id).first()
            if page is None:
                raise ApiError("not_found")
            try:
                found = match(page, top=top)
                heal(found.stale_ids)  # hits no longer public leave the index
            except SearchError as error:
                raise ApiError("search_unavailable") from error
            return {"listing": listing_out(page), "matches": [_match_out(m) for m in found]}

    if kind.create is None:
        return

    @router.post(f"/{kind.slug}", response={201: s.WriteOut, **WRITE_ERRORS},
                 operation_id=f"create_{name}", url_name=f"create_{name}")
    def create_listing(request: HttpRequest, payload: kind.create):  # type: ignore[name-defined]
        """以密钥所属机构的名义新建；与网页表单一样进入审核，审核通过前不公开。"""
        key = key_of(request, Scope.WRITE_LISTINGS)
        user = acting_user(key)
        data = _taxonomy(payload.dict())
        ip_items = _ip_items(data)
        page = listing_services.create_listing(
            user=user, model=kind.model, data={**data, "organization": key.organization}, ip_items=ip_items,
            submission_token=idempotency_key(request))
        return Status(201, _written(page, kind))

    @router.patch(f"/{kind.slug}/{{listing_id}}", response={200: s.WriteOut, **WRITE_ERRORS},
                  operation_id=f"update_{name}", url_name=f"update_{name}")
    def update_listing(request: HttpRequest, listing_id: Id, payload: kind.patch):  # type: ignore[name-defined]
        """只改所传字段；修改成为新的待审版本，已发布的版本在审核通过前不变。"""
        key = key_of(request, Scope.WRITE_LISTINGS)
        page = kind.model.objects.filter(pk=listing_id).select_related("organization").first()
        if page is None or (page.organization_id != key.organization.pk and not page.live):
            raise ApiError("not_found")  # someone else's draft: its existence is not revealed
        if page.organization_id != key.organization.pk:
            raise ApiError("forbidden", _("只能修改本机构发布的信息。"))
        user = acting_user(key)
        data = payload.dict(exclude_unset=True)
        required = {n for n, f in kind.create.model_fields.items() if f.is_required()}
        nulls = [n for n in required if n in data and data[n] is None]
        if nulls:
            raise ApiError("invalid_data", errors=[{"field": n, "message": _("该字段不能为空。")} for n in nulls])
        data = _taxonomy(data)
        ip_items = _ip_items(data)
        draft = listing_services.update_listing(user=user, page=page, data=data, ip_items=ip_items,
                                                submission_token=idempotency_key(request))
        return Status(200, _written(kind.model.objects.get(pk=draft.pk), kind))


for _kind in KINDS:
    _register(_kind)


@router.get("/mine", response={200: s.ListingPageOut, **READ_ERRORS}, operation_id="list_own_listings",
            url_name="list_own_listings", tags=["own organization"])
def own_listings(request: HttpRequest, paging: Query[Paging]):
    """本机构的全部信息（含草稿和审核中的），各自带审核状态，显示最新版本。"""
    key = key_of(request, Scope.READ)
    pages = listings_of_organizations({key.organization.pk})
    result = paginate(pages, paging)
    result["results"] = [_latest(p) for p in result["results"]]
    return result


def _latest(page: ListingPage) -> s.ListingOut:
    latest = page.get_latest_revision_as_object()
    out = listing_out(latest, with_status=False)
    out.status = moderation_status(page)["code"]
    return out


@router.get("/mine/{listing_id}", response={200: s.ListingOut, 304: None, **READ_ERRORS},
            operation_id="get_own_listing", url_name="get_own_listing", tags=["own organization"])
def own_listing(request: HttpRequest, listing_id: Id) -> HttpResponse:
    """本机构的一条信息的最新版本（草稿或待审的也可读）；别的机构的草稿一律 404。"""
    key = key_of(request, Scope.READ)
    page = listing_by_id(listing_id)
    if page is None or page.organization_id != key.organization.pk or type(page) not in CODE_OF:
        raise ApiError("not_found")
    return etag_response(request, _latest(page))

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.permissions import can_view_draft
from marketplace.core import cache as shared_cache
from marketplace.taxonomy.models import County, IndustryField

from .extensions import apply_extensions, load_badges
from .models import LISTING_MODELS, AchievementPage, DemandPage, ListingPage, PilotBasePage


def public_listings(model: type[ListingPage]) -> QuerySet:
    """Live listings that have not expired, newest first."""
    today = timezone.localdate()
    qs = shared_cache.public(model.objects.live()).select_related("organization", "field", "county")
    qs = qs.exclude(expires_at__lt=today)
    if model is DemandPage:
        qs = qs.exclude(deadline__lt=today)
    return qs.order_by("-first_published_at", "-pk")


def filtered_listings(model: type[ListingPage], params) -> tuple[QuerySet, dict]:
    qs = public_listings(model)
    field = IndustryField.objects.filter(slug=params.get("field") or "").first()
    county = County.objects.filter(slug=params.get("county") or "").first()
    if field:
        qs = qs.filter(field=field)
    if county:
        qs = qs.filter(county=county)
    qs, extra, orderings = apply_extensions(model, qs, params)  # filters and sorts added by apps above
    filters = {
        "field": field,
        "county": county,
        "fields": IndustryField.objects.all(),
        "counties": County.objects.all(),
        "extra": extra,
        "orderings": orderings,
    }
    return qs, filters


def latest_public(limit: int = 6) -> dict[str, list]:
    return {
        "achievements": load_badges(list(public_listings(AchievementPage)[:limit])),
        "demands": list(public_listings(DemandPage)[:limit]),
        "pilot_bases": list(public_listings(PilotBasePage)[:limit]),
    }


def listings_of_organizations(org_ids: set[int]) -> list[ListingPage]:
    """Every listing (draft, in moderation or live) owned by these organizations, newest first."""
    result: list[ListingPage] = []
    for model in LISTING_MODELS.values():
        result.extend(model.objects.filter(organization_id__in=org_ids).select_related("organization"))
    return sorted(result, key=lambda p: p.latest_revision_created_at or p.first_published_at or timezone.now(),
                  reverse=True)


def listing_by_id(page_id: int) -> ListingPage | None:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    specific = page.specific
    return specific if isinstance(specific, ListingPage) else None


def downloadable_attachment(user, page: ListingPage, *, draft: bool = False) -> FieldFile | None:
    """The attachment this user may download: a published listing's file (the live revision's) for anyone;
    the latest revision's file (draft or in review) only for the owners and bureau staff."""
    may_see_draft = can_view_draft(user, page)
    if may_see_draft and (draft or not page.live):
        file = page.get_latest_revision_as_object().attachment
    elif page.live:
        file = page.attachment
    else:
        return None
    return file or None


def listing_contacts_of(user) -> list[dict]:
    """The contact fields of the listings this person published (any listing type), for their data export."""
    rows = []
    for page in Page.objects.filter(owner=user).specific().order_by("pk"):
        if isinstance(page, ListingPage):
            rows.append({"listing_id": page.pk, "title": page.title, "type": str(page._meta.verbose_name),
                         "contact_name": page.contact_name, "contact_phone": page.contact_phone,
                         "contact_email": page.contact_email})
    return rows


def moderation_status(page: ListingPage) -> dict:
    """What the owner should see about a listing: published / in review / sent back (with the
    reviewer's comment) / draft / withdrawn."""
    from wagtail.models import TaskState, WorkflowState

    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return {"code": "in_review", "label": _("审核中"), "comment": ""}
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        rejected = state.task_states.filter(status=TaskState.STATUS_REJECTED).order_by("-finished_at").first()
        return {"code": "rejected", "label": _("已退回"), "comment": rejected.comment if rejected else ""}
    if page.live and not page.has_unpublished_changes:
        return {"code": "published", "label": _("已发布"), "comment": ""}
    if page.live:
        return {"code": "published_with_draft", "label": _("已发布（有未提交修改）"),
                "comment": ""}
    if page.first_published_at:
        return {"code": "withdrawn", "label": _("已撤回"), "comment": ""}
    return {"code": "draft", "label": _("草稿"), "comment": ""}

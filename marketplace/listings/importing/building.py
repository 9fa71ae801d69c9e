"""A parsed, valid record → a listing page: its organization (matched by USCC, created when new), its
fields, its IP items or served industries, validated as the site validates an owner's form.

``import_record`` is the per-line path (update an existing listing, or create one with ``add_child``,
then publish it or submit it for moderation). ``plan_new_page`` builds an unsaved page for the bulk
writer (writer.py), which places many at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from marketplace.core.pages import TREE_FIELDS, submit_for_moderation
from marketplace.taxonomy.models import County

from ..models import AchievementIPItem, ListingPage
from ..services import ALLOWED_OWNER_KINDS, INDEX_FOR, SLUG_PREFIX
from .parsing import PageFinder, RecordParser, find_page
from .report import RecordInvalid, problems_of
from .vocabulary import DEFAULT_KIND, Taxonomy

# Foreign keys whose values the import read from the database itself (taxonomy rows, the organization
# it just matched or created): the bulk path skips clean_fields' one existence query per key and line.
RESOLVED_KEYS = ["organization", "field", "county"]


class Organizations:
    """Organizations by USCC, each read once per import (a file names the same few many times)."""

    def __init__(self) -> None:
        self._by_uscc: dict[str, Organization | None] = {}

    def get(self, uscc: str) -> Organization | None:
        if uscc not in self._by_uscc:
            self._by_uscc[uscc] = Organization.objects.filter(uscc=uscc).first()
        return self._by_uscc[uscc]

    def remember(self, org: Organization) -> None:
        self._by_uscc[org.uscc] = org

    def forget_all(self) -> None:
        """After a rollback: organizations created in it no longer exist."""
        self._by_uscc.clear()


@dataclass
class NewPage:
    """An unsaved, validated listing waiting for the bulk writer; ``line`` is its line in the file."""

    line: int
    page: ListingPage
    ip_items: list[AchievementIPItem] = field(default_factory=list)
    industries: list = field(default_factory=list)


def import_record(record: dict, *, publish: bool = False, user: User | None = None,
                  taxonomy: Taxonomy | None = None, find: PageFinder = find_page,
                  orgs: Organizations | None = None) -> tuple[ListingPage, bool]:
    """Create or update one listing from one decoded JSON object. Raises RecordInvalid or
    ValidationError; the caller's transaction undoes any partial write."""
    parser = RecordParser(record, taxonomy, find)
    model = parser.model()
    if model is None:
        raise RecordInvalid(parser.problems)
    external_id, existing = parser.existing_page(model)
    data, extras = parser.listing_data(model)
    data["external_id"] = external_id
    org_spec = parser.organization_spec(model)
    if parser.problems:
        raise RecordInvalid(parser.problems)

    org = organization_for(org_spec, model, data.get("county"), orgs or Organizations())
    save_organization(org, orgs)
    data["organization"] = org
    if existing is None:
        page = model(owner=user, live=False, slug=f"{SLUG_PREFIX[model]}-{uuid.uuid4().hex[:10]}", **data)
        apply_extras(page, extras)
        validate(page)
        parent = INDEX_FOR[model].objects.first()
        parent.add_child(instance=page)
    else:
        page = existing.get_latest_revision_as_object()
        for name, value in data.items():
            setattr(page, name, value)
        apply_extras(page, extras)
        validate(page)
    if publish:
        # --publish is an operator's decision for the whole file; the page owner's own rights don't apply.
        # validate() above ran the field checks and the listing's rules: the revision needs no second
        # full_clean (the slug is a fresh random one, unique among its siblings).
        page.save_revision(user=user, clean=False).publish(user=user, skip_permission_checks=True)
    else:
        submit_for_moderation(page, user)
    return page, existing is None


def plan_new_page(parser: RecordParser, model: type[ListingPage], *, line: int, user: User | None,
                  orgs: Organizations) -> NewPage:
    """An unsaved page for a record whose external_id is new, validated exactly like import_record's;
    a new organization is saved (inside the caller's transaction) only once the whole line is valid."""
    external_id = parser.text("external_id") or ""
    data, extras = parser.listing_data(model)
    data["external_id"] = external_id
    org_spec = parser.organization_spec(model)
    if parser.problems:
        raise RecordInvalid(parser.problems)
    org = organization_for(org_spec, model, data.get("county"), orgs)
    page = model(owner=user, slug=f"{SLUG_PREFIX[model]}-{uuid.uuid4().hex[:10]}", **data)
    apply_extras(page, extras)
    validate(page, exclude=RESOLVED_KEYS)
    save_organization(org, orgs)
    page.organization = org
    return NewPage(line, page, ip_items=list(page.ip_items.all()) if "ip_items" in extras else [],
                   industries=list(extras.get("industries", [])))


def validate(page: ListingPage, exclude: list[str] = ()) -> None:
    """The model's field checks and its business rules, all reported together (a line with a bad
    e-mail and an inverted budget hears about both)."""
    problems: dict[str, list[str]] = {}
    skip = [*TREE_FIELDS, *exclude]
    for check in (lambda: page.clean_fields(exclude=skip), page.validate_listing):
        try:
            check()
        except ValidationError as error:
            for key, messages in problems_of(error).items():
                problems.setdefault(key, []).extend(m for m in messages if m not in problems.get(key, []))
    if problems:
        raise RecordInvalid(problems)


def apply_extras(page: ListingPage, extras: dict) -> None:
    if "ip_items" in extras:
        page.ip_items.set([AchievementIPItem(ip_type=ip_type, number=number, title=title)
                           for ip_type, number, title in extras["ip_items"]])
    if "industries" in extras:
        page.industries.set(extras["industries"])


def organization_for(spec: dict, model: type[ListingPage], county: County | None,
                     orgs: Organizations) -> Organization:
    """The organization named by USCC, or a new (validated, not yet saved) one; it must be allowed to
    post this listing type."""
    org = orgs.get(spec["uscc"])
    if org is None:
        org = Organization(name=spec["name"], kind=spec["kind"] or DEFAULT_KIND[model], uscc=spec["uscc"],
                           county=county)
        try:
            org.full_clean()
        except ValidationError as error:
            problems = {f"organization.{key or 'name'}": msgs for key, msgs in problems_of(error).items()}
            raise RecordInvalid(problems) from None
    if org.kind not in ALLOWED_OWNER_KINDS[model]:
        raise RecordInvalid({"organization.kind": [
            _("机构类型“%(kind)s”不能发布“%(type)s”。")
            % {"kind": org.get_kind_display(), "type": model._meta.verbose_name}]})
    return org


def save_organization(org: Organization, orgs: Organizations | None) -> None:
    if org.pk is not None:
        return
    with transaction.atomic():  # a savepoint: a failed insert must not poison the batch's transaction
        org.save()
    if orgs is not None:
        orgs.remember(org)

"""What the API reads and writes (pydantic, via django-ninja; the OpenAPI schema is generated from these).

Contacts (names, phones, e-mails) are never in the API: the site masks them and logs every reveal, which a
machine reader cannot go through."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, create_model

from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from marketplace.listings.choices import IPType, TransferMode

MAX_PAGE_SIZE = 100


def clean_text(value: str) -> str:
    # PostgreSQL cannot store NUL, and a lone surrogate cannot be encoded: refuse both as bad input (422).
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("contains a NUL or an unpaired surrogate character")
    return value


Text = Annotated[str, AfterValidator(clean_text)]
TransferModeCode = Literal[tuple(TransferMode.values)]  # type: ignore[valid-type]
IPTypeCode = Literal[tuple(IPType.values)]  # type: ignore[valid-type]


class Term(Schema):
    slug: str
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str


class ListingOut(Schema):
    """A listing of any kind. Fields that do not belong to the kind are null."""

    id: int
    kind: str
    title: str
    url: str
    organization: OrganizationOut
    field: Term
    county: Term | None
    keywords: list[str]
    external_id: str
    first_published_at: dt.datetime | None
    expires_at: dt.date | None
    status: str | None = Field(None, description="本机构自己的信息才有：published、in_review、rejected、draft 等")
    # 科技成果
    summary: str | None = None
    detail: str | None = None
    trl: int | None = None
    transfer_modes: list[str] | None = None
    price: Decimal | None = None
    price_negotiable: bool | None = None
    # 技术需求
    description: str | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    deadline: dt.date | None = None
    cooperation_modes: list[str] | None = None
    # 中试基地
    capabilities: str | None = None
    equipment: str | None = None
    capacity: str | None = None
    fees: str | None = None
    # 揭榜挂帅
    problem: str | None = None
    goals: str | None = None
    bounty: Decimal | None = None
    application_deadline: dt.date | None = None


class Page(Schema):
    count: int
    page: int
    page_size: int


class ListingPageOut(Page):
    results: list[ListingOut]


class MatchOut(Schema):
    id: int
    title: str
    url: str
    score: float
    reasons: list[str]
    shared_terms: list[str]
    strong: bool


class MatchesOut(Schema):
    listing: ListingOut
    matches: list[MatchOut]


class IPItemIn(Schema):
    model_config = ConfigDict(extra="forbid")
    ip_type: IPTypeCode
    number: Text = Field(..., min_length=1, max_length=60)
    title: Text = Field("", max_length=200)


class _ListingIn(Schema):
    """Fields every listing shares. `field` and `county` are slugs (GET /taxonomy lists them)."""

    model_config = ConfigDict(extra="forbid")
    title: Text = Field(..., min_length=1, max_length=255)
    field: Text = Field(..., min_length=1, max_length=50)
    county: Text | None = Field(None, max_length=50)
    keywords: Text = Field("", max_length=200)
    expires_at: dt.date | None = None
    external_id: Text = Field("", max_length=100)


MONEY = {"ge": 0, "max_digits": MONEY_MAX_DIGITS, "decimal_places": MONEY_DECIMAL_PLACES}


class AchievementIn(_ListingIn):
    summary: Text = Field(..., min_length=1, max_length=20000)
    detail: Text = Field("", max_length=50000)
    trl: int = Field(..., ge=1, le=9)
    transfer_modes: list[TransferModeCode] = Field(..., min_length=1)
    price: Decimal | None = Field(None, **MONEY)
    price_negotiable: bool = False
    ip_items: list[IPItemIn] = Field([], max_length=50)


class DemandIn(_ListingIn):
    description: Text = Field(..., min_length=1, max_length=20000)
    budget_min: Decimal | None = Field(None, **MONEY)
    budget_max: Decimal | None = Field(None, **MONEY)
    deadline: dt.date | None = None
    cooperation_modes: list[TransferModeCode] = Field(..., min_length=1)


class PilotBaseIn(_ListingIn):
    capabilities: Text = Field(..., min_length=1, max_length=20000)
    equipment: Text = Field("", max_length=20000)
    capacity: Text = Field("", max_length=200)
    fees: Text = Field("", max_length=200)


class _Patch(Schema):
    model_config = ConfigDict(extra="forbid")


def _patch(model: type[Schema], name: str) -> type[Schema]:
    """The same fields, every one optional: a PATCH changes only what it sends."""
    fields = {n: (f.annotation | None, Field(None, **_constraints(f))) for n, f in model.model_fields.items()}
    return create_model(name, __base__=_Patch, **fields)


def _constraints(field_info) -> dict:
    out = {}
    for meta in field_info.metadata:
        for attr in ("min_length", "max_length", "ge", "le", "max_digits", "decimal_places"):
            value = getattr(meta, attr, None)
            if value is not None:
                out[attr] = value
    return out


AchievementPatch = _patch(AchievementIn, "AchievementPatch")
DemandPatch = _patch(DemandIn, "DemandPatch")
PilotBasePatch = _patch(PilotBaseIn, "PilotBasePatch")


class WriteOut(Schema):
    id: int
    kind: str
    status: str
    message: str


class TicketOut(Schema):
    id: int
    name: str
    price: Decimal
    description: str


class EventOut(Schema):
    id: int
    title: str
    url: str
    event_type: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    online_url: str
    county: Term | None
    capacity: int
    seats_left: int
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    requires_approval: bool
    tickets: list[TicketOut]


class EventPageOut(Page):
    results: list[EventOut]


class ParticipantIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(..., min_length=1, max_length=80)
    title: Text = Field("", max_length=80)
    phone: Text = Field("", max_length=30)
    email: Text = Field("", max_length=254)


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    ticket_id: int = Field(..., ge=1, le=2**31 - 1)
    participants: list[ParticipantIn] = Field(..., min_length=1, max_length=50)
    contact_email: Text = Field("", max_length=254)
    offers: Text = Field("", max_length=2000)
    seeks: Text = Field("", max_length=2000)


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str
    seats: int
    ticket_name: str


class PartyOut(Schema):
    organization: OrganizationOut
    side: str


class AgreementOut(Schema):
    id: int
    title: str
    agreement_type: str
    amount: Decimal
    signed_on: dt.date
    status: str
    county: Term
    field: Term
    parties: list[PartyOut]


class AgreementPageOut(Page):
    results: list[AgreementOut]


class TargetOut(Schema):
    code: str
    label: str
    target: int | None
    actual: int
    available: bool
    pace: int | None
    forecast: int | None
    on_track: bool | None


class TargetsOut(Schema):
    year: int
    targets: list[TargetOut]


class TaxonomyOut(Schema):
    fields: list[Term]
    counties: list[Term]

"""/api/v1/events, /agreements, /targets, /taxonomy."""


from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from marketplace.agreements.dashboard import target_rows
from marketplace.agreements.selectors import agreements_with_parties
from marketplace.events.models import EventPage
from marketplace.events.selectors import public_events, seats_left
from marketplace.events.services import registrations as event_registrations
from marketplace.taxonomy.models import County, IndustryField

from . import schemas as s
from .common import Id, Paging, acting_user, etag_response, idempotency_key, key_of, paginate
from .errors import ApiError, ErrorOut
from .listings_api import READ_ERRORS, WRITE_ERRORS, _term
from .models import Scope

events = Router(tags=["events"])
agreements = Router(tags=["own organization"])
public = Router(tags=["reference"])


def event_out(event: EventPage) -> s.EventOut:
    return s.EventOut(
        id=event.pk, title=event.title, url=event.get_url() or "", event_type=event.event_type,
        summary=event.summary, starts_at=event.starts_at, ends_at=event.ends_at, venue=event.venue,
        online_url=event.online_url, county=_term(event.county), capacity=event.capacity,
        seats_left=seats_left(event), registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at, requires_approval=event.requires_approval,
        tickets=[{"id": t.pk, "name": t.name, "price": t.price, "description": t.description}
                 for t in event.ticket_types.all()])


def _live_event(event_id: int) -> EventPage:
    upcoming, past = public_events()
    event = next((e for e in [*upcoming, *past] if e.pk == event_id), None)
    if event is None:
        raise ApiError("not_found")
    return event


@events.get("", response={200: s.EventPageOut, **READ_ERRORS}, operation_id="list_events",
            url_name="list_events")
def list_events(request: HttpRequest, paging: Query[Paging]):
    """正在进行和将要举行的活动（最近的在前），然后是最近的往期活动。"""
    key_of(request, Scope.READ)
    upcoming, past = public_events()
    result = paginate([*upcoming, *past], paging)
    result["results"] = [event_out(e) for e in result["results"]]
    return result


@events.get("/{event_id}", response={200: s.EventOut, 304: None, **READ_ERRORS}, operation_id="get_event",
            url_name="get_event")
def get_event(request: HttpRequest, event_id: Id) -> HttpResponse:
    key_of(request, Scope.READ)
    return etag_response(request, event_out(_live_event(event_id)))


@events.post("/{event_id}/registrations", response={201: s.RegistrationOut, **WRITE_ERRORS},
             operation_id="register_for_event", url_name="register_for_event")
def register(request: HttpRequest, event_id: Id, payload: s.RegistrationIn):
    """以密钥所属机构报名：与网页报名同样的名额、候补、审核和重复报名规则；被拒时 409 并说明原因。"""
    key = key_of(request, Scope.EVENTS)
    user = acting_user(key)
    event = _live_event(event_id)
    ticket = event.ticket_types.filter(pk=payload.ticket_id).first()
    if ticket is None:
        raise ApiError("invalid_data", errors=[{"field": "ticket_id", "message": _("该票种不属于本活动。")}])
    registration = event_registrations.register(
        user=user, event=event, organization=key.organization, ticket=ticket,
        participants=[event_registrations.ParticipantData(**p.dict()) for p in payload.participants],
        contact_email=payload.contact_email, offers=payload.offers, seeks=payload.seeks,
        submission_token=idempotency_key(request))
    return Status(201, {"id": registration.pk, "event_id": event.pk, "status": registration.status,
                 "seats": registration.seats, "ticket_name": registration.ticket_name})


def agreement_out(agreement) -> s.AgreementOut:
    return s.AgreementOut(
        id=agreement.pk, title=agreement.title, agreement_type=agreement.agreement_type, amount=agreement.amount,
        signed_on=agreement.signed_on, status=agreement.status, county=_term(agreement.county),
        field=_term(agreement.field),
        parties=[{"organization": {"id": p.organization.pk, "name": p.organization.name,
                                   "kind": p.organization.kind}, "side": p.side}
                 for p in agreement.party_links.all()])


def _own_agreements(key):
    # Only those the key's organization signed (not every one its maker may see as broker or organizer).
    return (agreements_with_parties()
            .filter(party_links__organization=key.organization).distinct().order_by("-signed_on", "-pk"))


@agreements.get("", response={200: s.AgreementPageOut, **READ_ERRORS}, operation_id="list_agreements",
                url_name="list_agreements")
def list_agreements(request: HttpRequest, paging: Query[Paging]):
    """本机构作为签约方的协议（任何认定状态）。"""
    key = key_of(request, Scope.READ)
    result = paginate(_own_agreements(key), paging)
    result["results"] = [agreement_out(a) for a in result["results"]]
    return result


@agreements.get("/{agreement_id}", response={200: s.AgreementOut, 304: None, **READ_ERRORS},
                operation_id="get_agreement", url_name="get_agreement")
def get_agreement(request: HttpRequest, agreement_id: Id) -> HttpResponse:
    key = key_of(request, Scope.READ)
    agreement = _own_agreements(key).filter(pk=agreement_id).first()
    if agreement is None:
        raise ApiError("not_found")
    return etag_response(request, agreement_out(agreement))


@public.get("/targets", response={200: s.TargetsOut, **READ_ERRORS}, operation_id="targets",
            url_name="targets")
def targets(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    """年度目标完成情况（与首页和科技局看板同一口径：只计已认定、无重复嫌疑的协议）。"""
    key_of(request, Scope.READ)
    today = timezone.localdate()
    year = year or today.year
    rows = target_rows(year, today)
    return {"year": year, "targets": [
        {"code": r.code, "label": str(r.label), "target": r.target, "actual": r.actual, "available": r.available,
         "pace": r.pace, "forecast": r.forecast, "on_track": r.on_track} for r in rows]}


@public.get("/taxonomy", response={200: s.TaxonomyOut, **READ_ERRORS}, operation_id="taxonomy",
            url_name="taxonomy")
def taxonomy(request: HttpRequest):
    """产业领域和县(市、区)的 slug，筛选和发布时用。"""
    key_of(request, Scope.READ)
    return {"fields": [_term(f) for f in IndustryField.objects.order_by("pk")],
            "counties": [_term(c) for c in County.objects.order_by("pk")]}


__all__ = ["ErrorOut", "agreements", "events", "public"]

"""Front-end views for registrants and organizers. Thin: permissions in permissions.py, writes in
the services/ package, reads in selectors.py. Bad input comes back as a form error or a 4xx with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobs.selectors import latest_job
from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission, answer_duplicate
from marketplace.payments.selectors import online_payment_available, payments_of
from marketplace.payments.services import PaymentServiceError

from . import checkin, exports, selectors
from .forms import (
    AddMeetingForm,
    CheckInCodeForm,
    PreferenceForm,
    ReasonForm,
    RegistrationForm,
    SlotTableForm,
)
from .models import EventPage, Registration, WhenFull
from .participant_forms import ParticipantFormSet, participant_initial
from .permissions import can_act_for_registration, can_manage_event, can_view_registration, is_organizer
from .schedule_inputs import describe_unfit
from .services import (
    checkins,
    meeting_preferences,
    refunds,
    registrations,
    schedule_edits,
    schedule_generation,
)
from .states import CANCELLABLE, RegistrationStatus

REGISTERED_MESSAGES = {
    RegistrationStatus.CONFIRMED: gettext_lazy("报名成功！确认邮件已发送。"),
    RegistrationStatus.PENDING_PAYMENT: gettext_lazy("已为您保留名额，请完成支付。"),
    RegistrationStatus.PENDING_APPROVAL: gettext_lazy("报名已提交，等待组织方审核。"),
    RegistrationStatus.WAITLISTED: gettext_lazy("名额已满，您已进入候补名单。"),
}


REFUND_UNAVAILABLE = gettext_lazy("支付服务暂时无法办理退款，本次操作未生效，请稍后再试。")


def _errors(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _or_404(found):
    if found is None:
        raise Http404
    return found


def _event_or_404(event_id: int) -> EventPage:
    return _or_404(selectors.event_by_id(event_id))


def _managed_event(request, event_id: int) -> EventPage:
    event = _event_or_404(event_id)
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("只有本活动的组织方可以操作。"))
    return event


def _registration_for(request, pk: int) -> Registration:
    registration = selectors.registration_detail(pk)
    if registration is None or not can_view_registration(request.user, registration):
        raise Http404
    return registration


# --------------------------------------------------------------------------------------------------
# Registrants

@login_required
def register(request, event_id: int):
    event = _event_or_404(event_id)
    if not event.live:
        raise Http404
    existing = selectors.active_registration_for(request.user, event)
    if existing is not None:
        messages.info(request, _("您的单位已报名此活动。"))
        return redirect("events:registration", existing.pk)
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, event=event, user=request.user)
    if not form.fields["organization"].queryset.exists():
        messages.warning(request, _("请先登记您的单位，再报名活动。"))
        return redirect("accounts:organization_create")
    seats_left = selectors.seats_left(event)
    people = ParticipantFormSet(data, prefix="participants", initial=participant_initial(request.user),
                                seats_left=seats_left, waitlist=event.when_full == WhenFull.WAITLIST)
    # Both validated (not short-circuited), so the page shows every error at once.
    if data is not None and all([form.is_valid(), people.is_valid()]):
        cleaned = form.cleaned_data
        try:
            registration = registrations.register(
                user=request.user, event=event, organization=cleaned["organization"], ticket=cleaned["ticket"],
                participants=people.rows(), contact_email=cleaned["contact_email"], offers=cleaned["offers"],
                seeks=cleaned["seeks"], demands=list(cleaned["demands"]),
                achievements=list(cleaned["achievements"]), submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda r: reverse("events:registration", args=[r.pk]))
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)  # participants and rows are not fields: shown above the form
        else:
            messages.success(request, REGISTERED_MESSAGES.get(registration.status, _("已提交。")))
            return redirect("events:registration", registration.pk)
    return render(request, "events/register.html", {"event": event, "form": form, "participants": people,
                                                    "seats_left": seats_left})


@login_required
def my_registrations(request):
    return render(request, "events/my_registrations.html",
                  {"registrations": selectors.registrations_of_user(request.user)})


@login_required
def registration_detail(request, pk: int):
    """The ticket page: status, payment, QR codes and short codes, meeting preferences and the agenda."""
    registration = _registration_for(request, pk)
    event = registration.event
    is_registrant = can_act_for_registration(request.user, registration)
    attending = registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN)
    people = []
    for person in registration.participants.all():
        url = checkin.checkin_url(person) if attending else ""
        people.append({"person": person, "qr": checkin.qr_svg_data_uri(url) if url else "", "url": url})
    preferences = selectors.preferences_of(registration)
    partners = [{"registration": r, "preference": preferences.get(r.pk, "")}
                for r in selectors.possible_partners(registration)] if event.has_meetings else []
    return render(request, "events/registration_detail.html", {
        "registration": registration, "event": event, "people": people, "is_registrant": is_registrant,
        "can_manage": can_manage_event(request.user, event),
        "can_cancel": is_registrant and registration.status in CANCELLABLE,
        "agenda": selectors.agenda(registration), "schedule": selectors.schedule_of(event),
        "partners": partners, "payments": payments_of(registration),
        "online_payment": online_payment_available(),
        "waitlist_position": selectors.waitlist_position(registration),
        "refund_if_cancelled_now": refunds.refund_due(registration, by_organizer=False),
        "checkout_returned": request.GET.get("checkout") == "success",
        "S": RegistrationStatus,
    })


@login_required
def cancel_registration(request, pk: int):
    """GET asks for confirmation (what is refunded, what is lost); the POST from that page cancels."""
    registration = _registration_for(request, pk)
    if request.method != "POST":
        by_organizer = can_manage_event(request.user, registration.event)
        return render(request, "events/cancel_confirm.html", {
            "registration": registration, "event": registration.event,
            "next": "manage" if by_organizer and request.GET.get("next") == "manage" else "",
            "refund": refunds.refund_due(registration, by_organizer=by_organizer),
            "cancellable": registration.status in CANCELLABLE})
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        refunded = registrations.cancel(user=request.user, registration=registration, reason=reason)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PaymentServiceError:  # logged by payments; the cancellation rolled back
        messages.error(request, REFUND_UNAVAILABLE)
    else:
        if refunded:
            messages.success(request, _("报名已取消，¥%(a)s 将原路退回。") % {"a": refunded})
        else:
            messages.success(request, _("报名已取消。"))
    if can_manage_event(request.user, registration.event) and request.POST.get("next") == "manage":
        return redirect("events:manage_event", registration.event_id)
    return redirect("events:registration", registration.pk)


@login_required
@require_POST
def set_preference(request, pk: int):
    registration = _registration_for(request, pk)
    form = PreferenceForm(request.POST, registration=registration)
    if not form.is_valid():
        return HttpResponseBadRequest(_("无效的洽谈意向。"))
    kind = form.cleaned_data["kind"]
    try:
        meeting_preferences.set_preference(user=request.user, registration=registration,
                                           target=form.cleaned_data["target"],
                                           kind=None if kind == "clear" else kind)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("洽谈意向已保存。"))
    return redirect(reverse("events:registration", args=[registration.pk]) + "#meetings")


# --------------------------------------------------------------------------------------------------
# Organizers

@login_required
def manage_list(request):
    if not is_organizer(request.user):
        raise PermissionDenied(_("活动管理仅对活动组织方开放。"))
    return render(request, "events/manage_list.html",
                  {"events": selectors.events_for_organizer(request.user)})


@login_required
def manage_event(request, event_id: int):
    event = _managed_event(request, event_id)
    status = request.GET.get("status") or None
    if status and status not in RegistrationStatus.values:
        status = None
    return render(request, "events/manage_event.html", {
        "event": event, "registrations": selectors.registrations_for_event(event, status),
        "counts": selectors.status_counts(event), "seats_taken": selectors.seats_taken(event),
        "status_filter": status, "statuses": RegistrationStatus.choices, "S": RegistrationStatus,
        "schedule": selectors.schedule_of(event),
    })


@login_required
@require_POST
def registration_action(request, event_id: int, pk: int, action: str):
    event = _managed_event(request, event_id)
    registration = _or_404(selectors.registration_of_event(event, pk))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions = {
        "approve": lambda: registrations.approve(user=request.user, registration=registration),
        "reject": lambda: registrations.reject(user=request.user, registration=registration, reason=reason),
        "cancel": lambda: registrations.cancel(user=request.user, registration=registration, reason=reason),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PaymentServiceError:  # logged by payments; the rejection or cancellation rolled back
        messages.error(request, REFUND_UNAVAILABLE)
    else:
        messages.success(request, _("已处理：%(org)s") % {"org": registration.organization.name})
    return redirect("events:manage_event", event.pk)


@login_required
def export(request, event_id: int, fmt: str):
    event = _managed_event(request, event_id)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(event), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(event), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-participants-{stamp}.{fmt}"'
    return response


@login_required
def schedule(request, event_id: int):
    event = _managed_event(request, event_id)
    sched = selectors.schedule_of(event)
    attending = selectors.attending_registrations(event)
    unfit, names = selectors.current_unfit(event, sched)
    return render(request, "events/schedule.html", {
        "event": event, "schedule": sched, "grid": selectors.schedule_grid(event),
        "unfit": describe_unfit(unfit, names),
        "add_form": AddMeetingForm(event=event), "attending": attending,
        "meeting_count": selectors.meeting_count(event),
        "job": latest_job(kind=schedule_generation.SCHEDULE_JOB,
                          subject=schedule_generation.schedule_job_subject(event)),
    })


@login_required
@require_POST
def schedule_action(request, event_id: int, action: str):
    event = _managed_event(request, event_id)
    try:
        if action == "generate":
            schedule_generation.request_schedule_generation(user=request.user, event=event)
            messages.success(request, _("日程正在后台生成，本页会显示进度；您可以离开本页，稍后再回来查看。"))
        elif action == "publish":
            schedule_edits.publish_schedule(user=request.user, event=event)
            messages.success(request, _("日程已发布，参会单位可查看各自的洽谈安排。"))
        elif action == "unpublish":
            schedule_edits.unpublish_schedule(user=request.user, event=event)
            messages.success(request, _("日程已撤回。"))
        elif action == "add":
            form = AddMeetingForm(request.POST, event=event)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            data = form.cleaned_data
            schedule_edits.add_meeting(user=request.user, event=event, a=data["a"], b=data["b"],
                                       slot=data["slot"] - 1, table=data["table"] - 1)
            messages.success(request, _("已添加洽谈。"))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("events:schedule", event.pk)


@login_required
@require_POST
def meeting_action(request, event_id: int, pk: int, action: str):
    event = _managed_event(request, event_id)
    meeting = _or_404(selectors.meeting_of_event(event, pk))
    try:
        if action == "move":
            form = SlotTableForm(request.POST, event=event)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            schedule_edits.move_meeting(user=request.user, meeting=meeting, slot=form.cleaned_data["slot"] - 1,
                                        table=form.cleaned_data["table"] - 1)
            messages.success(request, _("洽谈已调整。"))
        elif action == "cancel":
            schedule_edits.cancel_meeting(user=request.user, meeting=meeting)
            messages.success(request, _("洽谈已取消。"))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("events:schedule", event.pk)


@login_required
def checkin_desk(request, event_id: int):
    """Type a ticket's short code (or scan its QR code with any camera: it opens checkin_token)."""
    event = _managed_event(request, event_id)
    form = CheckInCodeForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = checkins.check_in_by_code(user=request.user, event=event, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            form = CheckInCodeForm()
    status = 400 if form.errors else 200
    return render(request, "events/checkin.html", {
        "event": event, "form": form, "result": result, "recent": selectors.attendance(event)[:10],
    }, status=status)


@login_required
def checkin_token(request, token: str):
    """Where a ticket's QR code leads. Shows whose ticket it is; the organizer confirms with a POST."""
    try:
        participant = checkins.participant_from_token(token)
    except ValidationError as error:
        return render(request, "events/checkin_confirm.html", {"error": _errors(error)}, status=400)
    registration = participant.registration
    event = registration.event
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("请由活动组织方扫码签到。"))
    result, error_text = None, ""
    if request.method == "POST":
        try:
            result = checkins.check_in(user=request.user, participant=participant)
        except ValidationError as error:
            error_text = _errors(error)
        participant.refresh_from_db()
    return render(request, "events/checkin_confirm.html", {
        "participant": participant, "registration": registration, "event": event, "result": result,
        "error": error_text}, status=400 if error_text else 200)


@login_required
def attendance(request, event_id: int):
    event = _managed_event(request, event_id)
    people = selectors.attendance(event)
    return render(request, "events/attendance.html", {
        "event": event, "people": people, "checked_in": sum(1 for p in people if p.checked_in_at)})

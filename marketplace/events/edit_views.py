"""The organizer's 创建活动 and 编辑活动 pages, with the same repeatable rows (ticket types, agenda, guests).
Thin: the rules are in editing.py and services/creation.py, the forms in edit_forms.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.core.forms import add_validation_errors
from marketplace.core.one_time import DuplicateSubmission, answer_duplicate

from . import selectors
from .edit_forms import (
    NEW_EVENT_TICKET_RULES,
    EventEditForm,
    GuestFormSet,
    SessionFormSet,
    TicketFormSet,
    guest_initial,
    new_event_ticket_initial,
    session_initial,
    ticket_initial,
)
from .forms import EventForm
from .models import EventPage
from .permissions import can_manage_event, is_organizer
from .services import creation, editing


@login_required
def edit_event(request, event_id: int):
    event = get_object_or_404(EventPage, pk=event_id)
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("只有本活动的组织方可以编辑活动。"))
    draft = selectors.event_draft(event)
    data = request.POST if request.method == "POST" else None
    form = EventEditForm(data, instance=draft)
    tickets = TicketFormSet(data, prefix="tickets", initial=ticket_initial(draft),
                            rules=editing.ticket_rules_for(event, draft))
    sessions = SessionFormSet(data, prefix="sessions", initial=session_initial(draft))
    guests = GuestFormSet(data, prefix="guests", initial=guest_initial(draft))
    if data is not None and form.is_valid():
        sessions.event_times = (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
    # Every part validated (not short-circuited), so the page shows every error at once.
    if data is not None and all([form.is_valid(), tickets.is_valid(), sessions.is_valid(), guests.is_valid()]):
        try:
            editing.update_event(user=request.user, event=event, data=form.event_data(), tickets=tickets.rows(),
                                 sessions=sessions.rows(), guests=guests.rows(),
                                 submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda _event: reverse("events:manage_event",
                                                                              args=[event.pk]))
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)  # tickets, agenda and guests are rows, not fields: shown above
        else:
            messages.success(request, _("修改已提交审核，审核通过后活动页面才会更新。"))
            return redirect("events:manage_event", event.pk)
    return render(request, "events/event_edit.html", {
        "event": event, "form": form, "tickets": tickets, "sessions": sessions, "guests": guests,
        "pending": bool(event.has_unpublished_changes and event.workflow_in_progress),
    })


@login_required
def create_event(request):
    if not is_organizer(request.user):
        raise PermissionDenied(_("只有活动组织方可以创建活动。"))
    data = request.POST if request.method == "POST" else None
    form = EventForm(data)
    # The same rows as on the edit page (edit_forms.py); a new event has no ticket type to protect.
    tickets = TicketFormSet(data, prefix="tickets", initial=new_event_ticket_initial(),
                            rules=NEW_EVENT_TICKET_RULES)
    sessions = SessionFormSet(data, prefix="sessions")
    guests = GuestFormSet(data, prefix="guests")
    if data is not None and form.is_valid():
        sessions.event_times = (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
    # Every part validated (not short-circuited), so the page shows every error at once.
    if data is not None and all([form.is_valid(), tickets.is_valid(), sessions.is_valid(), guests.is_valid()]):
        try:
            creation.create_event(user=request.user, data=form.event_data(),
                                  tickets=[creation.TicketData(name=row.name, price=row.price,
                                                               description=row.description)
                                           for row in tickets.rows()],
                                  sessions=sessions.rows(), guests=guests.rows(),
                                  submission_token=form.submission_key(request.path))
        except DuplicateSubmission as error:
            answer = answer_duplicate(request, error, lambda _event: reverse("events:manage"))
            if answer is not None:
                return answer
            form.add_error(None, error)
        except ValidationError as error:
            add_validation_errors(form, error)  # tickets, agenda and guests are rows, not fields: shown above
        else:
            messages.success(request, _("活动已提交科技局审核，审核通过后发布。"))
            return redirect("events:manage")
    return render(request, "events/event_form.html", {"form": form, "tickets": tickets, "sessions": sessions,
                                                      "guests": guests})

"""The organizer's create and edit forms: the event's own fields, and its ticket types, agenda and
invited guests as formsets, one real row each (the create page uses the same formsets). The protection of
ticket types that have registrations is editing.ticket_row_errors(); here it only becomes errors on the
right rows."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

from .forms import DateTimeLocalInput, EventForm
from .services.editing import GuestRow, SessionRow, TicketRow, session_row_errors, ticket_row_errors


class EventEditForm(EventForm):
    # Saving the same content twice is a harmless repeat on an edit form, not a duplicate event.
    same_content_is_duplicate = False


class TicketRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("票种名称"), max_length=60)
    price = forms.DecimalField(label=_("单价（元）"), max_digits=MONEY_MAX_DIGITS,
                               decimal_places=MONEY_DECIMAL_PLACES, min_value=Decimal("0"),
                               initial=Decimal("0"), help_text=_("0 表示免费"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class SessionRowForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeLocalInput(), required=False)
    title = forms.CharField(label=_("议程内容"), max_length=120)
    speaker = forms.CharField(label=_("主讲人"), max_length=80, required=False)
    place = forms.CharField(label=_("会场"), max_length=100, required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("议程的结束时间须晚于开始时间。"))
        return cleaned


class GuestRowForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    affiliation = forms.CharField(label=_("单位"), max_length=120, required=False)
    title = forms.CharField(label=_("职务/职称"), max_length=80, required=False)


class BaseRowFormSet(forms.BaseFormSet):
    """A formset whose kept rows become ``row_class`` instances (an editing.py dataclass)."""

    row_class: type

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.is_new = i >= self.initial_form_count()
        return form

    def _kept_forms(self) -> list[forms.Form]:
        # An untouched blank row has empty cleaned_data: it is not a row.
        return [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]

    def _row(self, form: forms.Form):
        names = self.row_class.__dataclass_fields__
        return self.row_class(**{k: v for k, v in form.cleaned_data.items() if k in names})

    def rows(self) -> list:
        """Call after is_valid(): the rows kept, in their order on the page."""
        return [self._row(f) for f in self._kept_forms()]


class BaseSessionFormSet(BaseRowFormSet):
    row_class = SessionRow
    # The event's (start, end) as the event form cleaned them; the view sets it before validating.
    event_times: tuple = (None, None)

    def clean(self) -> None:
        # Every row that is valid by itself is checked, even when another row has errors.
        checked = [f for f in self._kept_forms() if not f.errors]
        starts_at, ends_at = self.event_times
        rows = [self._row(f) for f in checked]
        for index, field, message in session_row_errors(rows, starts_at=starts_at, ends_at=ends_at):
            checked[index].add_error(field, message)


class BaseGuestFormSet(BaseRowFormSet):
    row_class = GuestRow


class BaseTicketFormSet(BaseRowFormSet):
    """``rules``: the keyword arguments of ticket_row_errors() (see editing.ticket_rules_for)."""

    row_class = TicketRow

    def __init__(self, *args, rules: dict, **kwargs):
        self.rules = rules
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        ticket_id = None if form.is_new else form.initial.get("id")
        form.protected = ticket_id in self.rules["protected_ids"]
        if form.protected:
            # Shown as fixed; the server refuses a changed price all the same (see ticket_row_errors).
            form.fields["price"].widget.attrs["readonly"] = True
            form.fields["price"].help_text = _("已有报名，价格不可修改，也不能删除。")
        return form

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self._kept_forms()
        whole: list[str] = []
        for index, field, message in ticket_row_errors(self.rows(), **self.rules):
            if index is not None and field != "id":
                kept[index].add_error(field, message)
            else:
                whole.append(message)
        if whole:
            raise forms.ValidationError(whole)


TicketFormSet = forms.formset_factory(TicketRowForm, formset=BaseTicketFormSet, extra=1, can_delete=True)
SessionFormSet = forms.formset_factory(SessionRowForm, formset=BaseSessionFormSet, extra=1, can_delete=True)
GuestFormSet = forms.formset_factory(GuestRowForm, formset=BaseGuestFormSet, extra=1, can_delete=True)


# A new event: no ticket type exists yet, so none is protected and no posted id can be known.
NEW_EVENT_TICKET_RULES = {"live": {}, "known_ids": set(), "protected_ids": set()}


def new_event_ticket_initial() -> list[dict]:
    """The create page starts with one free ticket type filled in (most events are free)."""
    return [{"name": _("普通票"), "price": Decimal("0")}]


def ticket_initial(draft) -> list[dict]:
    return [{"id": t.pk, "name": t.name, "price": t.price, "description": t.description}
            for t in draft.ticket_types.all()]


def session_initial(draft) -> list[dict]:
    return [{"starts_at": s.starts_at, "ends_at": s.ends_at, "title": s.title, "speaker": s.speaker,
             "place": s.place} for s in draft.sessions.all()]


def guest_initial(draft) -> list[dict]:
    return [{"name": g.name, "affiliation": g.affiliation, "title": g.title} for g in draft.guests.all()]

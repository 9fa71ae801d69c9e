"""The organizer's edit form: the event's own fields (as on the create form) and its ticket types as a
formset, one real row per ticket type. The protection of ticket types that have registrations is
editing.ticket_row_errors(); here it only becomes errors on the right rows."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .editing import TicketRow, ticket_row_errors
from .forms import EventForm


class EventEditForm(EventForm):
    # Ticket types are the formset's; the create form's one-per-line text field is not used here.
    tickets = None
    # Saving the same content twice is a harmless repeat on an edit form, not a duplicate event.
    same_content_is_duplicate = False


class TicketRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("票种名称"), max_length=60)
    price = forms.DecimalField(label=_("单价（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0"),
                               initial=Decimal("0"), help_text=_("0 表示免费"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class BaseTicketFormSet(forms.BaseFormSet):
    """``rules``: the keyword arguments of ticket_row_errors() (see editing.ticket_rules_for)."""

    def __init__(self, *args, rules: dict, **kwargs):
        self.rules = rules
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.is_new = i >= self.initial_form_count()
        ticket_id = None if form.is_new else form.initial.get("id")
        form.protected = ticket_id in self.rules["protected_ids"]
        if form.protected:
            # Shown as fixed; the server refuses a changed price all the same (see ticket_row_errors).
            form.fields["price"].widget.attrs["readonly"] = True
            form.fields["price"].help_text = _("已有报名，价格不可修改，也不能删除。")
        return form

    def rows(self) -> list[TicketRow]:
        """Call after is_valid(): the rows kept, in their order on the page."""
        return [TicketRow(name=f.cleaned_data["name"], price=f.cleaned_data["price"],
                          description=f.cleaned_data.get("description", ""), id=f.cleaned_data.get("id"))
                for f in self._kept_forms()]

    def _kept_forms(self) -> list[forms.Form]:
        # An untouched extra row has empty cleaned_data: it is not a ticket type.
        return [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]

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


def ticket_initial(draft) -> list[dict]:
    return [{"id": t.pk, "name": t.name, "price": t.price, "description": t.description}
            for t in draft.ticket_types.all()]

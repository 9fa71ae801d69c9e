"""The registration page's participants (参会人) as repeatable rows: one row per person, checked row by row
(name required, phone and e-mail in a valid format) and as a whole (at least one person, at most
MAX_PARTICIPANTS_PER_REGISTRATION, and no more people than seats left when the event does not keep a
waiting list). Each person takes one seat; the service counts again under the event lock."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .edit_forms import BaseRowFormSet
from .services.registrations import MAX_PARTICIPANTS_PER_REGISTRATION, ParticipantData

# A mainland mobile number (11 digits from 13x to 19x), or a landline with its area code (0543-3161234),
# optionally with an extension; spaces are dropped before checking.
PHONE_PATTERN = r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$"


class PhoneField(forms.CharField):
    default_validators = [RegexValidator(PHONE_PATTERN, message=_(
        "请填写11位手机号，或带区号的固定电话（如0543-3161234）。"))]

    def to_python(self, value):
        return re.sub(r"\s+", "", super().to_python(value))


class ParticipantRowForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=80, error_messages={"required": _("请填写参会人姓名。")},
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    title = forms.CharField(label=_("职务"), max_length=80, required=False)
    phone = PhoneField(label=_("手机"), max_length=30, required=False,
                       widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("邮箱"), required=False,
                             error_messages={"invalid": _("请填写有效的邮箱地址，如 zhang@example.com。")})


class BaseParticipantFormSet(BaseRowFormSet):
    """``seats_left``: seats a new registration can take now; ``waitlist``: whether people beyond them
    join the waiting list (True) or the registration is refused (False)."""

    row_class = ParticipantData

    def __init__(self, *args, seats_left: int | None = None, waitlist: bool = True, **kwargs):
        self.seats_left = seats_left
        self.waitlist = waitlist
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        if any(self.errors):
            return
        count = len(self._kept_forms())
        if count == 0:
            raise forms.ValidationError(_("请至少填写一名参会人。"), code="no_participant")
        if count > MAX_PARTICIPANTS_PER_REGISTRATION:
            raise forms.ValidationError(
                _("每个单位最多%(n)d人，本次填写了%(count)d人。") % {"n": MAX_PARTICIPANTS_PER_REGISTRATION,
                                                        "count": count}, code="too_many")
        if self.seats_left is not None and not self.waitlist and count > self.seats_left:
            raise forms.ValidationError(seats_message(self.seats_left, count), code="full")


def seats_message(seats_left: int, count: int) -> str:
    """Why ``count`` people do not fit: each participant row takes one seat."""
    return gettext("剩余名额%(left)d个，本次填写了%(count)d名参会人（每人占1个名额），请减少参会人。") % {
        "left": seats_left, "count": count}


ParticipantFormSet = forms.formset_factory(ParticipantRowForm, formset=BaseParticipantFormSet, extra=1,
                                           can_delete=True, max_num=MAX_PARTICIPANTS_PER_REGISTRATION)


def participant_initial(user) -> list[dict]:
    """The person registering is usually the first participant: their row starts filled in."""
    name = getattr(user, "display_name", "") or ""
    if not name:
        return []
    return [{"name": name, "phone": getattr(user, "phone", "") or "", "email": user.email or ""}]

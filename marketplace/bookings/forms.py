"""Booking forms. Thin: the rules are in services and the model's clean()."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatesForm(forms.Form):
    start_date = forms.DateField(label=_("开始日期"), widget=DATE,
                                 error_messages={"required": _("请选择开始日期。"), "invalid": _("日期格式不正确。")})
    end_date = forms.DateField(label=_("结束日期"), widget=DATE,
                               error_messages={"required": _("请选择结束日期。"), "invalid": _("日期格式不正确。")})

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return data


class BookingForm(DatesForm):
    """Carries a one-time token so a double click or a Back-resubmit creates one booking only."""

    field_order = ["enterprise", "equipment", "start_date", "end_date", "material", "quantity", "note"]
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    enterprise = forms.ModelChoiceField(label=_("预约企业"), queryset=None, empty_label=None)
    equipment = forms.ModelChoiceField(label=_("设备"), queryset=None,
                                       error_messages={"required": _("请选择设备。"),
                                                       "invalid_choice": _("请选择本基地的设备。")})
    material = forms.CharField(label=_("试验物料"), max_length=200, error_messages={"required": _("请填写试验物料。")})
    quantity = forms.CharField(label=_("数量"), max_length=100, error_messages={"required": _("请填写数量。")})
    note = forms.CharField(label=_("补充说明"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enterprises=None, equipment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["equipment"].queryset = equipment
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


class ProposeForm(DatesForm):
    answer = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("婉拒原因"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写婉拒原因。")})

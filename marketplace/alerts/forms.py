from django import forms
from django.utils.translation import gettext_lazy as _

from .frequencies import Frequency


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("匹配提醒邮件"), choices=Frequency.choices, widget=forms.RadioSelect)

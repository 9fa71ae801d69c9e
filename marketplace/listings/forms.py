"""Front-end forms for owners. Field errors are in Chinese first, English second."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from marketplace.core.one_time import OneTimeFormMixin
from marketplace.core.pages import TREE_FIELDS

from .choices import IPType, TransferMode
from .models import AchievementPage, DemandPage, PilotBasePage
from .services import ALLOWED_OWNER_KINDS, IPItemData

COMMON_FIELDS = ["title", "organization", "field", "county", "keywords", "contact_name", "contact_phone",
                 "contact_email", "attachment", "expires_at"]
IP_TYPE_BY_LABEL = {}
for code, label in IPType.choices:
    IP_TYPE_BY_LABEL[code] = code
    zh, _sep, en = str(label).partition(" ")
    IP_TYPE_BY_LABEL[zh] = code
    IP_TYPE_BY_LABEL[en.lower()] = code


class DateInput(forms.DateInput):
    """<input type="date"> shows only a yyyy-mm-dd value (the Chinese locale would write yyyy/mm/dd)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or "%Y-%m-%d")


class ListingForm(OneTimeFormMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.owner_organizations(user)
        self.fields["organization"].empty_label = None
        # Posting the same change twice is harmless; posting the same new listing twice is a duplicate.
        self.same_content_is_duplicate = self.instance.pk is None

    def owner_organizations(self, user):
        """The organizations this user may publish this listing type for."""
        from accounts.permissions import is_bureau

        orgs = Organization.objects.filter(kind__in=ALLOWED_OWNER_KINDS[self._meta.model])
        if not is_bureau(user):
            orgs = orgs.filter(memberships__user=user)
        return orgs.distinct()

    def _post_clean(self):
        # Validate the fields and the listing's own rules; the page-tree checks (slug, parent) belong
        # to the service, which places the page.
        opts = self._meta
        self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        try:
            self.instance.clean_fields(exclude=[*TREE_FIELDS, *self._get_validation_exclusions()])
            self.instance.validate_listing()
        except ValidationError as error:
            self._update_errors(error)

    def listing_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class AchievementForm(ListingForm):
    transfer_modes = forms.MultipleChoiceField(label=_("转化方式"), choices=TransferMode.choices,
                                               widget=forms.CheckboxSelectMultiple)
    ip_items_text = forms.CharField(
        label=_("知识产权"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项：类型 编号 [名称]，如“发明专利 ZL202110123456.7 一种铝合金”"))

    class Meta:
        model = AchievementPage
        fields = ["title", "summary", "detail", "trl", "transfer_modes", "price", "price_negotiable", *COMMON_FIELDS]
        widgets = {"expires_at": DateInput, "summary": forms.Textarea(attrs={"rows": 4})}
        # Our own words, not Wagtail's admin help text for a page title.
        help_texts = {"title": _("成果名称，简明写出技术要点，如“铝合金一体化压铸工艺”。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["ip_items_text"] = "\n".join(
                f"{item.get_ip_type_display().split(' ')[0]} {item.number} {item.title}".strip()
                for item in self.instance.ip_items.all())

    def clean_ip_items_text(self) -> list[IPItemData]:
        items, errors = [], []
        for n, line in enumerate(self.cleaned_data["ip_items_text"].splitlines(), start=1):
            parts = re.split(r"\s+", line.strip(), maxsplit=2)
            if not parts or parts == [""]:
                continue
            ip_type = IP_TYPE_BY_LABEL.get(parts[0]) or IP_TYPE_BY_LABEL.get(parts[0].lower())
            if ip_type is None or len(parts) < 2:
                errors.append(_("第%(n)d行格式应为“类型 编号”，类型可为：发明专利、实用新型、外观设计、软件著作权、"
                                "植物新品种、技术秘密。") % {"n": n})
                continue
            items.append(IPItemData(ip_type=ip_type, number=parts[1], title=parts[2] if len(parts) > 2 else ""))
        if errors:
            raise ValidationError(errors)
        return items


class DemandForm(ListingForm):
    cooperation_modes = forms.MultipleChoiceField(label=_("期望合作方式"),
                                                  choices=TransferMode.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = DemandPage
        fields = ["title", "description", "budget_min", "budget_max", "deadline", "cooperation_modes", *COMMON_FIELDS]
        widgets = {"deadline": DateInput, "expires_at": DateInput, "description": forms.Textarea(attrs={"rows": 5})}
        # Our own words, not Wagtail's admin help text for a page title.
        help_texts = {"title": _("需求名称，简明写出要解决的技术问题，如“电池托盘轻量化”。")}


class PilotBaseForm(ListingForm):
    class Meta:
        model = PilotBasePage
        fields = ["title", "capabilities", "equipment", "industries", "capacity", "fees", *COMMON_FIELDS]
        widgets = {"expires_at": DateInput, "industries": forms.CheckboxSelectMultiple}
        # Our own words, not Wagtail's admin help text for a page title.
        help_texts = {"title": _("中试基地名称，如“滨州铝基新材料中试基地”。")}


FORM_FOR = {AchievementPage: AchievementForm, DemandPage: DemandForm, PilotBasePage: PilotBaseForm}

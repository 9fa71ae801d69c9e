"""The search page's query string, validated: bad input gets a 400 with a reason, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.listings.choices import MaturityStage, TransferMode
from marketplace.taxonomy.models import County, IndustryField

from .backends.base import SORTS
from .documents import kinds

MAX_QUERY_CHARS = 200
MAX_PAGE = 500

SORT_LABELS = {
    "relevance": _("相关度"),
    "newest": _("最新发布"),
    "trl": _("成熟度"),
    "price": _("价格从低到高"),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        strip=True,
        error_messages={"max_length": _("关键词不能超过%(limit_value)d个字。")},
    )
    type = forms.ChoiceField(required=False)
    field = forms.ChoiceField(required=False)
    county = forms.ChoiceField(required=False)
    stage = forms.ChoiceField(required=False, choices=[("", "")] + list(MaturityStage.choices))
    mode = forms.ChoiceField(required=False, choices=[("", "")] + list(TransferMode.choices))
    sort = forms.ChoiceField(required=False, choices=[(s, SORT_LABELS[s]) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Listings, 揭榜挂帅 challenges and events (every kind registered in search.documents).
        self.fields["type"].choices = [("", "")] + [(t, str(k.label)) for t, k in kinds().items()]
        self.fields["field"].choices = [("", "")] + list(IndustryField.objects.values_list("slug", "name"))
        self.fields["county"].choices = [("", "")] + list(County.objects.values_list("slug", "name"))

    def clean_q(self) -> str:
        # Control characters are never part of a real query (and are our highlight markers).
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable())

    def filters(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        pairs = {
            "type": "type",
            "field": "field",
            "county": "county",
            "stage": "stage",
            "transfer_modes": "mode",
        }
        return {name: [data[param]] for name, param in pairs.items() if data.get(param)}

    def has_criteria(self) -> bool:
        return bool(self.cleaned_data.get("q") or self.filters())

"""A service's ValidationError shown on the form: beside the field it names, else at the top."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from marketplace.core.forms import add_validation_errors
from marketplace.transfers.models import TransferListing


class PriceForm(forms.Form):
    price = forms.DecimalField()
    note = forms.CharField(required=False)


class ReservePriceForm(forms.ModelForm):
    class Meta:
        model = TransferListing
        fields = ["reserve_price"]


def _bound(form_class):
    form = form_class(data={"price": "1", "reserve_price": "1"})
    form.is_valid()
    return form


def test_a_plain_message_goes_to_the_top():
    form = _bound(PriceForm)
    add_validation_errors(form, ValidationError("已截止。"))
    assert form.non_field_errors() == ["已截止。"]
    assert "price" not in form.errors


def test_a_message_for_a_field_of_the_form_goes_beside_that_field():
    form = _bound(PriceForm)
    add_validation_errors(form, ValidationError({"price": "低于底价。", NON_FIELD_ERRORS: "请重试。"}))
    assert form.errors["price"] == ["低于底价。"]
    assert form.non_field_errors() == ["请重试。"]


def test_a_message_for_a_field_the_form_lacks_goes_to_the_top():
    """Django's add_error would raise for it (a 500). An internal name means nothing to the reader, so the
    message stands alone."""
    form = _bound(PriceForm)
    add_validation_errors(form, ValidationError({"participants": ["至少填写一名参会人。", "最多20人。"]}))
    assert form.non_field_errors() == ["至少填写一名参会人。", "最多20人。"]


def test_on_a_model_form_the_missing_field_is_named_by_its_label():
    form = _bound(ReservePriceForm)
    add_validation_errors(form, ValidationError({"bid_increment": "须大于零。"}))
    assert form.non_field_errors() == ["加价幅度（元）: 须大于零。"]


def test_message_parameters_are_filled_in():
    form = _bound(PriceForm)
    add_validation_errors(form, ValidationError({"price": ValidationError("最多%(n)s位。", params={"n": 14})}))
    assert form.errors["price"] == ["最多14位。"]

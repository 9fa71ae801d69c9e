"""Showing a service's refusal on the form the person filled in."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put each message of a service's ValidationError next to the field it names when the form has
    that field, else at the top of the form (a field the form lacks is named there, so the message
    still says what it is about). Django's own add_error would raise for such a field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, errors)
        else:
            label = _label(form, name)
            form.add_error(None, [f"{label}: {message}" for message in ValidationError(errors).messages])


def _label(form: forms.BaseForm, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name

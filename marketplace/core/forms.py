"""Showing a service's refusal on the form the person filled in."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put each message of a service's ValidationError next to the field it names when the form has
    that field, else at the top of the form: named by its model label when the form's model has that field,
    else alone (an internal name such as "participants" would mean nothing to the reader; such messages are
    written to stand alone). Django's own add_error would raise for a field the form lacks (a 500)."""
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
            messages = ValidationError(errors).messages
            form.add_error(None, [f"{label}: {message}" for message in messages] if label else messages)


def _label(form: forms.BaseForm, name: str) -> str | None:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            label = getattr(model._meta.get_field(name), "verbose_name", None)  # reverse relations have none
        except FieldDoesNotExist:
            return None
        return str(label) if label else None
    return None

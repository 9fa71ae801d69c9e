"""Markup payloads, and a way to put one into every free-text field of a real front-end form.

A field is "free text" when its form field is a CharField (EmailField and URLField included) that the
person types into. Fields whose own validation refuses markup (e-mails, phone numbers, the USCC,
URLs with a `javascript:` scheme) are put back to the base value; poisoned_post reports them so a
test can state that only such fields refused."""

from __future__ import annotations

from django import forms
from django.test import Client

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMG            # 55 characters: fits every text field of the site
JS_URL = "javascript:alert(document.domain)"

# Fields whose validation is expected to refuse markup, by name.
FORMAT_CHECKED = {"contact_email", "email", "contact_phone", "phone", "uscc", "online_url", "registration_number"}


def payload_for(field: forms.Field) -> str:
    if isinstance(field, forms.URLField):
        return JS_URL
    limit = getattr(field, "max_length", None)
    if limit is not None and limit < len(PAYLOAD):
        return IMG[:limit]
    return PAYLOAD


def free_text_fields(form: forms.BaseForm) -> dict[str, forms.Field]:
    return {name: field for name, field in form.fields.items()
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput)}


def poisoned_post(client: Client, url: str, form_class: type[forms.BaseForm], base: dict,
                  keep: tuple[str, ...] = (), **form_kwargs) -> tuple[object, set[str]]:
    """POST the form at `url` with a payload in every free-text field but `keep` (fields whose base
    value already carries the payload in a structured form). Returns the response and the fields
    that refused markup (and were posted with their base value instead)."""
    fields = free_text_fields(form_class(**form_kwargs))
    data = dict(base)
    for name, field in fields.items():
        if name not in keep:
            data[name] = payload_for(field)
    form = form_class(data=data, **form_kwargs)
    refused = set() if form.is_valid() else set(form.errors) & set(fields)
    for name in refused:
        data[name] = base.get(name, "")
    unexpected = refused - FORMAT_CHECKED
    assert not unexpected, f"{form_class.__name__}: free-text fields refused markup: {unexpected} {form.errors}"
    response = client.post(url, data)
    assert response.status_code == 302, (
        f"POST {url} ({form_class.__name__}) was not accepted: {response.status_code} "
        f"{getattr(response, 'context', None) and response.context.get('form') and response.context['form'].errors}")
    return response, refused

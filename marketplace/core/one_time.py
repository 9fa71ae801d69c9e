"""One-time form tokens: every create form on the site saves at most one record per post.

The form carries a random token (rendered as a hidden field). The service claims it, in the same
transaction as the write, with ``claim_submission`` (below); a second post with the same token (a
double click, Back to a page restored from the browser's cache, two concurrent posts) finds it claimed
and is answered with the record the first post created. A page fetched again after Back carries a new
token, so create forms also send a fingerprint of their content: the same person posting the same
content to the same form again within FINGERPRINT_WINDOW gets the earlier record too."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .submissions import FormSubmission

TOKEN_FIELD = "form_token"
FINGERPRINT_WINDOW = dt.timedelta(minutes=30)
# Posted values that differ between two posts of the same content.
NOT_CONTENT = {TOKEN_FIELD, "csrfmiddlewaretoken"}


@dataclass(frozen=True)
class SubmissionKey:
    """What a form tells the service about its post: the one-time token and, for create forms, a
    fingerprint of the content (empty when re-posting the same content is a legitimate new action)."""

    token: str
    fingerprint: str = ""


class DuplicateSubmission(ValidationError):
    """This form was already accepted. ``result`` is what the first post saved (None when unknown)."""

    def __init__(self, result: Any = None, *, same_content: bool = False) -> None:
        if same_content:
            message = _("您刚刚已提交过内容相同的表单，未重复保存。")
        else:
            message = _("此表单已提交过，未重复保存。")
        super().__init__(message, code="duplicate_submission")
        self.result = result


def content_fingerprint(form: forms.BaseForm, scope: str = "") -> str:
    """A hash of the posted fields (and uploaded files' names and sizes), the form class and the scope."""
    digest = hashlib.sha256(f"{type(form).__module__}.{type(form).__qualname__}\n{scope}\n".encode())
    for name in sorted(set(form.data) - NOT_CONTENT):
        values = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data[name]]
        digest.update(f"{name}={[str(v) for v in values]!r}\n".encode())
    for name in sorted(form.files or {}):
        uploads = form.files.getlist(name) if hasattr(form.files, "getlist") else [form.files[name]]
        digest.update(f"{name}:{[(u.name, u.size) for u in uploads]!r}\n".encode())
    return digest.hexdigest()


class OneTimeFormMixin:
    """Adds the hidden one-time token to a form. Put it before forms.Form / forms.ModelForm."""

    # Create forms: posting the same content again soon is a duplicate. Edit forms set False.
    same_content_is_duplicate = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
        if not self.is_bound and not self.initial.get(TOKEN_FIELD):
            self.initial[TOKEN_FIELD] = uuid.uuid4().hex

    def submission_key(self, scope: str = "") -> SubmissionKey:
        """Call after is_valid(). ``scope`` tells apart the same form on different pages (the path)."""
        fingerprint = content_fingerprint(self, scope) if self.same_content_is_duplicate else ""
        return SubmissionKey(token=self.cleaned_data.get(TOKEN_FIELD) or "", fingerprint=fingerprint)


def answer_duplicate(request: HttpRequest, error: DuplicateSubmission,
                     url_for: Callable[[Any], str]) -> HttpResponse | None:
    """Send the person to what their first post saved, saying so; None when there is nothing to show
    (the caller then shows the error on the form)."""
    if error.result is None:
        return None
    messages.info(request, " ".join(error.messages) + _("以下是已保存的内容。"))
    return redirect(url_for(error.result))


def claim_submission(token: str | SubmissionKey | None, user: AbstractBaseUser) -> FormSubmission | None:
    """Claim a form post's one-time token inside the caller's transaction, so the claim commits (or
    rolls back) with the write it guards. A post already accepted raises DuplicateSubmission (a
    ValidationError) carrying what the first post saved. Returns the claim, to be given to
    remember_submission once the record exists (None when the form sent no token)."""
    key = token if isinstance(token, SubmissionKey) else SubmissionKey(token or "")
    if not key.token:
        return None
    with transaction.atomic():
        # One person's claims run one at a time (a row lock on PostgreSQL; SQLite's IMMEDIATE
        # transactions already serialise writers): the same content posted twice at once is seen once.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        earlier = FormSubmission.objects.filter(token=key.token).first()
        same_content = False
        if earlier is None and key.fingerprint:
            earlier = (FormSubmission.objects
                       .filter(user=user, fingerprint=key.fingerprint, result_id__gt="",
                               created_at__gte=timezone.now() - FINGERPRINT_WINDOW)
                       .order_by("-created_at").first())
            same_content = earlier is not None
        if earlier is None:
            try:
                with transaction.atomic():
                    return FormSubmission.objects.create(token=key.token, user=user, fingerprint=key.fingerprint)
            except IntegrityError:  # claimed between our look and our insert (another session's user lock)
                earlier = FormSubmission.objects.filter(token=key.token).first()
    # Someone else's token (never shown to this user) reveals nothing of theirs.
    result = earlier.result if earlier is not None and earlier.user_id == user.pk else None
    raise DuplicateSubmission(result, same_content=same_content)


def remember_submission(submission: FormSubmission | None, result: models.Model) -> None:
    """Record what a claimed post saved, so a repeat of the post can be sent to it."""
    if submission is None:
        return
    submission.result = result
    submission.save(update_fields=["result_type", "result_id"])

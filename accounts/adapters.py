from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from .services import record_privacy_consent


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = form.cleaned_data.get("role") or user.role
        user.display_name = form.cleaned_data.get("display_name", "")
        if commit:
            # The account and the proof of consent are written together or not at all.
            with transaction.atomic():
                user.save()
                if form.cleaned_data.get("privacy_consent"):
                    record_privacy_consent(user=user)
        return user

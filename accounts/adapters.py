from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = form.cleaned_data.get("role") or user.role
        user.display_name = form.cleaned_data.get("display_name", "")
        if commit:
            user.save()
        return user

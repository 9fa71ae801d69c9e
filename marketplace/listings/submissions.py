from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """One row per accepted form post, keyed by the form's one-time token (double-submit guard)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "listings"

    def __str__(self) -> str:
        return self.token

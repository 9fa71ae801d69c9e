from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class FormSubmission(models.Model):
    """One row per accepted form post, keyed by the form's one-time token (double-submit guard).

    It is written in the same transaction as the record the form creates, and remembers that record,
    so a second post of the same form can be answered with "already saved, here it is"."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A hash of what was posted (see one_time.content_fingerprint): a page fetched again after Back
    # carries a new token but the same content.
    fingerprint = models.CharField(max_length=64, blank=True)
    result_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    result_id = models.CharField(max_length=40, blank=True)
    result = GenericForeignKey("result_type", "result_id")

    class Meta:
        # The table (and its index) kept the name they had when the model lived in listings, so moving the
        # model here changed no database (see migrations/0001_initial.py).
        db_table = "listings_formsubmission"
        indexes = [models.Index(fields=["user", "fingerprint", "created_at"], name="listings_formsub_fp_idx")]

    def __str__(self) -> str:
        return self.token

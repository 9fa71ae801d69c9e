"""Role-application attachments: PDF or images only, checked by their bytes, kept in the shared private
storage (accounts.private_files: random name, detected extension, no public URL) and served only through
accounts.views.role_application_attachment (the applicant and bureau staff)."""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .private_files import get_private_storage

ALLOWED_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
MAX_BYTES = 10 * 1024 * 1024


def private_storage():
    """The storage migrations name for role-application files: the shared private storage."""
    return get_private_storage()


def detected_extension(upload) -> str:
    """The extension of the type the file's first bytes show; ValidationError when not allowed."""
    if upload.size == 0:
        raise ValidationError(_("文件为空。"), code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件不能超过 10 MB。"), code="too_big")
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise ValidationError(_("只接受 PDF、PNG 或 JPG 文件。"), code="type")
    return kind.extension


def attachment_upload_to(instance, filename: str) -> str:
    # Only the folder counts: the private storage names the file itself from its bytes (safe_name).
    return f"role-applications/{filename}"

"""Role-application attachments: PDF or images only, checked by their bytes, stored under a random
name with the detected type's extension, outside the public media folder, and served only through
accounts.views.role_application_attachment (the applicant and bureau staff)."""

import os
import uuid
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

ALLOWED_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
MAX_BYTES = 10 * 1024 * 1024


class PrivateFileStorage(FileSystemStorage):
    """Files with no public URL. PRIVATE_MEDIA_ROOT may be set; by default a sibling of MEDIA_ROOT.
    Read at each use (not once at start-up) so a changed setting is honoured."""

    @property
    def base_location(self) -> str:
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", None)
                   or Path(settings.MEDIA_ROOT).parent / "private-media")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str) -> str:
        raise ValueError("private files have no public URL; serve them through a view that checks permission")


def private_storage() -> FileSystemStorage:
    return PrivateFileStorage()


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
    # The extension was set from the file's bytes by the form (see RoleApplicationForm.clean_attachment).
    extension = getattr(instance, "_detected_extension", None) or "bin"
    return f"role-applications/{uuid.uuid4().hex}.{extension}"

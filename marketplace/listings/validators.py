import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .choices import TransferMode

ALLOWED_ATTACHMENT_MIME = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def validate_attachment(upload) -> None:
    """PDF or image only, judged by the file's bytes rather than its name; bounded in size."""
    limit = settings.LISTING_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("附件过大（%(size)s），上限为 %(limit)s。"),
            code="attachment_size",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("附件是空文件，请重新选择。"), code="attachment_empty")
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_ATTACHMENT_MIME:
        raise ValidationError(
            _("附件只能是PDF或图片（PNG、JPEG、GIF、WebP）。"),
            code="attachment_type",
        )


def validate_transfer_modes(value) -> None:
    allowed = set(TransferMode.values)
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise ValidationError(_("转化方式无效。"), code="transfer_mode")

"""Private uploads: stored outside MEDIA_ROOT under random names, served only by a view that has checked
permission. Reusable by any app with a user-uploaded FileField:

    attachment = PrivateFileField(upload_to="things/%Y/%m/", ...)
    ...
    return private_file_response(obj.attachment, download_name=f"thing-{obj.pk}")

The uploader's file name is never kept: a file that begins with ``%PDF`` and is called ``x.html`` is stored
as ``<random>.pdf`` and always served as a download with the type detected from its bytes."""

import os
import posixpath
import uuid

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms import ClearableFileInput
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

UNKNOWN_EXTENSION = "bin"
UNKNOWN_MIME = "application/octet-stream"


def detect_type(content) -> tuple[str, str]:
    """(extension, MIME type) judged from the first bytes; unknown content is opaque binary."""
    position = content.tell() if hasattr(content, "tell") else None
    if hasattr(content, "seek"):
        content.seek(0)
    head = content.read(261)
    if position is not None:
        content.seek(position)
    kind = filetype.guess(head) if head else None
    if kind is None:
        return UNKNOWN_EXTENSION, UNKNOWN_MIME
    return kind.extension, kind.mime


def safe_name(content, folder: str = "") -> str:
    """A random file name in `folder` with the extension of the type detected from the bytes."""
    extension, _mime = detect_type(content)
    return posixpath.join(folder, f"{uuid.uuid4().hex}.{extension}")


@deconstructible(path="accounts.private_files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File-system storage under PRIVATE_MEDIA_ROOT, which no URL pattern serves.

    Whatever name the caller proposes, only its folder is kept: the file itself gets `safe_name`."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    # Read the setting on each use (not cached) so tests can point it at a temporary folder.
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def save(self, name, content, max_length=None):
        folder = posixpath.dirname(name or "")
        return super().save(safe_name(content, folder), content, max_length=max_length)

    def url(self, name):
        # Fail loudly: a private file has no public address; link to the permission-checking view instead.
        raise ValueError("A private file has no public URL; serve it through a view that checks permission.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """The callable FileField(storage=...) refers to, so migrations name this function, not an instance."""
    return private_storage


class PrivateFileInput(ClearableFileInput):
    """The usual file input, without the "currently: <link>" a private file cannot have."""

    template_name = "private_files/clearable_file_input.html"

    def is_initial(self, value) -> bool:
        # The parent asks for value.url, which a private file refuses to give.
        return bool(value and getattr(value, "name", None) and not hasattr(value, "content_type"))


class PrivateFileField(models.FileField):
    """A FileField stored in private storage whose form widget shows no link."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("storage", get_private_storage)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", PrivateFileInput)
        return super().formfield(**kwargs)


def private_file_response(file: FieldFile, *, download_name: str) -> FileResponse:
    """Stream a private file as a download. The type is judged from the bytes again (never trusted from
    the stored name), the browser is told not to sniff it, and nothing in it may run or be framed."""
    if not file or not file.storage.exists(file.name):
        raise Http404
    handle = file.storage.open(file.name, "rb")
    extension, mime = detect_type(handle)
    response = FileResponse(handle, as_attachment=True, filename=f"{download_name}.{extension}",
                            content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def move_to_private_storage(apps, *, app_label: str, model_name: str, field_name: str) -> dict[str, str]:
    """Data-migration helper: move the files a model's rows (and its Wagtail revisions) refer to from the
    public MEDIA_ROOT into private storage under safe names, and rewrite the references. Returns the
    old→new name map. A referenced file that is missing keeps its name (downloading it answers 404)."""
    from django.core.files.storage import FileSystemStorage

    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    model = apps.get_model(app_label, model_name)
    content_type = _content_type(apps, app_label, model_name)
    revisions = _revisions(apps, content_type)

    names = set(model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True))
    names |= {r.content.get(field_name) for r in revisions if r.content.get(field_name)}
    moved: dict[str, str] = {}
    for old in sorted(names):
        if not public.exists(old):
            continue
        with public.open(old, "rb") as handle:
            moved[old] = private_storage.save(old, handle)
        public.delete(old)

    for old, new in moved.items():
        model.objects.filter(**{field_name: old}).update(**{field_name: new})
    for revision in revisions:
        old = revision.content.get(field_name)
        if old in moved:
            revision.content[field_name] = moved[old]
            revision.save(update_fields=["content"])
    return moved


def _content_type(apps, app_label: str, model_name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label=app_label, model=model_name.lower()).first()


def _revisions(apps, content_type) -> list:
    if content_type is None:
        return []
    Revision = apps.get_model("wagtailcore", "Revision")
    return list(Revision.objects.filter(content_type_id=content_type.pk))

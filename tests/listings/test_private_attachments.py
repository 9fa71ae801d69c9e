"""Attachments are private files: stored outside MEDIA_ROOT under random names with the extension of the
type detected from their bytes, downloaded only through a view that checks who asks."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from accounts.private_files import private_storage
from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data, make_org, make_user

from .helpers import approve
from .test_forms import demand_post

pytestmark = pytest.mark.django_db

# A polyglot: a valid PDF header (what the type check reads) followed by an HTML page with a script.
PDF_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SAFE_NAME = re.compile(r"^listings/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png)$")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client, org, name: str, content: bytes, content_type: str = "application/octet-stream"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post("/my/listings/new/demand/", {**demand_post(org), "attachment": upload})


@pytest.fixture
def owner(enterprise_user, enterprise, site):
    return enterprise_user


@pytest.fixture
def draft_with_polyglot(owner, enterprise):
    response = _upload(_client(owner), enterprise, "x.html", PDF_POLYGLOT, "text/html")
    assert response.status_code == 302, "a file whose bytes are a PDF is accepted as a PDF"
    return DemandPage.objects.get()


def test_a_pdf_named_html_is_stored_under_a_random_pdf_name_outside_media_root(draft_with_polyglot, settings):
    name = draft_with_polyglot.attachment.name
    assert SAFE_NAME.match(name), f"stored name {name!r} must be random with the detected extension"
    assert "x.html" not in name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).read_bytes() == PDF_POLYGLOT
    assert not (Path(settings.MEDIA_ROOT) / name).exists(), "nothing user-uploaded lives in the public media"
    with pytest.raises(ValueError):
        private_storage.url(name)  # a private file has no public address


def test_an_svg_with_a_script_named_png_is_refused_and_nothing_is_stored(owner, enterprise, settings):
    response = _upload(_client(owner), enterprise, "logo.png", SVG_WITH_SCRIPT, "image/png")
    assert response.status_code == 200
    assert "PDF" in response.context["form"].errors["attachment"][0]
    assert not DemandPage.objects.exists()
    assert _stored_files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


def test_a_zero_byte_file_is_refused(owner, enterprise, settings):
    response = _upload(_client(owner), enterprise, "empty.pdf", b"", "application/pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"]
    assert not DemandPage.objects.exists()
    assert _stored_files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


@override_settings(LISTING_ATTACHMENT_MAX_BYTES=100)
def test_an_oversized_file_is_refused(owner, enterprise, settings):
    response = _upload(_client(owner), enterprise, "big.pdf", PDF_POLYGLOT + b"0" * 100, "application/pdf")
    assert "附件过大" in response.context["form"].errors["attachment"][0]
    assert _stored_files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


def test_anyone_outside_the_owners_and_the_bureau_cannot_download_a_drafts_attachment(draft_with_polyglot):
    url = f"/my/listings/{draft_with_polyglot.pk}/attachment/"
    assert Client().get(url).status_code == 404
    outsider = make_user("enterprise")
    make_org("enterprise", name="另一家企业", members=[outsider])
    assert _client(outsider).get(url).status_code == 404
    assert _client(outsider).get(url + "?draft=1").status_code == 404


def test_the_owner_and_the_bureau_download_a_draft_as_an_attachment_that_is_never_sniffed(
        draft_with_polyglot, owner, bureau_user):
    url = f"/my/listings/{draft_with_polyglot.pk}/attachment/"
    for user in (owner, bureau_user):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="listing-{draft_with_polyglot.pk}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_POLYGLOT


def test_a_published_attachment_is_public_and_a_pending_replacement_is_not(draft_with_polyglot, owner, bureau_user):
    page = draft_with_polyglot
    approve(_client(bureau_user), page)
    url = f"/my/listings/{page.pk}/attachment/"
    public = Client().get(url)
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == PDF_POLYGLOT

    page.refresh_from_db()
    new_file = SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")
    services.update_listing(user=owner, page=page, data={"attachment": new_file})

    anonymous = Client().get(url + "?draft=1")  # asking for the draft does not help a visitor
    assert anonymous["Content-Type"] == "application/pdf"
    assert b"".join(anonymous.streaming_content) == PDF_POLYGLOT
    pending = _client(owner).get(url + "?draft=1")
    assert pending["Content-Type"] == "image/png"
    assert pending["Content-Disposition"] == f'attachment; filename="listing-{page.pk}.png"'
    assert b"".join(pending.streaming_content) == PNG_BYTES


def test_the_listing_page_links_to_the_checked_download_not_to_media(draft_with_polyglot, owner, bureau_user):
    approve(_client(bureau_user), draft_with_polyglot)
    draft_with_polyglot.refresh_from_db()
    html = Client().get(draft_with_polyglot.url).content.decode()
    assert f"/my/listings/{draft_with_polyglot.pk}/attachment/" in html
    assert "/media/" not in html


def test_bureau_staff_can_open_a_listing_with_a_private_attachment_in_the_admin(draft_with_polyglot, bureau_user):
    response = _client(bureau_user).get(f"/admin/pages/{draft_with_polyglot.pk}/edit/")
    assert response.status_code == 200
    assert draft_with_polyglot.attachment.name.rsplit("/", 1)[1] in response.content.decode()


def test_existing_public_files_are_moved_to_private_storage_and_rows_and_revisions_renamed(
        site, enterprise_user, enterprise, settings, tmp_path):
    """The data migration (listings 0004 / challenges 0003) run on a page stored the old way."""
    from django.apps import apps

    from accounts.private_files import move_to_private_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    old_name = "listings/2025/01/report.html"
    old_path = Path(settings.MEDIA_ROOT) / old_name
    old_path.parent.mkdir(parents=True)
    old_path.write_bytes(PDF_POLYGLOT)
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    DemandPage.objects.filter(pk=page.pk).update(attachment=old_name)
    revision = page.latest_revision
    revision.content["attachment"] = old_name
    revision.save(update_fields=["content"])

    moved = move_to_private_storage(apps, app_label="listings", model_name="DemandPage", field_name="attachment")

    new_name = moved[old_name]
    assert re.match(r"^listings/2025/01/[0-9a-f]{32}\.pdf$", new_name)
    assert not old_path.exists(), "the public copy is removed"
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / new_name).read_bytes() == PDF_POLYGLOT
    assert DemandPage.objects.get(pk=page.pk).attachment.name == new_name
    revision.refresh_from_db()
    assert revision.content["attachment"] == new_name

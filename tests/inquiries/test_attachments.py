"""Attachments on an inquiry and on conversation messages go through the private-file rules: PDF or image
only (judged by the bytes) and bounded in size; downloaded only by the participants, and by bureau staff
only once a message of the conversation was reported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from marketplace.inquiries import services
from marketplace.inquiries.models import Inquiry, Message

from .builders import conversation, world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _as(user) -> Client | None:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_inquiry_attachment_is_checked_and_served_to_the_parties_only(site, settings):
    w = world()
    url = reverse("inquiries:send", args=[w.listing.pk])
    data = {"sender_org": w.enterprise.pk, "need": "熔铸工艺咨询", "message": "技术参数见附件。"}
    fake = _as(w.asker).post(url, {**data, "attachment": SimpleUploadedFile("spec.pdf", b"<script>alert(1)</script>")})
    assert fake.status_code == 400 and "附件只能是PDF或图片" in fake.content.decode()
    settings.LISTING_ATTACHMENT_MAX_BYTES = 10
    big = _as(w.asker).post(url, {**data, "attachment": SimpleUploadedFile("spec.pdf", PDF)})
    assert big.status_code == 400 and "附件过大" in big.content.decode()
    settings.LISTING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    assert not Inquiry.objects.exists()
    assert _as(w.asker).post(url, {**data, "attachment": SimpleUploadedFile("spec.pdf", PDF)}).status_code == 302
    inquiry = Inquiry.objects.get()
    download = reverse("inquiries:inquiry_attachment", args=[inquiry.pk])
    for role, expected in (("sender", 200), ("recipient", 200), ("outsider", 404), ("bureau", 404)):
        response = _as(w.user(role)).get(download)
        assert response.status_code == expected, role
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
    assert _as(None).get(download).status_code == 302


def test_a_message_attachment_is_for_participants_and_the_bureau_after_a_report(site):
    w = world()
    convo = conversation(w)
    post = reverse("inquiries:post_message", args=[convo.pk])
    page = _as(w.owner).get(reverse("inquiries:conversation", args=[convo.pk])).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    sent = _as(w.owner).post(post, {"body": "试验报告见附件", "form_token": token,
                                    "attachment": SimpleUploadedFile("r.pdf", PDF)})
    assert sent.status_code == 302
    message = Message.objects.get()
    download = reverse("inquiries:message_attachment", args=[convo.pk, message.pk])
    got = {role: _as(w.user(role)).get(download).status_code
           for role in ("sender", "recipient", "agent", "outsider", "bureau")}
    assert got == {"sender": 200, "recipient": 200, "agent": 200, "outsider": 404, "bureau": 404}
    services.report_message(user=w.asker, message=message, reason="附件含广告")
    assert _as(w.bureau).get(download).status_code == 200
    assert _as(w.outsider).get(download).status_code == 404

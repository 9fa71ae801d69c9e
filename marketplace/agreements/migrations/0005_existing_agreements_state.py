"""Existing agreements enter the verification machine.

They were entered before parties confirmed anything and before any evidence was kept, so none of them can
be called verified on the platform's own evidence. The one exception is an agreement that already carries a
technology-contract registration number (技术合同登记号) AND whose every party is a verified organization:
a registering office has already examined that contract (认定登记), so it becomes **verified**. Every other
existing agreement becomes **recorded**: it stays in the register, does not count toward targets, and goes
through confirmation like a new one. Each agreement gets one audit row saying which state the migration
gave it and why; nothing else changes. Reversing drops the audit rows this migration wrote."""

from django.db import migrations

NOTE_VERIFIED = "迁移：已有技术合同登记号且各方均为已认证机构，视为已认定"
NOTE_RECORDED = "迁移：缺少登记号或签约方未认证，需补充确认"


def forwards(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    AgreementChange = apps.get_model("agreements", "AgreementChange")
    changes = []
    for agreement in Agreement.objects.all().iterator():
        parties = list(agreement.party_links.values_list("organization__verified", flat=True))
        verified = bool(agreement.registration_number) and bool(parties) and all(parties)
        status = "verified" if verified else "recorded"
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        changes.append(AgreementChange(agreement_id=agreement.pk, kind="status", field_name="status",
                                       old_value="", new_value=status,
                                       note=NOTE_VERIFIED if verified else NOTE_RECORDED))
    AgreementChange.objects.bulk_create(changes)


def backwards(apps, schema_editor):
    AgreementChange = apps.get_model("agreements", "AgreementChange")
    # The historical model's manager is a plain one, so this delete is allowed here only.
    AgreementChange.objects.filter(note__in=[NOTE_VERIFIED, NOTE_RECORDED]).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_verification")]
    operations = [migrations.RunPython(forwards, backwards)]

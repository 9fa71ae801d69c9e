"""Existing attachments were stored in the public MEDIA_ROOT under the uploader's file name. Move each one
(whether the live page or any of its Wagtail revisions refers to it) into private storage under a random
name with the extension of its detected type, and rewrite the page rows and revision JSON to match."""

from django.db import migrations

from accounts.private_files import move_to_private_storage

MODELS = ["AchievementPage", "DemandPage", "PilotBasePage"]


def forwards(apps, schema_editor):
    for model_name in MODELS:
        move_to_private_storage(apps, app_label="listings", model_name=model_name, field_name="attachment")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0003_attachment_in_private_storage"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards: the files stay private (moving them back to a public folder is never wanted).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

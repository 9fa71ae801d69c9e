"""Move existing challenge attachments from the public MEDIA_ROOT into private storage (see
listings 0004 for the rule); page rows and Wagtail revision JSON are rewritten to the new names."""

from django.db import migrations

from accounts.private_files import move_to_private_storage


def forwards(apps, schema_editor):
    move_to_private_storage(apps, app_label="challenges", model_name="ChallengePage", field_name="attachment")


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0002_attachment_in_private_storage"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

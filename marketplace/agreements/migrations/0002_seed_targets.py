from django.db import migrations


def seed(apps, schema_editor):
    from marketplace.agreements.seed import TARGETS_2023

    Target = apps.get_model("agreements", "Target")
    for metric, value in TARGETS_2023.items():
        Target.objects.get_or_create(metric=metric, year=2023, defaults={"target": value,
                                                                         "note": "2023年科技工作要点"})


def unseed(apps, schema_editor):
    from marketplace.agreements.seed import TARGETS_2023

    apps.get_model("agreements", "Target").objects.filter(year=2023, metric__in=list(TARGETS_2023)).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

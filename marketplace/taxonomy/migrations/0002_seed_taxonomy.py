from django.db import migrations


def seed(apps, schema_editor):
    from marketplace.taxonomy.seed import COUNTIES, INDUSTRY_FIELDS

    IndustryField = apps.get_model("taxonomy", "IndustryField")
    County = apps.get_model("taxonomy", "County")
    for order, (slug, name, name_en, terms) in enumerate(INDUSTRY_FIELDS):
        IndustryField.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "domain_terms": ",".join(terms),
                                 "sort_order": order})
    for order, (slug, name, name_en, lat, lon) in enumerate(COUNTIES):
        County.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "latitude": lat, "longitude": lon,
                                 "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

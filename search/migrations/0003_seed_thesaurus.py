"""Seed the matching thesaurus from search/data/thesaurus.csv (the file in the repository)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "thesaurus.csv"


def seed(apps, schema_editor):
    Entry = apps.get_model("search", "ThesaurusEntry")
    Field = apps.get_model("taxonomy", "IndustryField")
    fields = {f.slug: f for f in Field.objects.all()}
    with SEED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            field = fields.get(row["field"].strip()) if row["field"].strip() else None
            if row["field"].strip() and field is None:
                continue  # a field the bureau removed: skip its entries
            Entry.objects.update_or_create(
                term=row["term"].strip(), field=field,
                defaults={"synonyms": row["synonyms"].strip(), "weight": Decimal(row["weight"])},
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_thesaurus_entry"), ("taxonomy", "0002_seed_taxonomy")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

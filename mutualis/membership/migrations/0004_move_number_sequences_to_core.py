"""Move the conventions' counters from `NumberSequence` to core's `DocumentCounter`, then drop it.

Each (kind, year, last) row becomes the (series, year, last) counter `core.numbering` continues
from, so numbering goes on without a gap or a duplicate. A counter core already holds for the same
series and year keeps the larger value: a number is never handed out twice.

Reversible: going back recreates the table and copies the `convention` counters back. The core
counters stay where they are (the old code does not read them, and moving forward again keeps the
larger value of both).
"""

from django.db import migrations

# The only kind the old code numbered.
SERIES = ("convention",)


def _lock(schema_editor, model) -> None:
    # Old application servers still running must not take a number between copy and drop.
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")


def copy_to_core(apps, schema_editor):
    NumberSequence = apps.get_model("membership", "NumberSequence")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    db = schema_editor.connection.alias
    _lock(schema_editor, NumberSequence)
    for old in NumberSequence.objects.using(db).order_by("pk"):
        counter, created = DocumentCounter.objects.using(db).get_or_create(
            series=old.kind, year=old.year, defaults={"last": old.last}
        )
        if not created and counter.last < old.last:
            counter.last = old.last
            counter.save(update_fields=["last"])


def copy_back(apps, schema_editor):
    NumberSequence = apps.get_model("membership", "NumberSequence")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    db = schema_editor.connection.alias
    for counter in DocumentCounter.objects.using(db).filter(series__in=SERIES).order_by("pk"):
        NumberSequence.objects.using(db).update_or_create(
            kind=counter.series, year=counter.year, defaults={"last": counter.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_document_counter"),
        ("membership", "0003_membership_commune_programme_index"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.RemoveConstraint(model_name="numbersequence", name="one_sequence_per_kind_year"),
        migrations.DeleteModel(name="NumberSequence"),
    ]

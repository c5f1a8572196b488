"""Move the calls' and credit notes' counters from `DocumentSequence` to core's `DocumentCounter`,
then drop it.

Each (kind, year, last) row becomes the (series, year, last) counter `core.numbering` continues
from (`call`, `credit_note`), so numbering goes on without a gap or a duplicate. A counter core
already holds for the same series and year keeps the larger value: a number is never handed out
twice.

Reversible: going back recreates the table and copies the `call` and `credit_note` counters back.
The core counters stay where they are (the old code does not read them, and moving forward again
keeps the larger value of both).
"""

from django.db import migrations

SERIES = ("call", "credit_note")


def _lock(schema_editor, model) -> None:
    # Old application servers still running must not take a number between copy and drop.
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")


def copy_to_core(apps, schema_editor):
    DocumentSequence = apps.get_model("contributions", "DocumentSequence")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    db = schema_editor.connection.alias
    _lock(schema_editor, DocumentSequence)
    for old in DocumentSequence.objects.using(db).order_by("pk"):
        counter, created = DocumentCounter.objects.using(db).get_or_create(
            series=old.kind, year=old.year, defaults={"last": old.last}
        )
        if not created and counter.last < old.last:
            counter.last = old.last
            counter.save(update_fields=["last"])


def copy_back(apps, schema_editor):
    DocumentSequence = apps.get_model("contributions", "DocumentSequence")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    db = schema_editor.connection.alias
    for counter in DocumentCounter.objects.using(db).filter(series__in=SERIES).order_by("pk"):
        DocumentSequence.objects.using(db).update_or_create(
            kind=counter.series, year=counter.year, defaults={"last": counter.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("core", "0002_document_counter"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.RemoveConstraint(model_name="documentsequence", name="one_sequence"),
        migrations.DeleteModel(name="DocumentSequence"),
    ]

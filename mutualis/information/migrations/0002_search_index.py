"""Search structures of each database: FTS5 tables on SQLite, GIN indexes on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from mutualis.information.search import create_index_sql

    for statement in create_index_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    from mutualis.information.search import drop_index_sql

    for statement in drop_index_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("information", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

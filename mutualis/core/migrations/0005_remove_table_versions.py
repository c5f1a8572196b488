"""Remove the table tokens: first the database triggers that wrote them, then their table.

Every table of the project had triggers writing to core_tableversion on each INSERT, UPDATE or
DELETE (SQLite: three per table; PostgreSQL: one per table and the core_tableversion_bump()
function). Left behind on an upgraded database, a trigger writing to the dropped table would make
every write fail, so they go first, found by what they write to rather than by a list of tables.
"""

from django.db import migrations


def drop_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE p.proname = 'core_tableversion_bump' AND NOT t.tgisinternal"
            )
            for trigger, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)}")
            cursor.execute("DROP FUNCTION IF EXISTS core_tableversion_bump()")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND sql LIKE '%core_tableversion%'"
            )
            for (trigger,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_rate_counter"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="TableVersion"),
    ]

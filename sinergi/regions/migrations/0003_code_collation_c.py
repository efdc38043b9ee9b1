# Region codes compared under collation "C" on PostgreSQL (regions.models.CodeField), so that a
# prefix match on any code column is a range of its indexes (docs/benchmarks.md). Django alters the
# key and the foreign keys its migration state knows; the second step gives every other column
# that references a region (other apps' foreign keys, however the migrations were ordered) the
# same collation. Nothing changes on SQLite.

from django.db import migrations

import sinergi.regions.models

REFERENCING_COLUMNS = """
    SELECT cl.relname, att.attname
    FROM pg_constraint con
    JOIN pg_class cl ON cl.oid = con.conrelid
    JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
    WHERE con.contype = 'f' AND con.confrelid = 'regions_region'::regclass
    ORDER BY 1, 2
"""


def collate(collation: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REFERENCING_COLUMNS)
            columns = cursor.fetchall()
        for table, column in columns:
            schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} TYPE varchar(13) COLLATE {quote(collation)}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_admin_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="region",
            name="code",
            field=sinergi.regions.models.CodeField(max_length=13, primary_key=True, serialize=False, verbose_name="kode"),
        ),
        migrations.RunPython(collate("C"), collate("default")),
    ]

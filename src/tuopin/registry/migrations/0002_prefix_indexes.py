"""Prefix (LIKE 'code%') indexes for area scoping on PostgreSQL.

PostgreSQL uses a btree index for LIKE 'prefix%' only with the pattern operator class unless
the database collation is C. SQLite's own indexes on these columns serve it there.
"""

from django.db import migrations

INDEXES = [
    ("registry_household_village_prefix", "registry_household", "village_code"),
    ("registry_person_village_prefix", "registry_person", "village_code"),
    ("registry_person_name_prefix", "registry_person", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} varchar_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

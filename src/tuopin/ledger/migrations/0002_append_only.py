"""The log's rows refuse UPDATE and DELETE in the database itself, and the head row exists.

Entries, tile versions and checkpoints are append-only; only `tuopin ledger audit` (reading)
and a database owner acting by hand can tell otherwise.
"""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_tileversion", "ledger_checkpoint"]


def create(apps, schema_editor):
    apps.get_model("ledger", "LogHead").objects.get_or_create(pk=1, defaults={"next_index": 0})
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'ledger rows are append-only (%%)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END "
            "$$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for action in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only ({table})'); END"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif vendor == "sqlite":
            for action in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

"""Drop the index on ``ledger_entry.kind`` (ADR 0016): nothing looks entries up by kind, and
every append maintained it (on PostgreSQL twice, with its ``varchar_pattern_ops`` twin).

Only the indexes are dropped: Django's own ``AlterField`` rebuilds the table on SQLite, which
would drop the append-only triggers of 0002 and 0004 with it.
"""

from django.db import migrations, models

KINDS = [
    ("donation", "捐赠"),
    ("premium", "保费"),
    ("payout", "赔付"),
    ("disbursement", "拨付"),
    ("enrollment", "参保"),
    ("decision", "决定"),
    ("procurement", "采购"),
    ("refund", "退款"),
    ("note", "备注"),
]


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute('DROP INDEX IF EXISTS "ledger_entry_kind_36a98d3d"')
        if schema_editor.connection.vendor == "postgresql":
            cur.execute('DROP INDEX IF EXISTS "ledger_entry_kind_36a98d3d_like"')


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute('CREATE INDEX "ledger_entry_kind_36a98d3d" ON "ledger_entry" ("kind")')
        if schema_editor.connection.vendor == "postgresql":
            cur.execute(
                'CREATE INDEX "ledger_entry_kind_36a98d3d_like" ON "ledger_entry"'
                ' ("kind" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_append_only_inserts")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="kind",
                    field=models.CharField(choices=KINDS, max_length=16, verbose_name="类型"),
                )
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]

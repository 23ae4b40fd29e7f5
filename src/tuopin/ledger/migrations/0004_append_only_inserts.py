"""Close the holes left by 0002: entries are appended only at the next index, the log head
only advances with the entries, a replace cannot rewrite a row, and TRUNCATE is refused.

- ``ledger_entry``: an INSERT must take index = (largest index + 1), or 0 on an empty log. With
  no UPDATE and no DELETE (0002) the log stays 0..n-1, gapless, and SQLite's
  ``INSERT OR REPLACE`` of an existing index is refused before its implicit delete.
- ``ledger_tileversion``, ``ledger_checkpoint``: an INSERT that collides with an existing row
  is refused (a tile with the very same hashes is skipped: integration writes tiles with
  ``ignore_conflicts``), so a replace cannot rewrite them even on a connection without
  ``PRAGMA recursive_triggers`` (Django's connections set it: ``ledger.apps``).
- ``ledger_loghead``: its one row may only hold next_index = (largest index + 1), which is
  exactly the advance ``append_entry`` makes; it cannot be deleted while the log has entries.
- PostgreSQL: BEFORE TRUNCATE refuses to empty a log table that has rows (an empty table may
  be truncated: nothing is lost, and the test suite's flush does it).
"""

from django.db import migrations

ENTRY_TABLES = ["ledger_entry", "ledger_tileversion", "ledger_checkpoint"]
NEXT_INDEX = '(SELECT COALESCE(MAX("index"), -1) + 1 FROM ledger_entry)'

SQLITE_CREATE = [
    f"""CREATE TRIGGER ledger_entry_next_index BEFORE INSERT ON ledger_entry
    WHEN NEW."index" IS NOT {NEXT_INDEX}
    BEGIN SELECT RAISE(ABORT, 'ledger entries are appended at the next index only'); END""",
    """CREATE TRIGGER ledger_tileversion_no_replace BEFORE INSERT ON ledger_tileversion
    WHEN EXISTS (SELECT 1 FROM ledger_tileversion WHERE level = NEW.level
                 AND "index" = NEW."index" AND width = NEW.width)
    BEGIN
      SELECT RAISE(ABORT, 'ledger rows are append-only (ledger_tileversion)')
      WHERE NOT EXISTS (SELECT 1 FROM ledger_tileversion WHERE level = NEW.level
                        AND "index" = NEW."index" AND width = NEW.width AND hashes = NEW.hashes);
      SELECT RAISE(IGNORE);
    END""",
    """CREATE TRIGGER ledger_checkpoint_no_replace BEFORE INSERT ON ledger_checkpoint
    WHEN EXISTS (SELECT 1 FROM ledger_checkpoint WHERE size = NEW.size OR id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only (ledger_checkpoint)'); END""",
    f"""CREATE TRIGGER ledger_loghead_insert BEFORE INSERT ON ledger_loghead
    WHEN NEW.next_index IS NOT {NEXT_INDEX}
    BEGIN SELECT RAISE(ABORT, 'the log head must name the next index'); END""",
    f"""CREATE TRIGGER ledger_loghead_update BEFORE UPDATE ON ledger_loghead
    WHEN NEW.id IS NOT OLD.id OR NEW.next_index IS NOT {NEXT_INDEX}
    BEGIN SELECT RAISE(ABORT, 'the log head must name the next index'); END""",
    """CREATE TRIGGER ledger_loghead_delete BEFORE DELETE ON ledger_loghead
    WHEN EXISTS (SELECT 1 FROM ledger_entry)
    BEGIN SELECT RAISE(ABORT, 'the log head cannot be removed from a log with entries'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_next_index",
    "DROP TRIGGER IF EXISTS ledger_tileversion_no_replace",
    "DROP TRIGGER IF EXISTS ledger_checkpoint_no_replace",
    "DROP TRIGGER IF EXISTS ledger_loghead_insert",
    "DROP TRIGGER IF EXISTS ledger_loghead_update",
    "DROP TRIGGER IF EXISTS ledger_loghead_delete",
]

# One check per statement, not per row: an AFTER trigger reads the statement's new rows (a
# transition table) and refuses the whole INSERT or COPY unless they are exactly the indexes
# that follow the ones already there. A per-row trigger made a 200,000-row insert ten times
# slower; this one costs about nothing.
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION ledger_entry_next_index() RETURNS trigger AS $$
    DECLARE
      lo bigint; hi bigint; n bigint; before_lo bigint;
    BEGIN
      SELECT MIN("index"), MAX("index"), COUNT(*) INTO lo, hi, n FROM new_rows;
      IF n = 0 THEN
        RETURN NULL;
      END IF;
      SELECT COALESCE(MAX("index"), -1) INTO before_lo FROM ledger_entry WHERE "index" < lo;
      IF lo <> before_lo + 1 OR hi - lo + 1 <> n
         OR EXISTS (SELECT 1 FROM ledger_entry WHERE "index" > hi) THEN
        RAISE EXCEPTION 'ledger entries are appended at the next index only (%%..%%)', lo, hi
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_entry_next_index AFTER INSERT ON ledger_entry
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_next_index()""",
    f"""CREATE OR REPLACE FUNCTION ledger_loghead_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM ledger_entry) THEN
          RAISE EXCEPTION 'the log head cannot be removed from a log with entries'
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF (TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id)
         OR NEW.next_index IS DISTINCT FROM {NEXT_INDEX} THEN
        RAISE EXCEPTION 'the log head must name the next index'
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql VOLATILE""",
    """CREATE TRIGGER ledger_loghead_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_loghead
    FOR EACH ROW EXECUTE FUNCTION ledger_loghead_guard()""",
    """CREATE OR REPLACE FUNCTION ledger_refuse_truncate() RETURNS trigger AS $$
    DECLARE
      has_rows boolean;
    BEGIN
      IF TG_TABLE_NAME = 'ledger_loghead' THEN
        SELECT EXISTS (SELECT 1 FROM ledger_entry) INTO has_rows;
      ELSE
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %%I)', TG_TABLE_NAME) INTO has_rows;
      END IF;
      IF has_rows THEN
        RAISE EXCEPTION 'ledger rows are append-only (%%)', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql VOLATILE""",
    *[
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()"
        for table in [*ENTRY_TABLES, "ledger_loghead"]
    ],
]
POSTGRES_DROP = [
    *[
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"
        for table in [*ENTRY_TABLES, "ledger_loghead"]
    ],
    "DROP TRIGGER IF EXISTS ledger_loghead_guard ON ledger_loghead",
    "DROP TRIGGER IF EXISTS ledger_entry_next_index ON ledger_entry",
    "DROP FUNCTION IF EXISTS ledger_refuse_truncate()",
    "DROP FUNCTION IF EXISTS ledger_loghead_guard()",
    "DROP FUNCTION IF EXISTS ledger_entry_next_index()",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_opening")]
    operations = [migrations.RunPython(create, drop)]

"""The database itself refuses to rewrite audit entries (and, on PostgreSQL, to delete them).

SQLite gets no DELETE trigger: the test suite's flush empties tables with DELETE (PostgreSQL's
uses TRUNCATE, which row triggers do not see); a deleted SQLite entry is still found by
``audit.verify()`` (a hole in ``seq`` or a head that names a missing entry).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER security_auditentry_no_update BEFORE UPDATE ON security_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS security_auditentry_no_update;"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION security_audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER security_auditentry_no_change BEFORE UPDATE OR DELETE ON security_auditentry
    FOR EACH ROW EXECUTE FUNCTION security_audit_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS security_auditentry_no_change ON security_auditentry;",
    "DROP FUNCTION IF EXISTS security_audit_append_only();",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL with statements per database vendor (not a RunPython: the test suite's
    reference loader re-runs every RunPython after a flush, and triggers survive a flush)."""

    def __init__(self, forwards: dict, backwards: dict) -> None:
        super().__init__(sql=migrations.RunSQL.noop, reverse_sql=migrations.RunSQL.noop)
        self.forwards, self.backwards = forwards, backwards

    def deconstruct(self):
        return (self.__class__.__name__, [self.forwards, self.backwards], {})

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.forwards.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for sql in self.backwards.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [
        VendorSQL(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE},
        )
    ]

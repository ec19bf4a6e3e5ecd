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


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]

"""Trigram indexes for text search on PostgreSQL (none on SQLite).

search_cases matches UPPER(title/description/address) LIKE '%…%' (Django's icontains);
GIN trigram indexes on those same expressions answer it for three characters or more,
Chinese included. A rare word over a million cases: 8.3 s by scanning, 0.25 ms by these
indexes, once the party-name branch of the search is a list of ids rather than a subquery
(a sub-select in an OR keeps PostgreSQL from combining the indexes); see bench/README.md.
"""

from django.db import migrations, transaction

INDEXES = {
    "case_title_trgm": "upper((title)::text)",
    "case_description_trgm": "upper(description)",
    "case_address_trgm": "upper((address)::text)",
}


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to add the extension: search works, only slower
            return
        for name, expression in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases_case "
                f"USING gin ({expression} gin_trgm_ops)"
            )


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_search_and_overdue_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]

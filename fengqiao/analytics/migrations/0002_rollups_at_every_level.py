"""Rollup rows now exist at every level from the county up: recompute them once."""

from django.db import migrations


def rebuild(apps, schema_editor) -> None:
    # The rollups are derived data; the live function is the only definition of them.
    from fengqiao.analytics.rollups import rebuild as rebuild_rollups

    if apps.get_model("cases", "Case").objects.using(schema_editor.connection.alias).exists():
        rebuild_rollups()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("cases", "0003_default_categories"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]

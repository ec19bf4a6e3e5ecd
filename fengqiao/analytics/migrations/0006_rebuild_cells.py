"""Counts by place (cells) are new: recompute the rollups once for cases already there."""

from django.db import migrations


def rebuild(apps, schema_editor) -> None:
    # The rollups are derived data; the live function is the only definition of them.
    from fengqiao.analytics.rollups import rebuild as rebuild_rollups

    if apps.get_model("cases", "Case").objects.using(schema_editor.connection.alias).exists():
        rebuild_rollups()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_cells_index_warnings"),
        ("cases", "0012_mediation_actions"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]

"""Default grade names, assessment points and reply limits (editable by admins)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("general", "一般督办", Decimal("1"), 3),
    ("key", "重点督办", Decimal("3"), 2),
    ("listed", "挂牌督办", Decimal("5"), 1),
]


def add_defaults(apps, schema_editor):
    GradeSetting = apps.get_model("supervision", "GradeSetting")
    for grade, name, points, days in DEFAULTS:
        GradeSetting.objects.get_or_create(
            grade=grade, defaults={"name": name, "points": points, "reply_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_gradesetting_supervisionorder_auto_key_and_more")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]

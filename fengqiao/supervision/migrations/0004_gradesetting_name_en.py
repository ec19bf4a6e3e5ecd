"""Supervision grades get an English name; the default grades get theirs."""

from django.db import migrations, models

# grade → (default Chinese name, English name)
DEFAULTS = {
    "general": ("一般督办", "General supervision"),
    "key": ("重点督办", "Key supervision"),
    "listed": ("挂牌督办", "Listed supervision"),
}


def fill(apps, schema_editor):
    GradeSetting = apps.get_model("supervision", "GradeSetting")
    for grade, (name, name_en) in DEFAULTS.items():
        # Only a grade that still has its default name: one an admin renamed stays for them.
        GradeSetting.objects.filter(grade=grade, name=name, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_default_grades")]

    operations = [
        migrations.AddField(
            model_name="gradesetting",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="英文界面显示；不填则显示中文名称",
                max_length=64,
                verbose_name="英文显示名称",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

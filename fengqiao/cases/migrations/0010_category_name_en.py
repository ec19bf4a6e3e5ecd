"""Categories get an English name; the default categories get theirs."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from fengqiao.cases.taxonomy import fill_english_names

    fill_english_names(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_cursors_for_handled_events")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="英文界面显示；不填则显示中文名称",
                max_length=100,
                verbose_name="英文名称",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

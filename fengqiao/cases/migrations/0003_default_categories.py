from django.db import migrations


def load(apps, schema_editor):
    from fengqiao.cases.taxonomy import ensure_default_categories

    ensure_default_categories(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from fengqiao.routing.defaults import load_defaults

    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial"), ("cases", "0003_default_categories")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

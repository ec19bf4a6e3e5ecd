from django.db import migrations

from fengqiao.centers import defaults


def load(apps, schema_editor):
    defaults.load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

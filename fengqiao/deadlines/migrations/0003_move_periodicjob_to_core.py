# PeriodicJob now belongs to core (fengqiao.core.models): it leaves deadlines' state only; its
# table stays, with its rows, under the name core's model gives it (deadlines_periodicjob).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0002_default_rules"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PeriodicJob")],
            database_operations=[],
        ),
    ]

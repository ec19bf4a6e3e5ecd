# PeriodicJob moves here from deadlines (the scheduler is core's): only Django's state moves.
# Its table, deadlines_periodicjob, was created by deadlines' 0001 and keeps its rows; the
# model names it in Meta.db_table. deadlines' 0003 removes the model from deadlines' state.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PeriodicJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=64, unique=True, verbose_name="名称")),
                        ("task_path", models.CharField(max_length=200, verbose_name="任务")),
                        ("interval_seconds", models.PositiveIntegerField(verbose_name="间隔（秒）")),
                        ("next_run_at", models.DateTimeField(verbose_name="下次运行")),
                        (
                            "last_run_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="上次运行"),
                        ),
                        ("last_claimed_by", models.CharField(blank=True, max_length=64)),
                        ("is_enabled", models.BooleanField(default=True, verbose_name="启用")),
                    ],
                    options={
                        "verbose_name": "定时任务",
                        "verbose_name_plural": "定时任务",
                        "db_table": "deadlines_periodicjob",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

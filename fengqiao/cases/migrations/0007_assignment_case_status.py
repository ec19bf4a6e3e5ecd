"""Assignments carry their case's status (kept by cases.services.transition), so that a
unit's current work is found from its assignments alone."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_case_status(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseAssignment = apps.get_model("cases", "CaseAssignment")
    CaseAssignment.objects.update(
        case_status=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("status")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_event_cursor"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseassignment",
            name="case_status",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="案件状态"),
        ),
        migrations.RunPython(copy_case_status, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="caseassignment",
            index=models.Index(fields=["unit", "case_status"], name="assignment_unit_case_status"),
        ),
    ]

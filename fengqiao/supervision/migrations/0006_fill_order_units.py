"""Orders written without a unit (on cases with no lead unit yet) name the unit they
supervise: the case's lead unit, or the center in charge when it has none."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_units(apps, schema_editor):
    Order = apps.get_model("supervision", "SupervisionOrder")
    Case = apps.get_model("cases", "Case")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    unit = Coalesce(Subquery(case.values("lead_unit_id")[:1]), Subquery(case.values("center_id")[:1]))
    Order.objects.filter(unit__isnull=True).update(unit_id=unit)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_order_escalate_at"),
    ]

    operations = [migrations.RunPython(fill_units, migrations.RunPython.noop, elidable=True)]

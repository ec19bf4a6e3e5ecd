from django.db import migrations

from fengqiao.centers import defaults


def load(apps, schema_editor):
    item = apps.get_model("centers", "ChecklistItem")
    for i, (code, group, name, name_en, points, levels) in enumerate(defaults.CHECKLIST):
        item.objects.get_or_create(
            code=code,
            defaults={"group": group, "name": name, "name_en": name_en, "points": points,
                      "levels": levels, "sort_order": i},
        )
    norm = apps.get_model("centers", "StaffingNorm")
    for level, (lo, hi, target) in defaults.NORMS.items():
        norm.objects.get_or_create(
            level=level,
            defaults={"min_full_time": lo, "max_full_time": hi, "residency_target": target},
        )
    weight = apps.get_model("centers", "AssessmentWeight")
    for i, (code, name, name_en, w) in enumerate(defaults.WEIGHTS):
        weight.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "weight": w, "sort_order": i}
        )
    plan = apps.get_model("centers", "PlanTemplate")
    for i, (code, name, name_en, incident, tasks) in enumerate(defaults.PLANS):
        plan.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "incident": incident,
                      "roster": defaults.ROSTER, "sort_order": i,
                      "tasks": [{"title": t, "minutes": m} for t, m in tasks]},
        )


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

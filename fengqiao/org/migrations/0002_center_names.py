"""Centers named by the old rule get the name :func:`fengqiao.org.naming.center_name_for`
gives (新街社区居综治中心 → 新街社区综治中心). Only a name exactly equal to what the old rule
derived from the center's division is changed: a name an admin typed stays as it is."""

from django.db import migrations

from fengqiao.org.naming import center_name


def old_names(name: str, level: int) -> set[str]:
    """What the old rules derived from a division's name (demo data, test factories)."""
    if level >= 5:
        return {f"{name.removesuffix('委员会').removesuffix('委会')}综治中心", f"{name}综治中心"}
    if level == 4:
        return {f"{name}综治中心"}
    return {f"{name}社会治安综合治理中心", f"{name}综治中心"}


def rename(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    taken = set(Unit.objects.values_list("region_id", "name"))
    for unit in Unit.objects.filter(kind="center").select_related("region").iterator():
        region = unit.region
        new = center_name(region.name)
        if unit.name == new or unit.name not in old_names(region.name, region.level):
            continue
        if (region.pk, new) in taken:
            continue  # a center of that name exists already: leave both for an admin
        taken.discard((region.pk, unit.name))
        taken.add((region.pk, new))
        Unit.objects.filter(pk=unit.pk).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]

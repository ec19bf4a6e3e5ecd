"""The rollups gain the level at which each case was settled (``settled``): add the counts of
the cases already settled, whose recorded state does not have the dimension yet. (At national
scale ``manage.py rebuild_rollups`` does the same in two statements.)"""

from django.db import migrations
from django.db.models import F

SEP = "."
DIMENSION = "settled"


def _paths(path: str) -> list[str]:
    codes = [c for c in path.split(SEP) if c]
    return [SEP.join(codes[: i + 1]) + SEP for i in range(len(codes))]


def add_settled(apps, schema_editor):
    State = apps.get_model("analytics", "CaseRollupState")
    Count = apps.get_model("analytics", "RollupCount")
    deltas: dict[tuple, int] = {}
    batch = []
    rows = (
        State.objects.filter(case__settled_level__isnull=False)
        .select_related("case")
        .only("case_id", "path", "month", "values", "case__settled_level")
        .order_by("case_id")
    )
    for state in rows.iterator(chunk_size=5000):
        if DIMENSION in (state.values or {}):
            continue
        value = str(state.case.settled_level)
        state.values = {**(state.values or {}), DIMENSION: value}
        batch.append(state)
        for p in _paths(state.path):
            key = (p, state.month, value)
            deltas[key] = deltas.get(key, 0) + 1
        if len(batch) >= 5000:
            State.objects.bulk_update(batch, ["values"])
            batch.clear()
    State.objects.bulk_update(batch, ["values"])
    for (path, month, value), n in sorted(deltas.items()):
        found = Count.objects.filter(path=path, month=month, dimension=DIMENSION, value=value)
        if not found.update(n=F("n") + n):
            Count.objects.create(path=path, month=month, dimension=DIMENSION, value=value, n=n)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_rollup_covering_index"),
        ("cases", "0009_cursors_for_handled_events"),
    ]

    operations = [migrations.RunPython(add_settled, migrations.RunPython.noop, elidable=True)]

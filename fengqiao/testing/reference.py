"""Reference data for tests: the divisions of one real county and what the data
migrations seed. A transactional test's flush removes them; these put them back."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

VILLAGES = Path(__file__).resolve().parents[1] / "regions" / "data" / "villages_420923.csv"


def ensure_test_regions() -> None:
    """Load 湖北省孝感市 (cities, counties, townships) and 云梦县's villages if missing."""
    from fengqiao.regions import loader
    from fengqiao.regions.models import Region

    if Region.objects.filter(code="420923100001").exists():
        return
    rows = [r for r in loader.upper_rows() if r.code[:4] == "4209" or r.code == "420000"]
    loader.load(rows)
    loader.load(loader.village_rows(VILLAGES))


def load_reference_data() -> None:
    """Regions plus every project data migration's seed (categories, time limits, routing
    rules, supervision grades...). Each seed creates only what is missing."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    ensure_test_regions()
    schema_editor = SimpleNamespace(connection=connection)  # what seeds may look at
    graph = MigrationLoader(connection).graph
    plan = dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf))
    for node in plan:
        if not graph.nodes[node].__module__.startswith("fengqiao."):
            continue
        for operation in graph.nodes[node].operations:
            if isinstance(operation, RunPython):
                operation.code(apps, schema_editor)

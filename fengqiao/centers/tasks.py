"""The centers' periodic sweep (overdue meeting tasks, reports coming due)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.centers import services


@task()
def sweep_centers_task() -> dict[str, int]:
    result = services.sweep()
    return {"supervised": result.supervised, "reminded": result.reminded}

"""Background tasks of the supervision app (run by the database worker)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.supervision.rules import sweep_supervision


@task()
def sweep_supervision_task() -> dict:
    """The periodic supervision sweep (enqueued by the scheduler after the deadline sweep)."""
    result = sweep_supervision()
    return {"issued": dict(result.issued), "escalated": result.escalated}

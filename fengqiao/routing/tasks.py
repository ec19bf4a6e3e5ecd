"""Background tasks of routing (run by the database worker)."""

from __future__ import annotations

from django.tasks import task

from fengqiao.cases.models import Case


@task()
def link_related_task(case_id: int) -> int:
    """Index a newly registered case's text and link it to its related cases (same party,
    same place, similar text). Queued by the registration; safe to run again."""
    from fengqiao.routing.services import link_related

    case = Case.objects.select_related("category", "center", "region").filter(pk=case_id).first()
    if case is None:  # the registration was rolled back after all
        return 0
    return len(link_related(case=case))

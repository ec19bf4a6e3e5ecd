"""Reads for the visit worklists (待回访), always within the user's case scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.cases.selectors import active_memberships, visible_cases
from fengqiao.followup.choices import TaskStatus, VisitMethod
from fengqiao.followup.models import MonthlySample, Visit, VisitTask
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import User


def visit_tasks(
    user: User,
    *,
    status: str | None = TaskStatus.PENDING,
    sample: bool | None = None,
    membership_id: int | None = None,
) -> QuerySet[VisitTask]:
    """The visit tasks of the cases this user may see, soonest due first.

    ``status`` None gives every status; ``sample`` True/False keeps only sample/routine
    tasks."""
    qs = VisitTask.objects.filter(
        case_id__in=visible_cases(user, membership_id=membership_id).values("pk")
    )
    if status is not None:
        qs = qs.filter(status=status)
    if sample is not None:
        qs = qs.filter(is_sample=sample)
    return qs.select_related("case", "center", "sample").order_by("due_at", "id")


def visits_due(user: User, *, membership_id: int | None = None) -> QuerySet[VisitTask]:
    """待回访: the pending tasks (routine and sample) in the user's scope."""
    return visit_tasks(user, membership_id=membership_id)


def visit_counts(
    user: User, *, now: dt.datetime | None = None, membership_id: int | None = None
) -> dict[str, int]:
    """Counts for the worklist tabs and badges, in one query: pending, overdue (pending past
    the limit), sample_pending, done, unreached, archived."""
    now = now or timezone.now()
    pending = Q(status=TaskStatus.PENDING)
    row = visit_tasks(user, status=None, membership_id=membership_id).aggregate(
        pending=Count("id", filter=pending),
        overdue=Count("id", filter=pending & Q(due_at__lt=now)),
        sample_pending=Count("id", filter=pending & Q(is_sample=True)),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        unreached=Count("id", filter=Q(status=TaskStatus.UNREACHED)),
        archived=Count("id", filter=Q(status=TaskStatus.ARCHIVED)),
    )
    return {key: int(value or 0) for key, value in row.items()}


def visits_of_case(case: Case) -> QuerySet[Visit]:
    """Every visit (and unreached attempt) of a case the caller already fetched in scope."""
    return (
        Visit.objects.filter(case=case)
        .select_related("visited_by", "task")
        .order_by("visited_at", "id")
    )


def samples(user: User) -> QuerySet[MonthlySample]:
    """The monthly samples of the centers whose cases this user may see (by their tasks),
    plus those of the user's own centers."""

    qs = MonthlySample.objects.select_related("center").annotate(
        drawn=Count("tasks"),
        pending=Count("tasks", filter=Q(tasks__status=TaskStatus.PENDING)),
    )
    if user.is_authenticated and user.is_superuser:
        return qs
    paths = [m.unit.region_path for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER]
    if not paths:
        return qs.none()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(center__region_path__startswith=path)
    return qs.filter(q)


def open_visit_task(case: Case) -> VisitTask | None:
    """The case's open visit-back task (待回访), pending or not reached yet."""
    return (
        VisitTask.objects.filter(case=case, status__in=[TaskStatus.PENDING, TaskStatus.UNREACHED])
        .order_by("due_at", "id")
        .first()
    )


def staff_visit_methods() -> list[tuple[str, str]]:
    """How staff may visit a case back (the citizen's own rating on the portal is not one)."""
    return [(v, label) for v, label in VisitMethod.choices if v != VisitMethod.CITIZEN_PORTAL]

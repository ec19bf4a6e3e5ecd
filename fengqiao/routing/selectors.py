"""Reads of routing: what was proposed for a case, its related cases as a user may see
them, settled levels and returns per unit."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from fengqiao.cases.choices import AssignmentStatus
from fengqiao.cases.models import Case, CaseAssignment, CaseLink
from fengqiao.cases.selectors import visible_cases
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import User
from fengqiao.org.selectors import active_memberships
from fengqiao.routing.models import CaseRouting

CORRECT_ROLES = frozenset({Role.DISPATCHER, Role.DIRECTOR})


def may_correct_category(user: User, case: Case, *, membership_id: int | None = None) -> bool:
    """The dispatchers and directors of a center over the case may correct its category."""
    if user.is_superuser:
        return True
    return any(
        m.role in CORRECT_ROLES
        and m.unit.kind == UnitKind.CENTER
        and case.scope_path.startswith(m.unit.region_path)
        for m in active_memberships(user, membership_id)
    )


def routing_for(case: Case) -> CaseRouting | None:
    return CaseRouting.objects.filter(case=case).select_related("category", "tier_center").first()


def related_links(case: Case, user: User) -> QuerySet[CaseLink]:
    """The links of a case to the other cases this user may see (receptionist, dispatcher)."""
    return (
        CaseLink.objects.filter(case=case, other__in=visible_cases(user))
        .select_related("other")
        .order_by("kind", "-score", "-other__registered_at")
    )


def settled_level_counts(cases: QuerySet[Case]) -> dict[int, int]:
    """How many cases were settled at each region level (3 county, 4 township, 5 village)."""
    rows = (
        cases.filter(settled_level__isnull=False)
        .values("settled_level")
        .annotate(n=Count("id"))
        .values_list("settled_level", "n")
    )
    return dict(rows)


def unit_return_stats(unit_ids: list[int]) -> dict[int, dict]:
    """Per unit: assignments received, how many it returned, and the latest reasons."""
    totals = {
        r["unit_id"]: r
        for r in CaseAssignment.objects.filter(unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(
            total=Count("id"),
            returned=Count("id", filter=Q(status=AssignmentStatus.RETURNED)),
        )
    }
    reasons: dict[int, list[str]] = {}
    for unit_id, reason in (
        CaseAssignment.objects.filter(unit_id__in=unit_ids, status=AssignmentStatus.RETURNED)
        .order_by("-assigned_at")
        .values_list("unit_id", "return_reason")[:200]
    ):
        bucket = reasons.setdefault(unit_id, [])
        if len(bucket) < 5:
            bucket.append(reason)
    return {
        pk: {
            "total": totals.get(pk, {}).get("total", 0),
            "returned": totals.get(pk, {}).get("returned", 0),
            "reasons": reasons.get(pk, []),
        }
        for pk in unit_ids
    }


def co_handling_parts(case: Case) -> list[CaseAssignment]:
    """The lead and co-handling units of a case with each one's part and report."""
    return list(
        CaseAssignment.objects.filter(case=case)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("unit")
        .order_by("role", "id")
    )

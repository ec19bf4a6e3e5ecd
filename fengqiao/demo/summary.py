"""What the demo holds, in a few lines for the end of ``load_demo``."""

from __future__ import annotations

from django.db.models import Count

from fengqiao.cases.choices import RiskLevel, Status
from fengqiao.cases.models import Case, CaseLink
from fengqiao.followup.models import Visit, VisitTask
from fengqiao.supervision.models import SupervisionOrder


def _counts(model, field: str) -> dict[str, int]:
    return dict(model.objects.values_list(field).annotate(n=Count("id")).order_by(field))


def lines() -> list[str]:
    out = [f"Cases: {Case.objects.count()}"]
    by_status = _counts(Case, "status")
    out.append(
        "  by status: "
        + ", ".join(f"{Status(s).label} {by_status.get(s, 0)}" for s in Status.values)
    )
    labels = dict(RiskLevel.choices)
    out.append(
        "  by risk: "
        + ", ".join(f"{labels.get(k, k)} {v}" for k, v in _counts(Case, "risk_level").items())
    )
    open_overdue = Case.objects.filter(is_overdue=True, status__in=["dispatched", "handling"])
    out.append(
        f"  overdue: {open_overdue.count()} open now, "
        f"{Case.objects.filter(is_overdue=True).count()} in all; "
        f"red with 包案 leader: "
        f"{Case.objects.filter(risk_level='red', responsible_leader__isnull=False).count()}; "
        f"related links: {CaseLink.objects.count() // 2}"
    )
    states = _counts(SupervisionOrder, "status")
    grades = _counts(SupervisionOrder, "grade")
    out.append(
        f"Supervision orders: {sum(states.values())} "
        f"(by state {states or '-'}; by grade {grades or '-'})"
    )
    out.append(
        f"Visits: {Visit.objects.count()} (by outcome {_counts(Visit, 'outcome') or '-'}); "
        f"visit tasks by state {_counts(VisitTask, 'status') or '-'}"
    )
    return out

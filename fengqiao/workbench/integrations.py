"""Where the workbench calls features that other apps provide, with a plain fallback while
an app does not offer them yet (routing, notifications, QR codes, API tokens)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.conf import settings

from fengqiao.cases.models import Case
from fengqiao.org.models import Unit, User

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def suggest_units(case: Case) -> list[Unit]:
    """Units proposed for dispatch by routing (category's unit types, tier, history)."""
    fn = _optional("fengqiao.routing.dispatch", "suggest_units")
    if fn is None:
        return []
    try:
        found = fn(case)
    except Exception:  # a suggestion must never break the page
        log.exception("suggest_units failed for %s", case.code)
        return []
    units = [getattr(s, "unit", s) for s in found or []]
    return [u for u in units if isinstance(u, Unit)][:5]


def classify(title: str, text: str) -> list:
    """Categories proposed from the text by routing, best first (empty without routing)."""
    fn = _optional("fengqiao.routing.classification", "classify")
    if fn is None:
        return []
    try:
        suggestion = fn(title, text)
    except Exception:
        log.exception("classify failed")
        return []
    from fengqiao.cases.models import Category

    codes = [code for code, _score in (suggestion.ranking or [])][:3]
    found = {c.code: c for c in Category.objects.filter(code__in=codes).select_related("parent")}
    cats = [found[c] for c in codes if c in found]
    if suggestion.category is not None and suggestion.category not in cats:
        cats.insert(0, suggestion.category)
    return cats[:3]


def unread_count(user: User) -> int | None:
    fn = _optional("fengqiao.notifications.selectors", "unread_count") or _optional(
        "fengqiao.notifications.services", "unread_count"
    )
    if fn is None or not user.is_authenticated:
        return None
    try:
        return int(fn(user))
    except Exception:
        log.exception("unread_count failed")
        return None


def has_inbox() -> bool:
    return _optional("fengqiao.notifications.selectors", "inbox") is not None


def worklist(key: str, user: User, membership_id: int | None):
    """The case queryset that the owning app defines for a worklist, or None."""
    fn = None
    if key == "due_soon":
        fn = _optional("fengqiao.deadlines.selectors", "nearing_limit_cases")
    elif key == "overdue":
        fn = _optional("fengqiao.deadlines.selectors", "overdue_cases")
    elif key == "supervised":
        fn = _optional("fengqiao.supervision.selectors", "supervised_cases")
    elif key == "to_visit":
        visits = _optional("fengqiao.followup.selectors", "visits_due")
        if visits is None:
            return None
        return Case.objects.filter(
            pk__in=visits(user, membership_id=membership_id).order_by().values("case_id")
        )
    return fn(user, membership_id=membership_id).order_by() if fn is not None else None


def has_tokens() -> bool:
    return _optional("fengqiao.api.services", "create_token") is not None


def tracking_url(code: str) -> str:
    fn = _optional("fengqiao.cases.qr", "tracking_url")
    if fn is not None:
        return fn(code)
    return f"{settings.PUBLIC_BASE_URL}/p/track/{code}/"


def qr_svg(text: str) -> str:
    fn = _optional("fengqiao.cases.qr", "qr_svg")
    if fn is not None:
        return fn(text)
    import segno

    return segno.make(text, error="m").svg_inline(scale=4)


def raw_clocks(case: Case) -> list:
    """The case's clocks as the deadlines app gives them (empty without the app)."""
    fn = _optional("fengqiao.deadlines.selectors", "case_clocks")
    return list(fn(case)) if fn is not None else []


def clocks(case: Case, found: list | None = None) -> list[dict]:
    """The case's running time limits (sign, resolve, visit) from the deadlines app."""
    found = raw_clocks(case) if found is None else found
    if not found:
        return []
    try:
        from fengqiao.deadlines.choices import Stage, TimerKind
    except ImportError:
        return []
    out = []
    for clock in found:
        out.append(
            {
                "kind": TimerKind(clock.kind).label if clock.kind in TimerKind.values else "",
                "deadline": clock.deadline,
                "stage": Stage(clock.stage).label if clock.stage in Stage.values else "",
                "late": clock.stage >= Stage.OVERDUE,
                "warned": clock.stage == Stage.WARNED,
                "paused": clock.paused_since is not None,
                "pause_reason": clock.pause_reason,
                "running": clock.is_running,
                "extensions": clock.extensions,
            }
        )
    return out


def visit_task(case: Case):
    """The case's open visit-back task (待回访), when the followup app keeps them."""
    try:
        from fengqiao.followup.choices import TaskStatus
        from fengqiao.followup.models import VisitTask
    except ImportError:
        return None
    return (
        VisitTask.objects.filter(case=case, status__in=[TaskStatus.PENDING, TaskStatus.UNREACHED])
        .order_by("due_at", "id")
        .first()
    )


def visit_methods() -> list[tuple[str, str]]:
    try:
        from fengqiao.followup.choices import VisitMethod
    except ImportError:
        return []
    return [(v, label) for v, label in VisitMethod.choices if v != VisitMethod.CITIZEN_PORTAL]

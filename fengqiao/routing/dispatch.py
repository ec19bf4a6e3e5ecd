"""Dispatch suggestions (分流建议): which units should handle a case, ranked, with reasons;
and where the risk level puts it (the tier center)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from fengqiao.cases.choices import AssignmentRole, AssignmentStatus
from fengqiao.cases.models import Case, CaseAssignment
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit, User
from fengqiao.regions.models import PATH_SEP, Level
from fengqiao.routing import config

TYPE_SCORE = 40.0  # the category's first unit type; later ones get less
TYPE_STEP = 8.0
NEAR_SCORE = 15.0  # a unit at the case's own level of the region tree; less further up
TIER_SCORE = 30.0
LOAD_PENALTY = 2.0  # per open assignment
LOAD_CAP = 20.0
PERFORMANCE_SCORE = 20.0
MIN_HISTORY = 3  # assignments on this category before performance counts


@dataclass(frozen=True)
class UnitSuggestion:
    unit: Unit
    score: float
    reasons: list[str] = field(default_factory=list)
    role: str = AssignmentRole.LEAD


def _active_centers(where: Q) -> dict[str, list[Unit]]:
    """Active centers matching ``where``, by region code, lowest id first."""
    by_region: dict[str, list[Unit]] = {}
    centers = Unit.objects.filter(where, kind=UnitKind.CENTER, is_active=True)
    for unit in centers.select_related("region").order_by("id"):
        by_region.setdefault(unit.region_id, []).append(unit)
    return by_region


def tier_center(case: Case, tier_level: int | None) -> Unit | None:
    """The center on the case's region path at the tier's level, or the nearest one above it
    when that level has no center (a village without its own center)."""
    if tier_level is None:
        return None
    region, home = case.region, case.center
    if region.path.startswith(home.region_path):  # always so, unless the case moved since
        # Every center a case registered at ``home`` can be tiered to: those on the path
        # above it and those within its region; one cache entry per center, not per village.
        above = [c for c in home.region_path.split(PATH_SEP) if c]
        centers = config.cached(
            f"centers_around:{home.pk}",
            lambda: _active_centers(
                Q(region_id__in=above) | Q(region_path__startswith=home.region_path)
            ),
        )
    else:
        centers = _active_centers(Q(region_id__in=region.ancestor_codes))
    for code in reversed(region.ancestor_codes):  # deepest first
        for center in centers.get(code, ()):
            if center.region.level <= tier_level:
                return center
    return home


def leader_for(center: Unit) -> User | None:
    """The default 包案 leader of a center: its first active director."""
    membership = (
        Membership.objects.filter(
            unit=center, role=Role.DIRECTOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def center_directors(center: Unit) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            unit=center, role=Role.DIRECTOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("id")
    ]


def suggest_units(case: Case, limit: int = 5) -> list[UnitSuggestion]:
    """Units to dispatch a case to, best first: the category's unit types among the units
    in the case center's subtree on the case's region path, by nearness, current load and
    past performance on this category; plus the tier center when it lies below the case
    center. The best is proposed as lead, the others of different types as co-handlers."""
    unit_types: list[str] = list(case.category.unit_types) if case.category_id else []
    if not unit_types:
        routing = getattr(case, "routing", None)
        unit_types = list(routing.unit_types) if routing else []
    codes = case.region.ancestor_codes
    candidates = list(
        Unit.objects.filter(
            is_active=True,
            region_id__in=codes,
            region_path__startswith=case.scope_path,
        )
        .exclude(pk=case.center_id)
        .filter(Q(unit_type__in=unit_types) | Q(kind=UnitKind.CENTER))
        .select_related("region")
    )
    tier = case.tier_level
    target = None
    if tier is not None:
        target = tier_center(case, tier)
    candidates = [
        u for u in candidates if u.kind != UnitKind.CENTER or (target and u.pk == target.pk)
    ]
    if not candidates:
        return []
    ids = [u.pk for u in candidates]
    load = dict(
        CaseAssignment.objects.filter(
            unit_id__in=ids, status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED]
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    history: dict[int, dict[str, int]] = {}
    if case.category_id:
        rows = (
            CaseAssignment.objects.filter(
                unit_id__in=ids, role=AssignmentRole.LEAD, case__category_id=case.category_id
            )
            .exclude(case_id=case.pk)
            .values("unit_id")
            .annotate(
                total=Count("id"),
                returned=Count("id", filter=Q(status=AssignmentStatus.RETURNED)),
                resolved=Count("id", filter=Q(case__resolved_at__isnull=False)),
                on_time=Count(
                    "id",
                    filter=Q(case__resolved_at__isnull=False)
                    & (
                        Q(case__deadline__isnull=True)
                        | Q(case__resolved_at__lte=F("case__deadline"))
                    ),
                ),
            )
        )
        history = {r["unit_id"]: r for r in rows}

    case_level = case.region.level
    out: list[UnitSuggestion] = []
    for unit in candidates:
        score = 0.0
        reasons: list[str] = []
        if unit.kind == UnitKind.CENTER:
            score += TIER_SCORE
            reasons.append(
                _("风险等级对应%(level)s处置") % {"level": Level(unit.region.level).label}
            )
        else:
            position = unit_types.index(unit.unit_type)
            score += max(TYPE_SCORE - TYPE_STEP * position, 5.0)
            reasons.append(
                _("分类对应承办单位类型：%(type)s") % {"type": unit.get_unit_type_display()}
            )
        distance = case_level - unit.region.level
        score += max(NEAR_SCORE - 5.0 * distance, 0.0)
        if distance == 0:
            reasons.append(_("位于案件发生地"))
        open_count = load.get(unit.pk, 0)
        penalty = min(LOAD_PENALTY * open_count, LOAD_CAP)
        score -= penalty
        reasons.append(_("在办%(n)d件") % {"n": open_count})
        h = history.get(unit.pk)
        if h and h["total"] >= MIN_HISTORY:
            return_rate = h["returned"] / h["total"]
            on_time_rate = h["on_time"] / h["resolved"] if h["resolved"] else 0.0
            score += PERFORMANCE_SCORE * (on_time_rate - return_rate)
            reasons.append(
                _("同类案件%(n)d件：按时办结率%(ontime)d%%，退回率%(ret)d%%")
                % {
                    "n": h["total"],
                    "ontime": round(100 * on_time_rate),
                    "ret": round(100 * return_rate),
                }
            )
        out.append(UnitSuggestion(unit=unit, score=round(score, 1), reasons=reasons))
    out.sort(key=lambda s: (-s.score, s.unit.pk))
    out = out[:limit]
    if out:
        lead = out[0]
        result = [lead]
        seen_types = {lead.unit.unit_type}
        for s in out[1:]:
            role = AssignmentRole.CO if s.unit.unit_type not in seen_types else ""
            seen_types.add(s.unit.unit_type)
            result.append(UnitSuggestion(unit=s.unit, score=s.score, reasons=s.reasons, role=role))
        out = result
    return out

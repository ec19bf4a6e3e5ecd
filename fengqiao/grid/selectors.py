"""Reads of grid management, each starting from the scope of the user.

- A grid worker sees only the grids they hold a post in (:class:`GridWorker` with their
  account), whatever center their membership is at.
- Staff of a center in any other role see the grids under the center's region.
- Key populations are seen only by the roles that need them (:data:`KEY_POPULATION_ROLES`):
  the grid worker of the person's grid and the directors of centers above it.

A grid out of scope looks exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from fengqiao.cases.models import Case
from fengqiao.cases.selectors import visible_cases
from fengqiao.core import crypto
from fengqiao.core.errors import NotFound
from fengqiao.core.validators import is_phone
from fengqiao.grid.choices import POST_RANK
from fengqiao.grid.models import (
    Campaign,
    CampaignFinding,
    CampaignTask,
    GridWorker,
    House,
    KeyPerson,
    KeyPersonReveal,
    Organization,
    Place,
    Resident,
    VisitAlert,
)
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions import geometry as geo
from fengqiao.regions.models import PATH_END, Grid, Level, Region
from fengqiao.regions.selectors import boundary_feature

# Roles that manage grids (boundaries, workers, party branches) under their center.
MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
# Roles that see key populations (the grid worker only in their own grids).
KEY_POPULATION_ROLES = frozenset({Role.DIRECTOR, Role.GRID_WORKER})
# Roles that see grids under their center (everyone at a center except a grid worker, who
# sees only their own grids).
VIEW_ROLES = frozenset(Role.values) - {Role.GRID_WORKER}


def _center_paths(memberships: list[Membership], roles: frozenset[str]) -> list[str]:
    paths = sorted(
        {
            m.unit.region_path
            for m in memberships
            if m.unit.kind == UnitKind.CENTER and m.role in roles
        }
    )
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(p) for p in minimal):
            minimal.append(path)
    return minimal


def _path_q(paths: list[str], field: str = "region_path") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})
    return q


def own_grid_ids(user: User) -> list[int]:
    """The grids this user holds an active post in (as a grid worker, 网格长…)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_fq_grid_ids", None)
    if cached is None:
        cached = list(
            GridWorker.objects.filter(user=user, is_active=True, grid__is_active=True)
            .order_by("grid_id")
            .values_list("grid_id", flat=True)
            .distinct()
        )
        user._fq_grid_ids = cached
    return cached


def is_grid_worker(user: User) -> bool:
    return any(m.role == Role.GRID_WORKER for m in active_memberships(user))


def may_use_grid(user: User) -> bool:
    """Whether the section appears in the staff navigation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # On every staff page (the navigation): from the memberships in hand; only a grid
    # worker costs a query (their posts).
    memberships = active_memberships(user)
    if any(m.unit.kind == UnitKind.CENTER and m.role in VIEW_ROLES for m in memberships):
        return True
    return any(m.role == Role.GRID_WORKER for m in memberships) and bool(own_grid_ids(user))


def scope_q(
    user: User,
    *,
    roles: frozenset[str] = VIEW_ROLES,
    field: str = "region_path",
    grid_field: str = "grid_id",
) -> Q:
    """The Q of the rows (with a region path and a grid) this user may see."""
    memberships = active_memberships(user)
    q = _path_q(_center_paths(memberships, roles), field)
    grids = own_grid_ids(user)
    if grids:
        q |= Q(**{f"{grid_field}__in": grids})
    return q


def visible_grids(user: User) -> QuerySet[Grid]:
    """Every grid this user may see. The one place where grid read scope is decided."""
    qs = Grid.objects.all()
    if user.is_authenticated and user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(scope_q(user, grid_field="pk"))


def get_grid(user: User, code: str) -> Grid:
    grid = visible_grids(user).select_related("region").filter(code=(code or "")[:16]).first()
    if grid is None:
        raise NotFound(not_found_message())
    return grid


def not_found_message() -> str:
    return _("网格不存在或您无权查看。")


def manage_regions(user: User) -> list[Region]:
    """The regions whose grids this user manages (directors and admins of centers)."""
    if user.is_superuser:
        return list(Region.objects.filter(level=Level.PROVINCE).order_by("code"))
    paths = _center_paths(active_memberships(user), MANAGE_ROLES)
    return list(Region.objects.filter(path__in=paths).order_by("path"))


def may_manage(user: User, region: Region) -> bool:
    if user.is_superuser:
        return True
    return any(region.path.startswith(r.path) for r in manage_regions(user))


def home_regions(user: User) -> list[Region]:
    """The regions a user's grid pages start from: their centers' regions."""
    if user.is_superuser:
        return list(Region.objects.filter(level=Level.COUNTY).order_by("code")[:20])
    paths = _center_paths(active_memberships(user), VIEW_ROLES)
    return list(Region.objects.filter(path__in=paths).order_by("path"))


def region_in_scope(user: User, code: str) -> Region:
    """A region the user may look at grids in (a center's region or below it)."""
    region = Region.objects.filter(code=(code or "")[:12]).first()
    if region is not None and (
        user.is_superuser or any(region.path.startswith(r.path) for r in home_regions(user))
    ):
        return region
    raise NotFound(not_found_message())


def grids_in(user: User, region: Region) -> QuerySet[Grid]:
    return (
        visible_grids(user)
        .filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)
        .select_related("region")
        .order_by("region_path", "code")  # the same order as by code, on grid_path_code
    )


def worker_chain(grid: Grid) -> list[GridWorker]:
    """The grid's people, highest post first, each with ``depth`` in the chain."""
    workers = list(grid.workers.filter(is_active=True).select_related("user"))
    workers.sort(key=lambda w: (POST_RANK.get(w.post, 9), w.id))
    return workers


def workers_by_grid(grid_ids: list[int]) -> dict[int, list[GridWorker]]:
    out: dict[int, list[GridWorker]] = {g: [] for g in grid_ids}
    for w in GridWorker.objects.filter(grid_id__in=grid_ids, is_active=True).order_by("post", "id"):
        out[w.grid_id].append(w)
    return out


@dataclass
class CoverageRow:
    region: Region
    villages: int
    villages_with_grids: int
    grids: int
    grids_with_workers: int
    grids_with_boundary: int

    @property
    def villages_without(self) -> int:
        return self.villages - self.villages_with_grids

    @property
    def rate(self) -> float | None:
        return self.villages_with_grids / self.villages if self.villages else None


@dataclass
class Coverage:
    region: Region
    rows: list[CoverageRow]
    missing: list[Region]  # villages without an active grid (the first 200)
    total: CoverageRow


def coverage(region: Region, *, missing_limit: int = 200) -> Coverage:
    """Which villages under ``region`` lack grids, per child region (four grouped queries)."""
    end = region.path + PATH_END
    villages = Region.objects.filter(path__gte=region.path, path__lt=end, level=Level.VILLAGE)
    grids = Grid.objects.filter(region_path__gte=region.path, region_path__lt=end, is_active=True)
    with_grids = set(grids.values_list("region_id", flat=True).distinct())
    staffed = set(
        GridWorker.objects.filter(grid__in=grids, is_active=True)
        .values_list("grid_id", flat=True)
        .distinct()
    )
    grid_rows = list(grids.values_list("id", "region_path", "boundary_source"))
    village_rows = list(villages.values_list("code", "path"))
    children = list(region.children.order_by("code")) if region.level < Level.VILLAGE else []
    if not children:
        children = [region]
    rows = []
    for child in children:
        vs = [c for c, p in village_rows if p.startswith(child.path)]
        gs = [(gid, src) for gid, p, src in grid_rows if p.startswith(child.path)]
        rows.append(
            CoverageRow(
                region=child,
                villages=len(vs),
                villages_with_grids=sum(1 for c in vs if c in with_grids),
                grids=len(gs),
                grids_with_workers=sum(1 for gid, _s in gs if gid in staffed),
                grids_with_boundary=sum(1 for _g, src in gs if src),
            )
        )
    total = CoverageRow(
        region=region,
        villages=sum(r.villages for r in rows),
        villages_with_grids=sum(r.villages_with_grids for r in rows),
        grids=sum(r.grids for r in rows),
        grids_with_workers=sum(r.grids_with_workers for r in rows),
        grids_with_boundary=sum(r.grids_with_boundary for r in rows),
    )
    missing_codes = [c for c, _p in village_rows if c not in with_grids][:missing_limit]
    missing = list(Region.objects.filter(code__in=missing_codes).order_by("code"))
    return Coverage(region=region, rows=rows, missing=missing, total=total)


def grid_cases(user: User, grid: Grid) -> QuerySet[Case]:
    """The cases of a grid that the user may see (the case scope applies, not the grid's)."""
    return (
        visible_cases(user)
        .filter(grid=grid)
        .select_related("category")
        .order_by("-registered_at", "-id")
    )


def grid_collection(region: Region, *, counts: dict[int, int] | None = None) -> dict[str, Any]:
    """The active grids under ``region`` with a boundary, as a GeoJSON FeatureCollection
    (``properties``: code, name, village, workers' count, and ``cases`` when given)."""
    end = region.path + PATH_END
    grids = (
        Grid.objects.filter(region_path__gte=region.path, region_path__lt=end, is_active=True)
        .filter(boundary__isnull=False)
        .select_related("region")
        .annotate(n_workers=Count("workers", filter=Q(workers__is_active=True)))
        .order_by("code")
    )
    features = []
    for g in grids:
        props = {
            "code": g.code,
            "name": f"{g.region.name}{g.name}",
            "grid": g.name,
            "village": g.region.name,
            "workers": g.n_workers,
            "party_branch": g.party_branch,
        }
        if counts is not None:
            props["cases"] = counts.get(g.pk, 0)
        features.append(geo.feature(g.boundary, **props))
    return geo.collection(features, region={"code": region.code, "name": region.name})


def case_counts_by_grid(user: User, region: Region) -> dict[int, int]:
    """Cases per grid under ``region`` that the user may see."""
    rows = (
        visible_cases(user)
        .filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)
        .exclude(grid=None)
        .values("grid_id")
        .annotate(n=Count("id"))
    )
    return {r["grid_id"]: r["n"] for r in rows}


def case_points(user: User, region: Region, *, limit: int = 2000) -> list[dict[str, Any]]:
    """Located cases under ``region`` (the newest ``limit``) as map points."""
    rows = (
        visible_cases(user)
        .filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)
        .exclude(latitude=None)
        .order_by("-registered_at")
        .values("code", "title", "latitude", "longitude", "risk_level", "status", "grid__code")[
            :limit
        ]
    )
    return [
        {
            "code": r["code"],
            "title": r["title"],
            "value": [float(r["longitude"]), float(r["latitude"])],
            "risk": r["risk_level"],
            "status": r["status"],
            "grid": r["grid__code"] or "",
        }
        for r in rows
    ]


def map_outline(region: Region) -> dict[str, Any] | None:
    return boundary_feature(region)


# --- key populations ------------------------------------------------------------------------


def may_see_key_people(user: User) -> bool:
    if not user.is_authenticated:
        return False
    memberships = active_memberships(user)
    return bool(_center_paths(memberships, frozenset({Role.DIRECTOR}))) or (
        is_grid_worker(user) and bool(own_grid_ids(user))
    )


def visible_key_people(user: User) -> QuerySet[KeyPerson]:
    """Key people this user may see: directors under their center, grid workers in their own
    grids only; nobody else (not even a superuser without such a role)."""
    if not user.is_authenticated:
        return KeyPerson.objects.none()
    memberships = active_memberships(user)
    q = _path_q(_center_paths(memberships, frozenset({Role.DIRECTOR})))
    if is_grid_worker(user):
        grids = own_grid_ids(user)
        if grids:
            q |= Q(grid_id__in=grids)
    return KeyPerson.objects.filter(q)


def director_paths(user: User) -> list[str]:
    return _center_paths(active_memberships(user), frozenset({Role.DIRECTOR}))


def reveal_log(user: User) -> QuerySet[KeyPersonReveal]:
    """The reveals of key people under the centers this user directs (who, when, why)."""
    return (
        KeyPersonReveal.objects.filter(_path_q(director_paths(user)))
        .select_related("user", "person")
        .order_by("-created_at", "-id")
    )


def open_alerts(user: User) -> QuerySet[VisitAlert]:
    people = visible_key_people(user).values("pk")
    return (
        VisitAlert.objects.filter(resolved_at=None, person__in=people)
        .select_related("person")
        .order_by("due_on")
    )


# --- base data -------------------------------------------------------------------------------


def search_residents(user: User, region: Region, q: str = "", kind: str = "") -> QuerySet[Resident]:
    """Residents under ``region`` that the user may see; ``q`` is an exact ID or phone number
    (by keyed hash, an index lookup) or the start of a name."""
    scope = Q() if user.is_superuser else scope_q(user)
    qs = Resident.objects.filter(
        scope, region_path__gte=region.path, region_path__lt=region.path + PATH_END
    )
    q = (q or "").strip()[:32]
    if q:
        digits = crypto.normalize_id_number(q)
        if len(digits) >= 15 and digits[:17].isdigit():
            qs = qs.filter(
                id_number_hash__in=[
                    crypto.keyed_hash(digits, kind=f"id:{t}")
                    for t in ("resident_id", "passport", "other")
                ]
            )
        elif is_phone(q):
            qs = qs.filter(phone_hash=crypto.phone_hash(q))
        else:
            qs = qs.filter(name__startswith=q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("grid__region").order_by("region_path", "id")


def base_counts(user: User, region: Region) -> dict[str, int]:
    rng = {"region_path__gte": region.path, "region_path__lt": region.path + PATH_END}
    scope = Q() if user.is_superuser else scope_q(user)
    return {
        "residents": Resident.objects.filter(scope, **rng).count(),
        "houses": House.objects.filter(scope, **rng).count(),
        "organizations": Organization.objects.filter(scope, **rng).count(),
        "places": Place.objects.filter(scope, **rng).count(),
    }


# --- campaigns -------------------------------------------------------------------------------


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    if user.is_superuser:
        return Campaign.objects.all()
    tasks = CampaignTask.objects.filter(scope_q(user)).values("campaign_id")
    return Campaign.objects.filter(
        Q(pk__in=tasks) | _path_q(_center_paths(active_memberships(user), VIEW_ROLES))
    )


def campaign_tasks(user: User, campaign: Campaign) -> QuerySet[CampaignTask]:
    qs = campaign.tasks.all()
    if not user.is_superuser:
        qs = qs.filter(scope_q(user))
    return qs.select_related("grid__region", "reported_by").order_by("grid__code")


def campaign_progress(user: User, campaign: Campaign) -> dict[str, int]:
    tasks = campaign_tasks(user, campaign)
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    findings = CampaignFinding.objects.filter(task__in=tasks.values("pk"))
    return {
        "tasks": sum(by_status.values()),
        "reported": by_status.get("reported", 0),
        "pending": by_status.get("pending", 0),
        "findings": findings.exclude(outcome="none").count(),
        "cases": findings.filter(outcome="case").count(),
        "rectify_open": findings.filter(outcome="rectify", rectify_status="open").count(),
        "rectify_done": findings.filter(outcome="rectify", rectify_status="done").count(),
    }


def campaign_findings(user: User, campaign: Campaign) -> QuerySet[CampaignFinding]:
    return (
        CampaignFinding.objects.filter(task__in=campaign_tasks(user, campaign).values("pk"))
        .select_related("task__grid__region", "case")
        .order_by("-created_at")
    )

"""Grid management: grids, boundaries as GeoJSON, coverage, field reports, key populations,
base data and 排查 campaigns. Scope as on the pages: a grid worker sees only their grids."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import Text
from fengqiao.core.errors import NotFound
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import ReportOutcome
from fengqiao.grid.models import CampaignTask, FieldReport
from fengqiao.grid.services import basedata as basedata_services
from fengqiao.grid.services import campaigns as campaign_services
from fengqiao.grid.services import field as field_services
from fengqiao.grid.services import grids as grid_services
from fengqiao.grid.services import keypop as keypop_services
from fengqiao.regions.models import Grid, Level, Region
from fengqiao.regions.selectors import boundary_feature, child_boundaries

router = Router(tags=["grid"])

GridCode = Annotated[str, Field(max_length=16)]
RegionCode = Annotated[str, Field(max_length=12)]


class WorkerOut(Schema):
    id: int
    name: str
    post: str
    employment: str
    phone: str = Field(description="服务电话（脱敏）")
    has_account: bool


class GridOut(Schema):
    code: str
    name: str
    village: str
    village_name: str
    party_branch: str
    party_secretary: str
    is_active: bool
    has_boundary: bool
    area_km2: float | None
    workers: list[WorkerOut]


class GridDetailOut(GridOut):
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON geometry（WGS84）")


class GridPage(Schema):
    items: list[GridOut]
    next_after: str | None = Field(
        None, description="下一页：把它作为 after 参数；为空表示没有更多"
    )


class GridIn(Schema):
    village: RegionCode
    name: Text(64)
    party_branch: Text(100) = ""
    party_secretary: Text(32) = ""
    boundary: dict[str, Any] | None = Field(
        None, description="GeoJSON Polygon/MultiPolygon/Feature"
    )


class BoundaryIn(Schema):
    boundary: dict[str, Any] = Field(
        description="GeoJSON Polygon/MultiPolygon/Feature/FeatureCollection"
    )
    source: Annotated[str, Field(max_length=16)] = "imported"


class CoverageRowOut(Schema):
    code: str
    name: str
    villages: int
    villages_with_grids: int
    grids: int
    grids_with_workers: int
    grids_with_boundary: int


class CoverageOut(Schema):
    region: str
    total: CoverageRowOut
    rows: list[CoverageRowOut]
    villages_without_grids: list[str]


class ReportIn(Schema):
    grid: GridCode
    category: Annotated[str, Field(max_length=16)]
    title: Text(200)
    text: Text(5000)
    outcome: Annotated[str, Field(max_length=16)] = ReportOutcome.CASE
    resolution: Text(2000) = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    observed_at: dt.datetime | None = None
    party_name: Text(64) = ""
    party_phone: Text(20) = ""


class ReportOut(Schema):
    id: int
    grid: str
    category: str
    title: str
    outcome: str
    location_check: str
    case: str | None
    observed_at: dt.datetime


def _worker_out(w: Any) -> dict[str, Any]:
    return {
        "id": w.pk,
        "name": w.name,
        "post": w.post,
        "employment": w.employment,
        "phone": w.phone_mask,
        "has_account": w.user_id is not None,
    }


def _grid_out(g: Grid, workers: list[Any], *, detail: bool = False) -> dict[str, Any]:
    out = {
        "code": g.code,
        "name": g.name,
        "village": g.region_id,
        "village_name": g.region.name,
        "party_branch": g.party_branch,
        "party_secretary": g.party_secretary,
        "is_active": g.is_active,
        "has_boundary": bool(g.boundary),
        "area_km2": g.area_km2,
        "workers": [_worker_out(w) for w in workers],
    }
    if detail:
        out["boundary"] = g.boundary
    return out


def _region(user: Any, code: str) -> Region:
    return sel.region_in_scope(user, code)


def _report_out(r: FieldReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "grid": r.grid.code,
        "category": r.category,
        "title": r.title,
        "outcome": r.outcome,
        "location_check": r.location_check,
        "case": r.case.code if r.case_id else None,
        "observed_at": r.observed_at,
    }


@router.get("/grids", response={200: GridPage, **ERRORS}, summary="网格列表（本人可见范围）")
def list_grids(
    request: HttpRequest,
    region: Annotated[str, Query(max_length=12, description="区划代码：只列其下的网格")] = "",
    after: Annotated[str, Query(max_length=16, description="上一页最后一个网格编码")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    user = request.auth
    # Path order is code order; (region_path, code) is one index (grid_path_code).
    qs = sel.visible_grids(user).select_related("region").order_by("region_path", "code")
    if region:
        r = Region.objects.filter(code=region).first()
        if r is None:
            raise NotFound(sel.not_found_message())
        qs = qs.filter(region_path__gte=r.path, region_path__lt=r.path + "~")
    if after:
        last = Grid.objects.filter(code=after).values_list("region_path", flat=True).first()
        if last is None:
            qs = qs.filter(code__gt=after)
        else:  # keyset on the index: (region_path, code) > (last, after)
            qs = qs.filter(Q(region_path__gt=last) | Q(region_path=last, code__gt=after))
    grids = list(qs[: limit + 1])
    more = len(grids) > limit
    grids = grids[:limit]
    workers = sel.workers_by_grid([g.pk for g in grids])
    return {
        "items": [_grid_out(g, workers[g.pk]) for g in grids],
        "next_after": grids[-1].code if more else None,
    }


@router.get("/grids/coverage", response={200: CoverageOut, **ERRORS}, summary="网格覆盖情况")
def grid_coverage(
    request: HttpRequest, region: Annotated[str, Query(max_length=12)]
) -> dict[str, Any]:
    cov = sel.coverage(_region(request.auth, region))

    def row(r: Any) -> dict[str, Any]:
        return {
            "code": r.region.code,
            "name": r.region.name,
            "villages": r.villages,
            "villages_with_grids": r.villages_with_grids,
            "grids": r.grids,
            "grids_with_workers": r.grids_with_workers,
            "grids_with_boundary": r.grids_with_boundary,
        }

    return {
        "region": cov.region.code,
        "total": row(cov.total),
        "rows": [row(r) for r in cov.rows],
        "villages_without_grids": [v.code for v in cov.missing],
    }


@router.post("/grids", response={201: GridDetailOut, **ERRORS}, summary="新建网格")
def create_grid(request: HttpRequest, payload: GridIn) -> Status:
    village = Region.objects.filter(code=payload.village, level=Level.VILLAGE).first()
    if village is None:
        raise NotFound(sel.not_found_message())
    grid = grid_services.create_grid(
        actor=request.auth,
        village=village,
        name=payload.name,
        boundary=payload.boundary,
        party_branch=payload.party_branch,
        party_secretary=payload.party_secretary,
    )
    return Status(201, _grid_out(grid, [], detail=True))


@router.get("/grids/{code}", response={200: GridDetailOut, **ERRORS}, summary="网格详情（含边界）")
def get_grid(request: HttpRequest, code: GridCode) -> dict[str, Any]:
    grid = sel.get_grid(request.auth, code)
    return _grid_out(grid, sel.worker_chain(grid), detail=True)


@router.put(
    "/grids/{code}/boundary", response={200: GridDetailOut, **ERRORS}, summary="设置网格边界"
)
def put_boundary(request: HttpRequest, code: GridCode, payload: BoundaryIn) -> dict[str, Any]:
    grid = sel.get_grid(request.auth, code)
    grid = grid_services.set_grid_boundary(
        actor=request.auth, grid=grid, boundary=payload.boundary, source=payload.source
    )
    return _grid_out(grid, sel.worker_chain(grid), detail=True)


@router.get(
    "/regions/{code}/boundaries",
    response={200: dict, **ERRORS},
    summary="下级区划边界（GeoJSON FeatureCollection）",
)
def region_boundaries(request: HttpRequest, code: RegionCode) -> dict[str, Any]:
    region = _region(request.auth, code)
    out = child_boundaries(region)
    out["outline"] = boundary_feature(region)
    return out


@router.get(
    "/regions/{code}/grids.geojson",
    response={200: dict, **ERRORS},
    summary="区划内网格边界（GeoJSON FeatureCollection，含案件数）",
)
def region_grids(request: HttpRequest, code: RegionCode) -> dict[str, Any]:
    region = _region(request.auth, code)
    return sel.grid_collection(region, counts=sel.case_counts_by_grid(request.auth, region))


@router.post(
    "/grid-reports",
    response={200: ReportOut, 201: ReportOut, **ERRORS},
    summary="网格员上报",
    description=(
        "同一用户以同一 `Idempotency-Key` 重复提交，返回第一次的上报（200），不会重复登记。"
    ),
)
def submit_report(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key")],
) -> Status:
    grid = sel.get_grid(request.auth, payload.grid)
    result = field_services.submit_field_report(
        reporter=request.auth,
        grid=grid,
        key=idempotency_key,
        category=payload.category,
        title=payload.title,
        text=payload.text,
        outcome=payload.outcome,
        resolution=payload.resolution,
        latitude=payload.latitude,
        longitude=payload.longitude,
        observed_at=payload.observed_at,
        party_name=payload.party_name,
        party_phone=payload.party_phone,
    )
    return Status(201 if result.created else 200, _report_out(result.report))


@router.get("/grid-reports", response={200: list[ReportOut], **ERRORS}, summary="网格上报列表")
def list_reports(
    request: HttpRequest,
    grid: Annotated[str, Query(max_length=16)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    qs = FieldReport.objects.filter(sel.scope_q(request.auth)).select_related("grid", "case")
    if grid:
        qs = qs.filter(grid=sel.get_grid(request.auth, grid))
    return [_report_out(r) for r in qs.order_by("-observed_at", "-id")[:limit]]


# --- key populations ------------------------------------------------------------------------


class KeyPersonOut(Schema):
    id: int
    grid: str
    category: str
    name: str = Field(description="姓名（脱敏）")
    id_number: str = Field(description="身份证号（脱敏）")
    phone: str = Field(description="联系电话（脱敏）")
    risk: str
    visit_every: str
    next_visit_due: dt.date
    last_visited_on: dt.date | None


class RevealIn(Schema):
    fields: list[Annotated[str, Field(max_length=16)]] = Field(
        max_length=5, description="name/id_number/phone/address/note"
    )
    reason: Text(200)


class VisitIn(Schema):
    visited_on: dt.date
    findings: Text(5000)
    risk_after: Annotated[str, Field(max_length=8)]


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    was_late: bool
    next_visit_due: dt.date


def _person_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "grid": p.grid.code,
        "category": p.category,
        "name": p.name_mask,
        "id_number": p.id_number_mask,
        "phone": p.phone_mask,
        "risk": p.risk,
        "visit_every": p.visit_every,
        "next_visit_due": p.next_visit_due,
        "last_visited_on": p.last_visited_on,
    }


@router.get(
    "/key-people",
    response={200: list[KeyPersonOut], **ERRORS},
    summary="重点人员（脱敏；仅网格员本网格、中心主任辖区）",
)
def list_key_people(
    request: HttpRequest,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    after_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> list[dict[str, Any]]:
    qs = sel.visible_key_people(request.auth).select_related("grid").filter(pk__gt=after_id)
    if overdue:
        qs = qs.filter(next_visit_due__lt=timezone.localdate())
    return [_person_out(p) for p in qs.order_by("pk")[:limit]]


@router.post(
    "/key-people/{person_id}/reveal",
    response={200: dict[str, str], **ERRORS},
    summary="查看重点人员完整信息（须填事由，留痕）",
)
def reveal_key_person(
    request: HttpRequest, person_id: Annotated[int, Field(ge=1, le=2**62)], payload: RevealIn
) -> dict[str, str]:
    person = keypop_services.get_person(request.auth, person_id)
    return keypop_services.reveal(
        actor=request.auth, person=person, fields=payload.fields, reason=payload.reason
    )


@router.post(
    "/key-people/{person_id}/visits", response={201: VisitOut, **ERRORS}, summary="记录走访"
)
def visit_key_person(
    request: HttpRequest, person_id: Annotated[int, Field(ge=1, le=2**62)], payload: VisitIn
) -> Status:
    person = keypop_services.get_person(request.auth, person_id)
    result = keypop_services.record_visit(
        actor=request.auth,
        person=person,
        visited_on=payload.visited_on,
        findings=payload.findings,
        risk_after=payload.risk_after,
    )
    return Status(
        201,
        {
            "id": result.visit.pk,
            "visited_on": result.visit.visited_on,
            "was_late": result.visit.was_late,
            "next_visit_due": result.next_due,
        },
    )


# --- base data ---------------------------------------------------------------------------------


class ResidentOut(Schema):
    id: int
    grid: str
    name: str
    kind: str
    id_number: str = Field(description="证件号码（脱敏）")
    phone: str = Field(description="联系电话（脱敏）")
    household_no: str


class ResidentIn(Schema):
    grid: GridCode
    name: Text(64)
    kind: Annotated[str, Field(max_length=16)]
    id_type: Annotated[str, Field(max_length=16)] = "resident_id"
    id_number: Text(32) = ""
    phone: Text(20) = ""
    household_no: Text(32) = ""
    relation: Text(16) = ""
    address: Text(200) = ""


def _resident_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "grid": r.grid.code,
        "name": r.name,
        "kind": r.kind,
        "id_number": r.id_number_mask,
        "phone": r.phone_mask,
        "household_no": r.household_no,
    }


@router.get(
    "/residents", response={200: list[ResidentOut], **ERRORS}, summary="实有人口查询（按区划）"
)
def list_residents(
    request: HttpRequest,
    region: Annotated[str, Query(max_length=12)],
    q: Annotated[str, Query(max_length=32, description="姓名开头、身份证号或手机号")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    r = Region.objects.filter(code=region).first()
    if r is None:
        raise NotFound(sel.not_found_message())
    return [_resident_out(x) for x in sel.search_residents(request.auth, r, q)[:limit]]


@router.post("/residents", response={201: ResidentOut, **ERRORS}, summary="登记实有人口")
def create_resident(request: HttpRequest, payload: ResidentIn) -> Status:
    grid = sel.get_grid(request.auth, payload.grid)
    data = payload.model_dump()
    data.pop("grid")
    resident = basedata_services.add_resident(actor=request.auth, grid=grid, **data)
    return Status(201, _resident_out(resident))


# --- campaigns -------------------------------------------------------------------------------


class CampaignIn(Schema):
    region: RegionCode
    title: Text(120)
    description: Text(5000) = ""
    due_on: dt.date


class CampaignOut(Schema):
    id: int
    title: str
    region: str
    due_on: dt.date
    status: str
    progress: dict[str, int]


class FindingSchema(Schema):
    text: Text(2000)
    outcome: Annotated[str, Field(max_length=16)]
    rectify_by: dt.date | None = None


class TaskReportIn(Schema):
    findings: list[FindingSchema] = Field(default_factory=list, max_length=50)


def _campaign_out(user: Any, c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "region": c.region_id,
        "due_on": c.due_on,
        "status": c.status,
        "progress": sel.campaign_progress(user, c),
    }


@router.post(
    "/campaigns", response={201: CampaignOut, **ERRORS}, summary="发起排查行动（下发到各网格）"
)
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status:
    region = _region(request.auth, payload.region)
    c = campaign_services.launch_campaign(
        actor=request.auth,
        region=region,
        title=payload.title,
        description=payload.description,
        due_on=payload.due_on,
    )
    return Status(201, _campaign_out(request.auth, c))


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="排查行动列表")
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    qs = sel.visible_campaigns(request.auth).order_by("-created_at")[:50]
    return [_campaign_out(request.auth, c) for c in qs]


@router.post(
    "/campaign-tasks/{task_id}/report",
    response={200: CampaignOut, **ERRORS},
    summary="上报本网格排查结果",
)
def report_campaign_task(
    request: HttpRequest, task_id: Annotated[int, Field(ge=1, le=2**62)], payload: TaskReportIn
) -> dict[str, Any]:
    task = (
        CampaignTask.objects.filter(sel.scope_q(request.auth), pk=task_id)
        .select_related("campaign")
        .first()
    )
    if task is None:
        raise NotFound(sel.not_found_message())
    campaign_services.report_task(
        actor=request.auth,
        task=task,
        findings=[
            campaign_services.FindingIn(f.text, f.outcome, f.rectify_by) for f in payload.findings
        ],
    )
    return _campaign_out(request.auth, task.campaign)

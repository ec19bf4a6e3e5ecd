"""The centers' own standardization, staffing, duty, meetings and assessment. Scope as on
the pages: a user sees the centers under the centers they work at; a center out of scope
answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fengqiao.api.routers.common import ERRORS, label, unit_ref
from fengqiao.api.schemas import Id, SaneDatetime, Text
from fengqiao.centers import assessment, selectors, services
from fengqiao.centers.models import ChecklistItem, Meeting, MeetingTask
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import Region

router = Router(tags=["centers"])


class StandingOut(Schema):
    id: int
    name: str
    region: str
    level: int
    standard_share: float = Field(description="规范化达标率（%，按分值）")
    items_met: list[str]
    full_time: int
    seconded: int
    full_time_norm: int | None
    meets_staff_norm: bool
    residency_rate: float = Field(description="入驻率（%）：常驻和轮驻部门 / 对接部门")
    residency_target: int | None


class ShiftOut(Schema):
    day: dt.date
    post: str
    post_label: str
    user: str
    phone: str


class BoardOut(Schema):
    center: dict[str, Any]
    day: dt.date
    duty: list[ShiftOut]
    resident: list[str]
    rotating_today: list[str]
    on_call: list[str]
    seconded: list[dict[str, Any]]


class ShiftIn(Schema):
    day: dt.date
    post: Annotated[str, Field(max_length=20)]
    user: Id
    phone: Text(32) = ""


class CheckIn(Schema):
    met: bool
    evidence: Text(2000) = ""


class MeetingIn(Schema):
    kind: Annotated[str, Field(max_length=16)]
    title: Text(200)
    starts_at: SaneDatetime
    period_start: dt.date
    period_end: dt.date
    place: Text(120) = ""


class TaskIn(Schema):
    text: Text(300)
    owner: Id
    workdays: int | None = Field(None, ge=1, le=60)
    due_date: dt.date | None = None
    case: Annotated[str, Field(max_length=20)] = ""


class TaskDoneIn(Schema):
    result: Text(2000)


def _standing(rows_c: list, rows_s: list, items: list[ChecklistItem]) -> list[dict[str, Any]]:
    codes = {i.pk: i.code for i in items}
    out = []
    for c, s in zip(rows_c, rows_s, strict=True):
        out.append(
            {
                "id": c.center.pk,
                "name": c.center.name,
                "region": c.center.region_id,
                "level": c.center.region.level,
                "standard_share": c.share,
                "items_met": sorted(codes[i] for i in c.met if i in codes),
                "full_time": s.full_time,
                "seconded": s.seconded,
                "full_time_norm": s.norm.min_full_time if s.norm else None,
                "meets_staff_norm": s.meets_norm,
                "residency_rate": s.residency_rate,
                "residency_target": s.norm.residency_target if s.norm else None,
            }
        )
    return out


@router.get("/centers", response={200: list[StandingOut], **ERRORS}, summary="综治中心达标情况")
def list_centers(
    request: HttpRequest,
    region: Annotated[str, Query(max_length=12, description="区划代码：只列其下的中心")] = "",
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    qs = selectors.visible_centers(request.auth).order_by("region__path")
    if region:
        r = Region.objects.filter(code=region).first()
        if r is None:
            raise NotFound("region")
        qs = qs.filter(region_path__startswith=r.path)
    if level:
        qs = qs.filter(region__level=level)
    centers = list(qs[:limit])
    items, comp = selectors.compliance(centers)
    return _standing(comp, selectors.staffing(centers, timezone.localdate()), items)


def _shift(s) -> dict[str, Any]:
    return {
        "day": s.day,
        "post": s.post,
        "post_label": label(s, "post"),
        "user": str(s.user),
        "phone": s.phone,
    }


@router.get(
    "/centers/{center_id}/board",
    response={200: BoardOut, **ERRORS},
    summary="今日值班和在中心的部门",
)
def center_board(request: HttpRequest, center_id: Id) -> dict[str, Any]:
    center = selectors.get_center(request.auth, center_id)
    b = selectors.day_board(center, timezone.localdate())
    return {
        "center": unit_ref(center),
        "day": b.day,
        "duty": [_shift(s) for s in b.duty],
        "resident": [u.name for u in b.resident],
        "rotating_today": [u.name for u in b.rotating],
        "on_call": [u.name for u in b.on_call],
        "seconded": [
            {"name": p.name, "home_unit": p.home_unit.name if p.home_unit else ""}
            for p in b.seconded
        ],
    }


@router.get("/centers/{center_id}/duty", response={200: list[ShiftOut], **ERRORS}, summary="排班表")
def center_duty(
    request: HttpRequest,
    center_id: Id,
    start: dt.date | None = None,
    days: Annotated[int, Query(ge=1, le=62)] = 7,
) -> list[dict[str, Any]]:
    center = selectors.get_center(request.auth, center_id)
    roster = selectors.roster(center, start or timezone.localdate(), days)
    return [_shift(s) for _day, shifts in roster for s in shifts.values()]


@router.post("/centers/{center_id}/duty", response={201: ShiftOut, **ERRORS}, summary="排班")
def assign_shift(request: HttpRequest, center_id: Id, payload: ShiftIn) -> Status:
    center = selectors.get_center(request.auth, center_id)
    user = User.objects.filter(pk=payload.user, is_active=True).first()
    if user is None:
        raise ValidationFailed("user")
    shift = services.assign_shift(
        center=center,
        day=payload.day,
        post=payload.post,
        user=user,
        phone=payload.phone,
        actor=request.auth,
    )
    return Status(201, _shift(shift))


@router.get(
    "/centers/{center_id}/checklist",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="规范化自查清单",
)
def checklist(request: HttpRequest, center_id: Id) -> list[dict[str, Any]]:
    center = selectors.get_center(request.auth, center_id)
    return [
        {
            "code": i.code,
            "group": i.group,
            "name": i.display_name,
            "points": i.points,
            "met": bool(c and c.met),
            "evidence": c.evidence if c else "",
        }
        for i, c in selectors.checklist_for(center)
    ]


@router.put(
    "/centers/{center_id}/checklist/{code}",
    response={200: dict[str, Any], **ERRORS},
    summary="填报一项自查",
)
def set_check(
    request: HttpRequest,
    center_id: Id,
    code: Annotated[str, Field(max_length=32)],
    payload: CheckIn,
) -> dict[str, Any]:
    center = selectors.get_center(request.auth, center_id)
    item = ChecklistItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        raise NotFound("item")
    c = services.set_check(
        center=center, item=item, met=payload.met, evidence=payload.evidence, actor=request.auth
    )
    return {"code": item.code, "met": c.met, "evidence": c.evidence}


def _meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": label(m, "kind"),
        "title": m.title,
        "starts_at": m.starts_at,
        "status": m.status,
        "minutes": m.minutes,
        "period": [m.period_start, m.period_end],
        "participants": [
            {"unit": p.unit.name, "attended": p.attended, "attendee": p.attendee}
            for p in m.participants.select_related("unit")
        ],
        "agenda": [
            {"case": a.case.code, "title": a.case.title, "reasons": a.reasons}
            for a in m.agenda.select_related("case")
        ],
        "tasks": [_task_out(t) for t in m.tasks.select_related("owner")],
    }


def _task_out(t: MeetingTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "text": t.text,
        "owner": unit_ref(t.owner),
        "due_date": t.due_date,
        "status": t.status,
        "result": t.result,
        "supervised": t.supervised_at is not None,
    }


@router.get(
    "/centers/{center_id}/meetings",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="会议列表",
)
def list_meetings(request: HttpRequest, center_id: Id) -> list[dict[str, Any]]:
    center = selectors.get_center(request.auth, center_id)
    return [
        {"id": m.pk, "kind": m.kind, "title": m.title, "starts_at": m.starts_at, "status": m.status}
        for m in Meeting.objects.filter(center=center)[:100]
    ]


@router.post(
    "/centers/{center_id}/meetings",
    response={201: dict[str, Any], **ERRORS},
    summary="安排会议（自动生成议题）",
)
def schedule_meeting(request: HttpRequest, center_id: Id, payload: MeetingIn) -> Status:
    center = selectors.get_center(request.auth, center_id)
    m = services.schedule_meeting(center=center, actor=request.auth, **payload.dict())
    return Status(201, _meeting_out(m))


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    m = selectors.visible_meetings(request.auth).filter(pk=meeting_id).first()
    if m is None:
        raise NotFound("meeting")
    return m


@router.get(
    "/meetings/{meeting_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="会议：参会、议题、任务",
)
def get_meeting(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _meeting_out(_meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/tasks",
    response={201: dict[str, Any], **ERRORS},
    summary="把决定交办为任务",
)
def add_task(request: HttpRequest, meeting_id: Id, payload: TaskIn) -> Status:
    m = _meeting(request, meeting_id)
    owner = Unit.objects.filter(pk=payload.owner, is_active=True).first()
    if owner is None:
        raise ValidationFailed("owner")
    item = m.agenda.filter(case__code=payload.case).first() if payload.case else None
    t = services.add_task(
        meeting=m,
        text=payload.text,
        owner=owner,
        workdays=payload.workdays,
        due_date=payload.due_date,
        agenda_item=item,
        actor=request.auth,
    )
    return Status(201, _task_out(t))


@router.post(
    "/meeting-tasks/{task_id}/done",
    response={200: dict[str, Any], **ERRORS},
    summary="反馈任务落实情况",
)
def task_done(request: HttpRequest, task_id: Id, payload: TaskDoneIn) -> dict[str, Any]:
    task = MeetingTask.objects.filter(pk=task_id).select_related("meeting").first()
    if task is None:
        raise NotFound("task")
    t = services.complete_task(task=task, result=payload.result, actor=request.auth)
    return _task_out(t)


@router.get(
    "/centers/{center_id}/assessment",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="月度考核排名",
)
def center_assessment(
    request: HttpRequest,
    center_id: Id,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")] = "",
) -> list[dict[str, Any]]:
    center = selectors.get_center(request.auth, center_id)
    period = dt.date.fromisoformat(f"{month}-01") if month else timezone.localdate().replace(day=1)
    return [
        {
            "rank": r.rank,
            "unit": unit_ref(r.unit),
            "score": r.score,
            "vetoed": r.vetoed,
            "ratios": {k: round(v, 4) for k, v in r.ratios.items()},
        }
        for r in assessment.ranking(center, period)
    ]

"""Citizen participation for staff clients: the clue review queue and decisions, the
议事厅's topics with their tallies, notices with read counts, the section's figures.
Scope as on the pages (a grid worker sees the clues of their own grids)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import Text
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.participation import selectors as sel
from fengqiao.participation.choices import ClueStatus
from fengqiao.participation.models import Clue, Topic
from fengqiao.participation.services import clues as clue_services
from fengqiao.participation.services import notices as notice_services
from fengqiao.regions.models import Grid, Region

router = Router(tags=["participation"])


class ClueOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    status: str
    status_label: str
    anonymous: bool
    reporter: str = Field(description="提交人手机号（脱敏）；匿名时为空")
    region: str
    grid: str | None
    address: str
    latitude: float | None
    longitude: float | None
    has_photo: bool
    flags: list[str]
    points: int
    case: str | None
    created_at: dt.datetime
    reviewed_at: dt.datetime | None


class ReviewIn(Schema):
    decision: Annotated[
        str, Field(description="case（转为案件）/ useful（有效）/ rejected（不予采纳）")
    ]
    note: Text(500) = ""


class TopicOut(Schema):
    id: int
    title: str
    region: str
    status: str
    status_label: str
    yes: int
    no: int
    abstain: int
    comments: int
    outcome: str
    created_at: dt.datetime
    published_at: dt.datetime | None


class NoticeIn(Schema):
    village: Text(12)
    grid: Text(16) = ""
    title: Text(120)
    body: Text(2000)
    by_sms: bool = False


class NoticeOut(Schema):
    id: int
    title: str
    region: str
    grid: str | None
    recipients: int
    read: int
    by_sms: bool
    created_at: dt.datetime


def _clue_out(c: Clue) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "text": c.text,
        "status": c.status,
        "status_label": c.get_status_display(),
        "anonymous": c.anonymous,
        "reporter": "" if c.anonymous or c.resident is None else c.resident.phone_masked,
        "region": c.region.code,
        "grid": c.grid.code if c.grid_id else None,
        "address": c.address,
        "latitude": float(c.latitude) if c.latitude is not None else None,
        "longitude": float(c.longitude) if c.longitude is not None else None,
        "has_photo": bool(c.photo),
        "flags": list(c.flags),
        "points": c.points,
        "case": c.case.code if c.case_id else None,
        "created_at": c.created_at,
        "reviewed_at": c.reviewed_at,
    }


def _topic_out(t: Topic) -> dict[str, Any]:
    tally = sel.tally(t)
    return {
        "id": t.pk,
        "title": t.title,
        "region": t.region.code,
        "status": t.status,
        "status_label": t.get_status_display(),
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "comments": sel.public_comments(t).count(),
        "outcome": t.outcome,
        "created_at": t.created_at,
        "published_at": t.published_at,
    }


@router.get("/participation/clues", response={200: list[ClueOut], **ERRORS}, summary="群众线索")
def list_clues(
    request: HttpRequest,
    status: Annotated[str, Query(description="pending / case / useful / rejected")] = "pending",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    qs = sel.visible_clues(request.auth).select_related("resident")
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    return [_clue_out(c) for c in qs.order_by("-created_at", "-id")[:limit]]


@router.post(
    "/participation/clues/{clue_id}/review",
    response={200: ClueOut, **ERRORS},
    summary="审核线索（转为案件 / 有效 / 不予采纳）",
)
def review_clue(request: HttpRequest, clue_id: int, payload: ReviewIn) -> dict[str, Any]:
    clue = sel.visible_clues(request.auth).filter(pk=clue_id).first()
    if clue is None:
        raise NotFound(sel.not_found_message())
    done = clue_services.review_clue(
        actor=request.auth, clue=clue, decision=payload.decision, note=payload.note
    )
    return _clue_out(sel.visible_clues(request.auth).select_related("resident").get(pk=done.pk))


@router.get("/participation/topics", response={200: list[TopicOut], **ERRORS}, summary="议事厅议题")
def list_topics(
    request: HttpRequest, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[dict[str, Any]]:
    return [_topic_out(t) for t in sel.visible_topics(request.auth)[:limit]]


@router.post("/participation/notices", response={201: NoticeOut, **ERRORS}, summary="推送通知")
def send_notice(request: HttpRequest, payload: NoticeIn) -> Status:
    region = Region.objects.filter(code=payload.village).first()
    grid = Grid.objects.filter(code=payload.grid).first() if payload.grid else None
    if payload.grid and grid is None:
        raise ValidationFailed(sel.no_grid_message(), field="grid")
    n = notice_services.send_notice(
        actor=request.auth,
        region=region,
        grid=grid,
        title=payload.title,
        body=payload.body,
        by_sms=payload.by_sms,
    )
    return Status(201, _notice_out(n))


def _notice_out(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "title": n.title,
        "region": n.region.code,
        "grid": n.grid.code if n.grid_id else None,
        "recipients": n.recipients,
        "read": notice_services.read_count(n),
        "by_sms": n.by_sms,
        "created_at": n.created_at,
    }


@router.get(
    "/participation/notices", response={200: list[NoticeOut], **ERRORS}, summary="通知及阅读数"
)
def list_notices(
    request: HttpRequest, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[dict[str, Any]]:
    return [_notice_out(n) for n in sel.visible_notices(request.auth)[:limit]]


@router.get(
    "/participation/stats", response={200: dict[str, int], **ERRORS}, summary="群众参与统计"
)
def stats(request: HttpRequest) -> dict[str, int]:
    return sel.counts(request.auth)

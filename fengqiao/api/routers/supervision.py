"""Supervision orders (督办) on cases: issue, list, reply, close."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja import Schema as _Schema
from pydantic import Field

from fengqiao.api import selectors
from fengqiao.api.routers.common import ERRORS, order_out, reply_out
from fengqiao.api.schemas import Id, ReplyIn, ReplyOut, SupervisionIn, SupervisionOut, Text
from fengqiao.supervision import services as supervision_services

router = Router(tags=["supervision"])

CodePath = Annotated[str, Field(max_length=40)]


class CloseIn(_Schema):
    note: Text(5000) = ""


@router.get(
    "/cases/{code}/supervision",
    response={200: list[SupervisionOut], **ERRORS},
    summary="案件的督办单",
)
def list_orders(request: HttpRequest, code: CodePath) -> list[dict[str, Any]]:
    case = selectors.get_case(request.auth, code)
    return [order_out(o) for o in selectors.case_orders(case)]


@router.post(
    "/cases/{code}/supervision",
    response={201: SupervisionOut, **ERRORS},
    summary="督办案件",
)
def issue(request: HttpRequest, code: CodePath, payload: SupervisionIn) -> Status:
    case = selectors.get_case(request.auth, code)
    order = supervision_services.issue_order(
        case=case,
        grade=payload.grade,
        requirement=payload.requirement,
        reply_deadline=payload.reply_deadline,
        actor=request.auth,
    )
    return Status(201, order_out(selectors.get_order(request.auth, order.pk)))


@router.get("/supervision/{order_id}", response={200: SupervisionOut, **ERRORS}, summary="督办单")
def get_order(request: HttpRequest, order_id: Id) -> dict[str, Any]:
    return order_out(selectors.get_order(request.auth, order_id))


@router.get(
    "/supervision/{order_id}/replies",
    response={200: list[ReplyOut], **ERRORS},
    summary="督办回复",
)
def list_replies(request: HttpRequest, order_id: Id) -> list[dict[str, Any]]:
    order = selectors.get_order(request.auth, order_id)
    return [reply_out(r) for r in order.replies.all()]


@router.post(
    "/supervision/{order_id}/replies",
    response={201: ReplyOut, **ERRORS},
    summary="回复督办",
)
def reply(request: HttpRequest, order_id: Id, payload: ReplyIn) -> Status:
    order = selectors.get_order(request.auth, order_id)
    created = supervision_services.reply_to_order(
        order=order, actor=request.auth, text=payload.text
    )
    return Status(201, reply_out(created))


@router.post(
    "/supervision/{order_id}/close",
    response={200: SupervisionOut, **ERRORS},
    summary="办结督办单",
)
def close(request: HttpRequest, order_id: Id, payload: CloseIn) -> dict[str, Any]:
    order = selectors.get_order(request.auth, order_id)
    supervision_services.close_order(order=order, actor=request.auth, note=payload.note)
    return order_out(selectors.get_order(request.auth, order_id))

"""Integrations: transfers in from other systems (HMAC-signed, no token), risk signals,
webhook deliveries (dead letters and replay) and camera references.

Signing (both ways): header ``X-Fengqiao-Signature: t=<unix seconds>,v1=<hex>`` where hex
is HMAC-SHA256 of ``"<t>.<raw body>"`` with the partner's (or subscription's) secret; a
timestamp more than 300 s off is refused."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, ValidationError

from fengqiao.api.routers.common import ERRORS
from fengqiao.cases.selectors import visible_cases
from fengqiao.core.errors import NotFound, PermissionDenied
from fengqiao.integrations import selectors as sel
from fengqiao.integrations.choices import DeliveryStatus, SignalLevel
from fengqiao.integrations.models import Partner
from fengqiao.integrations.services import cameras as camera_services
from fengqiao.integrations.services import signing, transfers, webhooks
from fengqiao.integrations.tasks import deliver_task

router = Router(tags=["integrations"])

SIGNED = (
    "请求体须用对接系统的签名密钥签名：请求头 `X-Fengqiao-Signature: t=<Unix秒>,v1=<十六进制>`，"
    '其中十六进制为 HMAC-SHA256(密钥, "<t>.<原始请求体>")；时间戳与服务器相差超过300秒即拒绝。'
)


class ApplicantIn(Schema):
    name: str = Field("", max_length=60, description="申请人姓名（可空：匿名来电）")
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)


class OrderSchema(Schema):
    external_id: str = Field(
        ..., max_length=128, description="对方工单号：同一编号重发不会重复登记"
    )
    title: str = Field(..., max_length=100)
    description: str = Field(..., max_length=5000)
    region: str = Field("", max_length=32, description="区划代码（对方代码按映射表转换）")
    category: str = Field(
        "", max_length=64, description="类别编码（对方代码按映射表转换）；空则自动分类"
    )
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    people_count: int = Field(1, ge=1, le=100000)
    applicant: ApplicantIn = ApplicantIn()


class OrderOut(Schema):
    case_code: str
    created: bool = Field(description="false：该编号此前已登记，返回原案件")
    status: str
    open311_status: str


class SignalSchema(Schema):
    external_id: str = Field(..., max_length=128)
    title: str = Field(..., max_length=200)
    text: str = Field("", max_length=5000)
    region: str = Field("", max_length=32)
    level: SignalLevel = SignalLevel.LOW
    url: str = Field("", max_length=500)
    observed_at: dt.datetime | None = None


class SignalOut(Schema):
    id: int
    created: bool


def _signed(request: HttpRequest, partner_code: str) -> tuple[Partner, dict[str, Any]]:
    partner = transfers.signed_partner(partner_code)
    signing.verify(partner.secret, request.body, request.headers.get(signing.HEADER, ""))
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise transfers.invalid_json() from exc
    if not isinstance(data, dict):
        raise transfers.invalid_json()
    return partner, data


@router.post(
    "/transfers/{partner}/orders",
    auth=None,
    response={200: OrderOut, 201: OrderOut, **ERRORS},
    summary="转入工单（110 / 12345 / 法院 / 信访）",
    description=SIGNED + "登记为案件（入口 transfer），之后案件每次变化都回调对方的状态回调地址。",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": OrderSchema.json_schema()}}}
    },
)
def receive_order(request: HttpRequest, partner: str) -> Status:
    p, data = _signed(request, partner)
    try:
        payload = OrderSchema.model_validate(data)
    except ValidationError as exc:
        raise NinjaValidationError(exc.errors()) from exc
    result = transfers.receive_order(
        partner=p,
        order=transfers.OrderIn(
            external_id=payload.external_id,
            title=payload.title,
            description=payload.description,
            region=payload.region,
            category=payload.category,
            address=payload.address,
            applicant_name=payload.applicant.name,
            applicant_phone=payload.applicant.phone,
            applicant_id_number=payload.applicant.id_number,
            latitude=payload.latitude,
            longitude=payload.longitude,
            people_count=payload.people_count,
        ),
    )
    case = result.case
    return Status(
        201 if result.created else 200,
        {
            "case_code": case.code,
            "created": result.created,
            "status": case.status,
            "open311_status": webhooks.open311_status(case.status),
        },
    )


@router.post(
    "/transfers/{partner}/signals",
    auth=None,
    response={200: SignalOut, 201: SignalOut, **ERRORS},
    summary="推送风险信号（舆情 / 民情）",
    description=SIGNED + "记为风险信号，不登记案件；同一编号重发只记一次。",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": SignalSchema.json_schema()}}}
    },
)
def receive_signal(request: HttpRequest, partner: str) -> Status:
    p, data = _signed(request, partner)
    try:
        payload = SignalSchema.model_validate(data)
    except ValidationError as exc:
        raise NinjaValidationError(exc.errors()) from exc
    signal, created = transfers.receive_signal(
        partner=p, signal=transfers.SignalIn(**payload.model_dump())
    )
    return Status(201 if created else 200, {"id": signal.pk, "created": created})


class DeliveryOut(Schema):
    id: int
    case_code: str
    action: str
    url: str
    status: str
    attempts: int
    last_status: int | None
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime


@router.get(
    "/webhooks/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="事件推送记录（默认：投递失败的）",
)
def list_deliveries(
    request: HttpRequest,
    status: Annotated[DeliveryStatus, Query()] = DeliveryStatus.DEAD,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[Any]:
    if not sel.may_admin_integrations(request.auth):
        raise PermissionDenied(_("只有中心主任和系统管理员可以访问此页面。"))
    return list(sel.deliveries_for(request.auth, status=status)[:limit])


@router.post(
    "/webhooks/deliveries/{delivery_id}/replay",
    response={200: DeliveryOut, **ERRORS},
    summary="重新投递",
)
def replay_delivery(request: HttpRequest, delivery_id: int) -> Any:
    if not sel.may_admin_integrations(request.auth):
        raise PermissionDenied(_("只有中心主任和系统管理员可以访问此页面。"))
    delivery = get_object_or_404(sel.deliveries_for(request.auth), pk=delivery_id)
    webhooks.replay(delivery)
    deliver_task.enqueue(delivery.pk)
    delivery.refresh_from_db()
    return delivery


class CameraOut(Schema):
    code: str
    name: str
    region: str = Field(alias="region_id")
    grid: str | None = Field(None, alias="grid_id")
    place: str
    platform_ref: str


class CitationIn(Schema):
    camera: str = Field(..., max_length=32)
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str = Field("", max_length=200)


class CitationOut(Schema):
    camera: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str


@router.get("/cameras", response={200: list[CameraOut], **ERRORS}, summary="视频点位（本人范围）")
def list_cameras(
    request: HttpRequest, region: Annotated[str, Query(max_length=12)] = ""
) -> list[Any]:
    qs = sel.cameras_for(request.auth)
    if region:
        qs = qs.filter(region__path__startswith=region)
    return list(qs[:500])


@router.post(
    "/cases/{code}/cameras",
    response={201: CitationOut, **ERRORS},
    summary="案件引用视频点位与时间段",
)
def cite_camera(request: HttpRequest, code: str, payload: CitationIn) -> Status:
    case = visible_cases(request.auth).filter(code=code).first()
    if case is None:
        raise NotFound(_("案件不存在，或不在您当前角色的查看范围内。"))
    camera = sel.cameras_for(request.auth).filter(code=payload.camera).first()
    if camera is None:
        raise NotFound(_("设备编号“%(code)s”不存在。") % {"code": payload.camera})
    c = camera_services.cite_camera(
        case=case,
        camera=camera,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        actor=request.auth,
        note=payload.note,
    )
    return Status(
        201,
        {
            "camera": camera.code,
            "starts_at": c.starts_at,
            "ends_at": c.ends_at,
            "note": c.note,
        },
    )

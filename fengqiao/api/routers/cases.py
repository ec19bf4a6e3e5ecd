"""Cases: register, read, list, move along the loop, audit trail, QR code."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from pydantic import Field

from fengqiao.api import selectors
from fengqiao.api.routers.common import ERRORS, case_detail, case_item
from fengqiao.api.schemas import (
    CaseIn,
    CaseListQuery,
    CaseOut,
    CasePage,
    CoHandlingIn,
    EventOut,
    TransitionIn,
)
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, CaseKind
from fengqiao.cases.filters import CaseFilter, category_by_code, paginate, region_by_code
from fengqiao.cases.qr import qr_png, qr_svg, tracking_url
from fengqiao.core import refcache
from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.regions.models import Grid, Region

router = Router(tags=["cases"])


def _unknown(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=f"unknown_{field}", field=field)


def _unit(pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.select_related("region").filter(pk=pk).first()
    if unit is None:
        raise ValidationFailed(
            _("单位（id %(id)s）不存在。") % {"id": pk}, code="unknown_unit", field=field
        )
    return unit


def _appeal(request: HttpRequest, payload: CaseIn) -> AppealIn:
    user = request.auth
    if payload.center is None:
        center = selectors.default_center(user)
        if center is None:
            raise ValidationFailed(_("请指定综治中心。"), field="center")
    else:
        center = refcache.cached(
            f"unit:{payload.center}",
            lambda: Unit.objects.select_related("region").filter(pk=payload.center).first(),
        )
        if center is None or center.kind != UnitKind.CENTER:
            raise _unknown("center", _("综治中心（id %(id)s）不存在。") % {"id": payload.center})
    region = refcache.cached(
        f"region:{payload.region}", lambda: Region.objects.filter(code=payload.region).first()
    )
    if region is None:
        raise _unknown("region", _("区划“%(code)s”不存在。") % {"code": payload.region})
    category = None
    if payload.category:
        category = case_selectors.active_category(payload.category)
        if category is None:
            raise _unknown("category", _("分类“%(code)s”不存在。") % {"code": payload.category})
    grid = None
    if payload.grid:
        grid = Grid.objects.filter(code=payload.grid).first()
        if grid is None:
            raise _unknown("grid", _("网格“%(code)s”不存在。") % {"code": payload.grid})
    if payload.kind and payload.kind not in CaseKind.values:
        raise ValidationFailed(_("事项类型无效。"), field="kind")

    def coordinate(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(round(value, 6)))

    return AppealIn(
        center=center,
        channel=payload.channel,
        title=payload.title,
        description=payload.description,
        region=region,
        category=category,
        kind=payload.kind or None,
        address=payload.address,
        latitude=coordinate(payload.latitude),
        longitude=coordinate(payload.longitude),
        grid=grid,
        people_count=payload.people_count,
        parties=tuple(
            PartyIn(
                name=p.name,
                role=p.role,
                kind=p.kind,
                phone=p.phone,
                id_number=p.id_number,
                address=p.address,
                is_elderly=p.is_elderly,
                is_minor=p.is_minor,
                is_disabled=p.is_disabled,
            )
            for p in payload.parties
        ),
    )


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, **ERRORS},
    summary="登记案件（受理）",
    description=(
        "登记一件诉求。带 `Idempotency-Key` 头时，同一用户重复提交同一键返回第一次登记的案件"
        "（200），同一键而内容不同返回 409。"
    ),
)
def register(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> HttpResponse:
    outcome = register_appeal(
        appeal=_appeal(request, payload),
        door=Door.API,
        actor=request.auth,
        key=idempotency_key,
    )
    if outcome.created:
        # Written by this request at a center the caller may register for (so may see):
        # everything the answer shows is in hand, its parties included; no assignments yet.
        case = outcome.case
        case.hold_related(assignments=[])
    else:
        case = selectors.get_case(request.auth, outcome.case.code, detail=True)
    # The answer is CaseOut, as documented, rendered as built: ninja's validation pass over
    # it cost a registration about a twentieth of its time in the web worker, and a test
    # holds it equal to what GET /cases/{code} (validated) answers for the same case.
    # The API this router belongs to renders it; fengqiao.api.main imports the routers.
    from fengqiao.api.main import api  # noqa: PLC0415 - main imports this module

    status = 201 if outcome.created else 200
    return api.create_response(request, case_detail(case, request.auth), status=status)


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="案件列表")
def list_cases(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, Any]:
    category, region = params.category.strip(), params.region.strip()
    qs = selectors.filter_cases(
        request.auth,
        CaseFilter(
            statuses=tuple(params.status or ()),
            category=category_by_code(category) if category else None,
            region=region_by_code(region) if region else None,
            risk=params.risk_level.strip(),
            unit_id=params.unit,
            overdue=params.overdue,
            date_from=params.registered_from,
            date_to=params.registered_to,
            q=params.q,
        ),
    )
    result = paginate(
        qs,
        limit=params.limit,
        cursor=params.cursor,
        page=params.page,
        with_count=params.with_count,
    )
    return {
        "items": [case_item(c) for c in result.items],
        "next_cursor": result.next_cursor,
        "count": result.count,
    }


CodePath = Annotated[str, Field(max_length=40)]


@router.get("/cases/{code}", response={200: CaseOut, **ERRORS}, summary="案件详情")
def get_case(request: HttpRequest, code: CodePath) -> dict[str, Any]:
    case = selectors.get_case(request.auth, code, detail=True)
    return case_detail(case, request.auth)


@router.post(
    "/cases/{code}/transitions",
    response={200: CaseOut, **ERRORS},
    summary="流转（分流、签收、办结、结案……）",
)
def make_transition(request: HttpRequest, code: CodePath, payload: TransitionIn) -> Any:
    case = selectors.get_case(request.auth, code)
    if payload.action not in Action.values:
        raise ValidationFailed(
            _("未知的操作“%(action)s”。") % {"action": payload.action},
            code="unknown_action",
            field="action",
        )
    target = _unit(payload.target_center, "target_center")
    case_services.transition(
        case=case,
        action=payload.action,
        actor=request.auth,
        membership_id=payload.membership,
        note=payload.note,
        result=payload.result,
        public_result=payload.public_result,
        lead_unit=_unit(payload.lead_unit, "lead_unit"),
        co_units=[u for u in (_unit(pk, "co_units") for pk in payload.co_units) if u],
        target_center=target,
        satisfaction=payload.satisfaction,
        expected_version=payload.expected_version,
    )
    case = selectors.get_case(request.auth, case.code, detail=True)
    return case_detail(case, request.auth)


@router.post(
    "/cases/{code}/co-handling",
    response={200: CaseOut, **ERRORS},
    summary="协办：反馈或解除",
    description=(
        "协办单位的承办人反馈本单位的办理情况（report）；主办单位须待每个协办单位反馈、"
        "或由分流调度员说明理由解除协办（release）后才能办结。"
    ),
)
def co_handling(request: HttpRequest, code: CodePath, payload: CoHandlingIn) -> Any:
    case = selectors.get_case(request.auth, code)
    unit = _unit(payload.unit, "unit")
    if payload.action == "release":
        if unit is None:
            raise ValidationFailed(_("请选择协办单位。"), field="unit")
        case_services.release_co_handler(
            case=case,
            unit=unit,
            actor=request.auth,
            reason=payload.text,
            membership_id=payload.membership,
        )
    else:
        unit = unit or case_selectors.pending_co_unit(
            request.auth, case, membership_id=payload.membership
        )
        if unit is None:
            raise Conflict(_("您所在单位没有待反馈的协办任务。"), code="no_co_assignment")
        case_services.report_co_handling(
            case=case, actor=request.auth, unit=unit, report=payload.text
        )
    case = selectors.get_case(request.auth, case.code, detail=True)
    return case_detail(case, request.auth)


@router.get(
    "/cases/{code}/events", response={200: list[EventOut], **ERRORS}, summary="流转记录（审计）"
)
def list_events(request: HttpRequest, code: CodePath) -> list[dict[str, Any]]:
    case = selectors.get_case(request.auth, code)
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "action_label": str(e.get_action_display()),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor_label": e.actor_label,
            "unit_label": e.unit_label,
            "note": e.note,
            "data": e.data,
            "created_at": e.created_at,
            "hash": e.hash,
        }
        for e in selectors.case_events(case)
    ]


def _image_doc(media_type: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": "OK",
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/cases/{code}/qr.svg",
    response={200: None, **ERRORS},
    summary="案件二维码（SVG）",
    openapi_extra=_image_doc("image/svg+xml"),
)
def case_qr_svg(request: HttpRequest, code: CodePath) -> HttpResponse:
    case = selectors.get_case(request.auth, code)
    return HttpResponse(qr_svg(tracking_url(case.code)), content_type="image/svg+xml")


@router.get(
    "/cases/{code}/qr.png",
    response={200: None, **ERRORS},
    summary="案件二维码（PNG）",
    openapi_extra=_image_doc("image/png"),
)
def case_qr_png(request: HttpRequest, code: CodePath) -> HttpResponse:
    case = selectors.get_case(request.auth, code)
    return HttpResponse(qr_png(tracking_url(case.code)), content_type="image/png")

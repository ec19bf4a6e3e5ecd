"""Open311 GeoReport v2 at ``/open311/v2/``: discovery, services, service definitions,
service requests (POST with an API key, GET by filters or id) and tokens.

- jurisdiction_id is the national region code of a center (``420923``); it may be left out
  where the deployment names a default (``FENGQIAO_OPEN311_JURISDICTION``) or, for a POST,
  where the API key's partner has a center;
- services are the active leaf categories; every service has a definition (two optional
  attributes: the village's region code and the number of people involved);
- status is ``open`` while the case is in the loop (registered … resolved), ``closed`` after;
- only requests submitted through Open311 are listed (other cases hold personal matters):
  the description shown is the case's title, the address the region's name;
- errors are the specification's list ``[{code, description}]`` with the HTTP status.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fengqiao.cases.models import Case, Category
from fengqiao.core.errors import DomainError
from fengqiao.integrations.choices import PartnerKind
from fengqiao.integrations.models import InboundTransfer, Partner
from fengqiao.integrations.services.partners import partner_for_key
from fengqiao.integrations.services.transfers import OrderIn, receive_order
from fengqiao.integrations.services.webhooks import open311_status
from fengqiao.open311 import openapi
from fengqiao.open311.render import error, respond
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.regions.models import PATH_END

FORMATS = ("json", "xml")
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90


class Refused(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Refused(400, _("格式应为 json 或 xml。"))
    return fmt


def _center(request: HttpRequest, partner: Partner | None = None) -> Unit:
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    code = code or getattr(settings, "FENGQIAO_OPEN311_JURISDICTION", "")
    if not code and partner is not None:
        return partner.center
    if not code:
        raise Refused(400, _("本平台服务多个辖区，请提供 jurisdiction_id（中心的区划代码）。"))
    center = (
        Unit.objects.filter(region_id=code, kind=UnitKind.CENTER, is_active=True)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    if center is None:
        raise Refused(404, _("辖区“%(code)s”不存在。") % {"code": code})
    return center


def _guarded(view):
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        fmt = kwargs.get("fmt", "json")
        try:
            _fmt(fmt)
            return view(request, *args, **kwargs)
        except Refused as exc:
            return error(fmt if fmt in FORMATS else "json", exc.status, exc.description)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _services() -> list[Category]:
    return list(
        Category.objects.filter(is_active=True, children__isnull=True)
        .select_related("parent")
        .order_by("path")
    )


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.display_name,
        "description": category.display_name,
        "metadata": True,
        "type": "realtime",
        "keywords": category.kind,
        "group": category.parent.display_name if category.parent_id else None,
    }


@require_GET
@_guarded
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    body = {
        "changeset": "2026-01-01T00:00:00Z",
        "contact": _("请联系所在综治中心。"),
        "key_service": _("在“系统对接”页面为您的系统申请 API 密钥。"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": "2026-01-01T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(body, fmt, root="discovery")


@require_GET
@_guarded
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _center(request)
    return respond([_service(c) for c in _services()], fmt, root="services")


def _attributes() -> list[dict]:
    return [
        {
            "variable": True,
            "code": "region",
            "datatype": "string",
            "required": False,
            "datatype_description": _("12位村/社区区划代码"),
            "order": 1,
            "description": _("发生地所在村（社区）的区划代码；不填则为辖区本级。"),
        },
        {
            "variable": True,
            "code": "people_count",
            "datatype": "number",
            "required": False,
            "datatype_description": _("正整数"),
            "order": 2,
            "description": _("涉及人数"),
        },
    ]


@require_GET
@_guarded
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    _center(request)
    if not Category.objects.filter(code=code, is_active=True, children__isnull=True).exists():
        raise Refused(404, _("服务“%(code)s”不存在。") % {"code": code})
    return respond(
        {"service_code": code, "attributes": _attributes()}, fmt, root="service_definition"
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request_row(case: Case) -> dict:
    status = open311_status(case.status)
    return {
        "service_request_id": case.code,
        "status": status,
        "status_notes": (case.public_result or None) if status == "closed" else None,
        "service_name": case.category.display_name if case.category_id else None,
        "service_code": case.category.code if case.category_id else "",
        "description": case.title,
        "agency_responsible": str(case.lead_unit) if case.lead_unit_id else str(case.center),
        "service_notice": None,
        "requested_datetime": _iso(case.registered_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.deadline),
        "address": case.region.name,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": None,
    }


def _open311_cases(center: Unit):
    path = center.region_path
    ids = InboundTransfer.objects.filter(partner__kind=PartnerKind.OPEN311).values("case_id")
    return (
        Case.objects.filter(pk__in=ids, region_path__gte=path, region_path__lt=path + PATH_END)
        .select_related("category", "region", "lead_unit", "center")
        .order_by("-registered_at", "-id")
    )


def _date(name: str, value: str) -> dt.datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None
    if parsed is None:
        raise Refused(
            400, _("%(name)s 应为 W3C 日期时间（如 2026-01-01T00:00:00+08:00）。") % {"name": name}
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _filtered(request: HttpRequest, center: Unit):
    qs = _open311_cases(center)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return qs.filter(code__in=ids[:MAX_REQUESTS])
    if code := request.GET.get("service_code", "").strip():
        qs = qs.filter(category__code__in=[c.strip() for c in code.split(",")])
    end = _date("end_date", request.GET["end_date"]) if request.GET.get("end_date") else None
    start = (
        _date("start_date", request.GET["start_date"]) if request.GET.get("start_date") else None
    )
    if start is None:
        start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
    qs = qs.filter(registered_at__gte=start)
    if end is not None:
        qs = qs.filter(registered_at__lte=end)
    status = request.GET.get("status", "").strip()
    if status and status not in ("open", "closed"):
        raise Refused(400, _("status 应为 open 或 closed。"))
    rows = list(qs[:MAX_REQUESTS])
    return [c for c in rows if not status or open311_status(c.status) == status]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guarded
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    center = _center(request)
    return respond(
        [_request_row(c) for c in _filtered(request, center)], fmt, root="service_requests"
    )


@require_GET
@_guarded
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    center = _center(request)
    case = _open311_cases(center).filter(code=request_id).first()
    if case is None:
        raise Refused(404, _("服务请求“%(id)s”不存在。") % {"id": request_id})
    return respond([_request_row(case)], fmt, root="service_requests")


@require_GET
@_guarded
def token(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    transfer = (
        InboundTransfer.objects.filter(partner__kind=PartnerKind.OPEN311, external_id=token_id)
        .select_related("case")
        .first()
    )
    if transfer is None:
        raise Refused(404, _("令牌“%(id)s”不存在。") % {"id": token_id})
    return respond(
        [{"token": token_id, "service_request_id": transfer.case.code}],
        fmt,
        root="service_requests",
    )


def _decimal(name: str, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise Refused(400, _("%(name)s 应为数字。") % {"name": name}) from exc


def _order(request: HttpRequest, partner: Partner, center: Unit) -> OrderIn:
    data = request.POST
    code = data.get("service_code", "").strip()
    if not Category.objects.filter(code=code, is_active=True, children__isnull=True).exists():
        raise Refused(400, _("service_code 无效或缺失。"))
    lat, lon = _decimal("lat", data.get("lat", "")), _decimal("long", data.get("long", ""))
    address = data.get("address_string", "").strip()
    if (lat is None or lon is None) and not address and not data.get("address_id"):
        raise Refused(400, _("请提供位置：lat 和 long，或 address_string。"))
    description = data.get("description", "").strip()
    if not description:
        raise Refused(400, _("请填写 description（诉求内容）。"))
    people = data.get("attribute[people_count]", "1").strip() or "1"
    if not people.isdigit():
        raise Refused(400, _("attribute[people_count] 应为正整数。"))
    name = (data.get("last_name", "") + data.get("first_name", "")).strip()
    return OrderIn(
        external_id=uuid.uuid4().hex,
        title=description[:40],
        description=description,
        region=data.get("attribute[region]", "").strip() or center.region_id,
        category=code,
        address=address,
        applicant_name=name,
        applicant_phone=data.get("phone", "").strip(),
        latitude=lat,
        longitude=lon,
        people_count=int(people),
        extra={
            "open311": {
                "device_id": data.get("device_id", ""),
                "account_id": data.get("account_id", ""),
            }
        },
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    partner = partner_for_key(request.POST.get("api_key", "").strip())
    if partner is None or partner.kind != PartnerKind.OPEN311:
        raise Refused(403, _("api_key 无效。"))
    center = _center(request, partner)
    if center.pk != partner.center_id:
        raise Refused(403, _("该 api_key 不能向此辖区提交。"))
    order = _order(request, partner, center)
    try:
        result = receive_order(partner=partner, order=order)
    except DomainError as exc:
        raise Refused(400, str(exc.message)) from exc
    body = [
        {
            "service_request_id": result.case.code,
            "token": order.external_id,
            "service_notice": _("已受理，案件编号%(code)s。") % {"code": result.case.code},
            "account_id": None,
        }
    ]
    return respond(body, fmt, root="service_requests")


@require_GET
def openapi_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description of these endpoints."""
    return JsonResponse(openapi.document(), json_dumps_params={"ensure_ascii": False})

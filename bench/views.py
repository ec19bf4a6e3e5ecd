"""Baseline endpoints served by the same server as the product (only with FENGQIAO_BENCH=1)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from fengqiao.cases.models import Case, CaseEvent
from fengqiao.org.models import Unit
from fengqiao.regions.models import Region

_cache: dict[str, object] = {}


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
def bare_register(request: HttpRequest) -> JsonResponse:
    """Insert one case row and one event row in a transaction: the floor the real
    registration is judged against."""
    if "center" not in _cache:
        center = Unit.objects.filter(kind="center", region_id="420923").first()
        _cache["center"] = center
        _cache["region"] = Region.objects.get(code="420923")
    center, region = _cache["center"], _cache["region"]
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            code="B" + "".join(secrets.choice("0123456789") for _ in range(19)),
            channel="api",
            title="bench",
            description="bench",
            region=region,
            region_path=region.path,
            center=center,
            scope_path=center.region_path,
            registered_at=now,
        )
        CaseEvent.objects.create(
            case=case, seq=1, action="register", to_status="registered", created_at=now,
            hash="0" * 64,
        )  # fmt: skip
    return JsonResponse({"code": case.code}, status=201)

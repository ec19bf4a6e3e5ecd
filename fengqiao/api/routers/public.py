"""Public case tracking: no login, limited per client address."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import Throttled

from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import PublicCaseOut, Text
from fengqiao.cases.tracking import track_case

router = Router(tags=["public"])

DEFAULT_RATE = (30, 600)  # lookups per window (seconds) per client address


def _check_rate(request: HttpRequest) -> None:
    limit, window = getattr(settings, "FENGQIAO_PUBLIC_TRACK_RATE", DEFAULT_RATE)
    key = "fq:api:track:" + (request.META.get("REMOTE_ADDR") or "unknown")
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise Throttled(wait=window)


@router.get(
    "/public/track",
    auth=None,
    response={200: PublicCaseOut, **ERRORS},
    summary="群众查询办理进度",
    description="凭案件编号和申请人手机号后四位查询；编号或号码不符时返回同样的 404。",
)
def track(
    request: HttpRequest,
    code: Annotated[Text(40), Query(description="案件编号（20位）")],
    phone_last4: Annotated[Text(8), Query(description="申请人手机号后四位")],
) -> dict[str, Any]:
    _check_rate(request)
    view = track_case(code=code, phone_last4=phone_last4)
    return dataclasses.asdict(view)

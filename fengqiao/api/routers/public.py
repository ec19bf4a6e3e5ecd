"""Public case tracking: no login; every look-up limited per client address, and wrong
digits held back per address and per code as ``fengqiao.cases.tracking`` says (the same
rule as the portal's)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import Throttled

from fengqiao.api.errors import error_response
from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import PublicCaseOut, Text
from fengqiao.cases.tracking import TrackThrottled, client_address, verify_and_track

router = Router(tags=["public"])

DEFAULT_RATE = (30, 600)  # lookups per window (seconds) per client address


def _check_rate(request: HttpRequest) -> None:
    limit, window = getattr(settings, "FENGQIAO_PUBLIC_TRACK_RATE", DEFAULT_RATE)
    key = "fq:api:track:" + (client_address(request.META) or "unknown")
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
    description=(
        "凭案件编号和申请人手机号后四位查询；编号或号码不符时返回同样的 404。"
        "同一地址每小时最多输错30次；同一编号输错5次后，每次再试须等待上次输错后 2^k 秒"
        "（最多60秒）。需等待时返回 429 `throttled`，`details.retry_after` 与响应头"
        " `Retry-After` 为等待秒数。"
    ),
)
def track(
    request: HttpRequest,
    code: Annotated[Text(40), Query(description="案件编号（20位）")],
    phone_last4: Annotated[Text(8), Query(description="申请人手机号后四位")],
) -> dict[str, Any] | HttpResponse:
    _check_rate(request)
    try:
        view = verify_and_track(code=code, phone_last4=phone_last4, ip=client_address(request.META))
    except TrackThrottled as refused:
        response = error_response(
            refused.code, refused.message, 429, {"retry_after": refused.retry_after}
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    return dataclasses.asdict(view)

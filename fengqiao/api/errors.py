"""Every API error is JSON ``{"code", "message", "details"}``: a stable machine code, a
message in the caller's language (Chinese unless ``Accept-Language`` asks for English)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from fengqiao.core.errors import DomainError

logger = logging.getLogger("fengqiao.api")


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


def error_body(code: str, message: Any, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": str(message), "details": details or {}}


def error_response(
    code: str, message: Any, status: int, details: dict[str, Any] | None = None
) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, details),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _field_name(loc: tuple | list) -> str:
    # ("body", "payload", "parties", 0, "phone") → "parties.0.phone"
    parts = [str(p) for p in loc[1:] if p not in ("payload", "filters")]
    return ".".join(parts) or str(loc[0] if loc else "")


def _http_error_code(exc: HttpError) -> tuple[str, str]:
    status = exc.status_code
    if status == 401:
        return "not_authenticated", _("请先登录或提供有效的接口令牌。")
    if status == 403 and "CSRF" in str(exc):
        return "csrf_failed", _("CSRF校验失败，请刷新页面后重试。")
    if status == 403:
        return "forbidden", _("您没有执行该操作的权限。")
    if status == 400 and "parse" in str(exc).lower():
        return "malformed_body", _("请求内容不是有效的JSON。")
    if status == 429:
        return "rate_limited", _("请求过于频繁，请稍后再试。")
    if status == 404:
        return "not_found", _("资源不存在。")
    return "bad_request", _("请求有误。")


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers with ours."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(exc.code, exc.message, exc.http_status, _jsonable(exc.details))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": _field_name(e.get("loc", ())),
                "location": str(e.get("loc", ("",))[0]),
                "type": str(e.get("type", "")),
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors
        ]
        field = errors[0]["field"] if errors else ""
        return error_response(
            "validation_error",
            _("请求参数有误：%(field)s。") % {"field": field},
            422,
            {"field": field, "errors": errors},
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response("not_authenticated", _("请先登录或提供有效的接口令牌。"), 401)
        response["WWW-Authenticate"] = 'Bearer realm="fengqiao"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response("rate_limited", _("请求过于频繁，请稍后再试。"), 429)
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = _http_error_code(exc)
        return error_response(code, message, exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response("not_found", _("资源不存在。"), 404)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error_response("bad_request", _("请求有误。"), 400)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value the database refuses (out of range, bad text) is the client's input.
        logger.warning("API input refused by the database: %s", exc)
        return error_response("invalid_value", _("提交的值超出允许范围。"), 422)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response("server_error", _("服务器内部错误，请稍后重试。"), 500)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown paths under the API answer in the API's error shape."""
    return error_response("not_found", _("接口不存在。"), 404)


def wrap_method_not_allowed(view: Any) -> Any:
    """Turn ninja's plain-text 405 into the API's error shape."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = error_response(
                "method_not_allowed",
                _("不支持该请求方法。"),
                405,
                {"allowed": [m.strip() for m in allow.split(",") if m.strip()]},
            )
            response["Allow"] = allow
        return response

    for attr in ("csrf_exempt", "__name__", "__doc__"):
        if hasattr(view, attr):
            setattr(wrapped, attr, getattr(view, attr))
    return wrapped

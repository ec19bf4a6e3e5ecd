"""The OpenAPI 3.1 document of the Open311 GeoReport v2 endpoints (``/open311/v2/openapi.json``).

GeoReport v2 is a fixed public specification whose answers are JSON or XML by the path's
suffix and whose POST is a form, not the JSON API's shape, so it is served beside the JSON
API rather than inside it; this document describes it the same way, and the API's own
document links here. A test holds it to the URL patterns of :mod:`fengqiao.open311.urls`.
"""

from __future__ import annotations

from typing import Any

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "json or xml (the path's suffix: /services.json, /services.xml)",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": "区划代码 of the center the request is for (需在多中心部署时指定) / the "
    "region code of the center, where one deployment serves several",
    "schema": {"type": "string"},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": schema}, "text/xml": {}},
        },
        "400": {"description": "请求有误 / bad request", "content": _errors()},
        "403": {"description": "api_key 无效 / bad api_key", "content": _errors()},
        "404": {"description": "不存在 / not found", "content": _errors()},
    }


def _errors() -> dict[str, Any]:
    return {"application/json": {"schema": {"type": "array", "items": _ref("Error")}}}


def _get(summary: str, schema: dict[str, Any], *params: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["open311"],
            "summary": summary,
            "parameters": [FORMAT, *params],
            "responses": _answer(schema, summary),
        }
    }


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string"}}  # fmt: skip


def _string(*nullable: str) -> dict[str, Any]:
    return {"type": ["string", "null"]} if nullable else {"type": "string"}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": _string(),
            "service_name": _string(),
            "description": _string(),
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": _string(),
            "group": _string("null"),
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "properties": {
            "service_code": _string(),
            "attributes": {"type": "array", "items": {"type": "object"}},
        },
    },
    "ServiceRequest": {
        "type": "object",
        "required": ["service_request_id", "status"],
        "properties": {
            "service_request_id": _string(),
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": _string("null"),
            "service_name": _string("null"),
            "service_code": _string(),
            "description": _string(),
            "agency_responsible": _string(),
            "service_notice": _string("null"),
            "requested_datetime": _string("null"),
            "updated_datetime": _string("null"),
            "expected_datetime": _string("null"),
            "address": _string(),
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": _string("null"),
        },
    },
    "Created": {
        "type": "object",
        "properties": {
            "service_request_id": _string(),
            "token": _string(),
            "service_notice": _string(),
            "account_id": _string("null"),
        },
    },
    "Token": {
        "type": "object",
        "properties": {"token": _string(), "service_request_id": _string()},
    },
}

NEW_REQUEST_FIELDS = {
    "api_key": "the partner's API key (系统对接 page) / 对接系统的 API 密钥",
    "service_code": "the category's code / 事项分类代码",
    "description": "what happened / 诉求内容",
    "lat": "latitude (WGS 84)",
    "long": "longitude (WGS 84)",
    "address_string": "the address, where there is no point / 地址",
    "first_name": "applicant's given name",
    "last_name": "applicant's family name",
    "phone": "applicant's mobile / 手机号",
    "device_id": "the client's device id",
    "account_id": "the client's account id",
    "jurisdiction_id": JURISDICTION["description"],
    "attribute[people_count]": "how many people are involved / 涉及人数",
    "attribute[region]": "region code where it happened / 发生地区划代码",
}


def document() -> dict[str, Any]:
    """The whole document (OpenAPI 3.1)."""
    requests = _get(
        "服务请求列表 / service requests",
        {"type": "array", "items": _ref("ServiceRequest")},
        JURISDICTION,
        _query("service_request_id", "comma-separated request ids (case codes)"),
        _query("service_code", "a category's code"),
        _query("start_date", "ISO 8601, registered on or after"),
        _query("end_date", "ISO 8601, registered before"),
        _query("status", "open or closed"),
    )
    requests["post"] = {
        "tags": ["open311"],
        "summary": "提交服务请求（登记为案件）/ submit a service request (registered as a case)",
        "parameters": [FORMAT],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["api_key", "service_code", "description"],
                        "properties": {
                            name: {"type": "string", "description": text}
                            for name, text in NEW_REQUEST_FIELDS.items()
                        },
                    }
                }
            },
        },
        "responses": _answer({"type": "array", "items": _ref("Created")}, "the new request"),
    }
    base = "/open311/v2"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "枫桥 Fengqiao — Open311 GeoReport v2",
            "version": "v2",
            "description": (
                "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2)：服务目录即事项"
                "分类，服务请求即案件（状态 open/closed 由办理环节映射）。提交需系统对接页面"
                "发放的 api_key。 / Services are the categories, requests are cases (status "
                "open/closed from the loop); submitting needs an api_key from the "
                "Integrations page."
            ),
        },
        "paths": {
            f"{base}/discovery.{{format}}": _get("服务发现 / discovery", {"type": "object"}),
            f"{base}/services.{{format}}": _get(
                "服务目录 / services",
                {"type": "array", "items": _ref("Service")},
                JURISDICTION,
            ),
            f"{base}/services/{{service_code}}.{{format}}": _get(
                "服务定义 / service definition",
                _ref("ServiceDefinition"),
                _path_param("service_code", "a category's code"),
                JURISDICTION,
            ),
            f"{base}/requests.{{format}}": requests,
            f"{base}/requests/{{service_request_id}}.{{format}}": _get(
                "单个服务请求 / one service request",
                {"type": "array", "items": _ref("ServiceRequest")},
                _path_param("service_request_id", "the case code"),
                JURISDICTION,
            ),
            f"{base}/tokens/{{token_id}}.{{format}}": _get(
                "按令牌查请求编号 / request id by token",
                {"type": "array", "items": _ref("Token")},
                _path_param("token_id", "the token returned on submission"),
                JURISDICTION,
            ),
        },
        "components": {"schemas": SCHEMAS},
    }

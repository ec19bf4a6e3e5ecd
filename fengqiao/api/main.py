"""The JSON API (v1): one NinjaAPI with our auth, error shape and routers."""

from __future__ import annotations

from ninja import NinjaAPI

from fengqiao.api import errors
from fengqiao.api.auth import AUTH
from fengqiao.api.routers import (
    analytics,
    cases,
    grid,
    integrations,
    lookups,
    mediation,
    participation,
    public,
    supervision,
    tokens,
)
from fengqiao.api.routers import centers as centers_router

api = NinjaAPI(
    title="枫桥 Fengqiao API",
    version="1",
    description=(
        "矛盾纠纷多元化解平台接口。认证：`Authorization: Bearer <令牌>`，或已登录的会话"
        "（写操作需 CSRF 令牌）。错误统一为 `{code, message, details}`；"
        "`Accept-Language: en` 返回英文信息。Open311 GeoReport v2 接口的文档在 "
        "[/open311/v2/openapi.json](/open311/v2/openapi.json)。"
    ),
    auth=AUTH,
    urls_namespace="api:api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("", cases.router)
api.add_router("", supervision.router)
api.add_router("", tokens.router)
api.add_router("", public.router)
api.add_router("", lookups.router)
api.add_router("", grid.router)
api.add_router("", mediation.router)
api.add_router("", mediation.public)
api.add_router("", participation.router)
api.add_router("", integrations.router)
api.add_router("", analytics.router)
api.add_router("", centers_router.router)

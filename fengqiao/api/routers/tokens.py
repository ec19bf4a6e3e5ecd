"""The caller's own API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from fengqiao.api import services
from fengqiao.api.models import ApiToken
from fengqiao.api.routers.common import ERRORS
from fengqiao.api.schemas import Id, NewTokenOut, TokenIn, TokenOut

router = Router(tags=["tokens"])


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.post("/tokens", response={201: NewTokenOut, **ERRORS}, summary="创建接口令牌")
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    issued = services.create_token(user=request.auth, name=payload.name)
    return Status(201, {**token_out(issued.token), "token": issued.secret})


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="我的接口令牌")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [token_out(t) for t in ApiToken.objects.filter(user=request.auth)]


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="吊销接口令牌")
def revoke_token(request: HttpRequest, token_id: Id) -> dict[str, Any]:
    return token_out(services.revoke_token(user=request.auth, token_id=token_id))

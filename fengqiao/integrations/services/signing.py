"""HMAC-SHA256 signatures of request bodies, both ways.

Header ``X-Fengqiao-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
A receiver recomputes it with the shared secret and refuses a timestamp more than
:data:`TOLERANCE` seconds away from its clock (a replayed old request)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.utils.translation import gettext as _

from fengqiao.core.errors import PermissionDenied

HEADER = "X-Fengqiao-Signature"
TOLERANCE = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for ``body`` signed with ``secret`` at ``timestamp`` (now)."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: int | None = None) -> None:
    """Refuse (PermissionDenied) a missing, malformed, stale or wrong signature."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    ts_text, given = parts.get("t", ""), parts.get("v1", "")
    if not secret or not ts_text.isdigit() or not given:
        raise PermissionDenied(_("缺少或无法识别请求签名。"), code="bad_signature")
    now = int(time.time()) if now is None else now
    if abs(now - int(ts_text)) > TOLERANCE:
        raise PermissionDenied(_("请求签名已过期，请校准时钟后重发。"), code="stale_signature")
    expected = sign(secret, body, timestamp=int(ts_text)).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, given):
        raise PermissionDenied(_("请求签名不正确。"), code="bad_signature")

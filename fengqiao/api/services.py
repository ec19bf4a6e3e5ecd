"""Writes of the API app: tokens, and who holds a bearer token."""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.api.models import ApiToken
from fengqiao.cases.selectors import active_memberships
from fengqiao.core.errors import Conflict, NotFound, ValidationFailed
from fengqiao.org.models import User

TOKEN_PREFIX = "fq"
MAX_ACTIVE_TOKENS = 20


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full bearer token; shown once, never stored


@transaction.atomic
def create_token(*, user: User, name: str) -> IssuedToken:
    """Create a personal API token; the returned secret is the only copy."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationFailed(_("令牌名称应为1到64个字。"), field="name")
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _("有效令牌已达%(n)d个，请先吊销不用的令牌。") % {"n": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, hashed_secret=hash_token(secret)
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (revoking twice is harmless)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("令牌不存在。"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# A token's holder, with their memberships, is remembered by each web process for a few
# seconds, so that an integration posting many cases in a row does not read the token, the
# user and their memberships again for each one (two queries of a registration's ten). A
# revoked token, a deactivated user or a changed membership takes effect at once in the
# process that saved it (the api app clears this on those saves) and within
# AUTH_CACHE_SECONDS in the others, as with Kubernetes' cache of token reviews.
AUTH_CACHE_SECONDS = 5.0
AUTH_CACHE_SIZE = 1000
_auth_lock = threading.Lock()
_authenticated: dict[str, tuple[float, User]] = {}  # SHA-256 of the token → (until, user)


def forget_authenticated(*_args: Any, **_kwargs: Any) -> None:
    """Forget every remembered token holder (usable as a signal receiver)."""
    with _auth_lock:
        _authenticated.clear()


def authenticate_token(raw: str) -> User | None:
    """The active user holding this bearer token, or None; the user carries their active
    memberships (read now, or remembered for a few seconds: see AUTH_CACHE_SECONDS)."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8:
        return None
    digest = hash_token(raw.strip())
    clock = time.monotonic()
    hit = _authenticated.get(digest)
    if hit is not None and hit[0] > clock:
        return copy.copy(hit[1])  # each request its own instance; the memberships shared
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.hashed_secret, digest):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # At most one write a minute per token, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    active_memberships(user)  # read once; the remembered user carries them
    with _auth_lock:
        if len(_authenticated) >= AUTH_CACHE_SIZE:
            _authenticated.clear()
        _authenticated[digest] = (clock + AUTH_CACHE_SECONDS, user)
    return copy.copy(user)

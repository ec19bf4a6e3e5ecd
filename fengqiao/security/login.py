"""Sign-in limits for every login path (workbench, admin site, anything that authenticates).

- per account: ``ACCOUNT_FAILURES`` failures in a row lock the username for ``LOCK_MINUTES``;
- per address: ``ADDRESS_FAILURES`` failures within ``WINDOW_MINUTES`` from one address, or
  failures against ``SPRAY_USERNAMES`` different usernames (password spraying), lock the
  address for ``LOCK_MINUTES``.

A locked sign-in is refused before the password is checked (:class:`LockoutBackend` raises
``PermissionDenied``, which ends ``authenticate()``), so a locked account cannot be probed.
Every success, failure and refusal is written to the audit trail with the address and time.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from fengqiao.security import audit
from fengqiao.security.models import AuditKind, Throttle

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
SPRAY_USERNAMES = 10
WINDOW_MINUTES = 15
LOCK_MINUTES = 15
_REFUSED_ATTR = "_fq_login_refused"
_OWN_ACCOUNT_LOCK_ATTR = "_fq_account_lock_elsewhere"


def account_locked_elsewhere(request: HttpRequest) -> None:
    """Say that the caller checks this sign-in's per-account lock itself (the workbench's
    login has its own, with its own messages): only the address is checked here then.
    Failures are still counted on the account, so the admin site's login sees them."""
    setattr(request, _OWN_ACCOUNT_LOCK_ATTR, True)


def _own_account_lock(request: HttpRequest | None) -> bool:
    return request is None or not getattr(request, _OWN_ACCOUNT_LOCK_ATTR, False)


def _username(value: str | None) -> str:
    return (value or "").strip()[:150]


def _remaining(row: Throttle | None, now: dt.datetime) -> int:
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, math.ceil((row.locked_until - now).total_seconds() / 60))


def lock_minutes(
    *, username: str, address: str, now: dt.datetime | None = None, account_too: bool = True
) -> int:
    """Minutes until this username from this address may try again; 0: it may now."""
    now = now or timezone.now()
    account, address = (_username(username) if account_too else ""), address or "-"
    rows = {
        (r.scope, r.key): r
        for r in Throttle.objects.filter(
            Q(scope=Throttle.Scope.ACCOUNT, key=account)
            | Q(scope=Throttle.Scope.ADDRESS, key=address)
        )
    }
    return max(
        _remaining(rows.get((Throttle.Scope.ACCOUNT, account)), now),
        _remaining(rows.get((Throttle.Scope.ADDRESS, address)), now),
    )


def _count(scope: str, key: str, *, username: str, now: dt.datetime) -> Throttle:
    row, _created = Throttle.objects.select_for_update().get_or_create(scope=scope, key=key)
    window = dt.timedelta(minutes=WINDOW_MINUTES)
    expired_lock = row.locked_until is not None and row.locked_until <= now
    stale = row.window_start is None or now - row.window_start > window
    if expired_lock or (scope == Throttle.Scope.ADDRESS and stale):
        row.failures, row.locked_until, row.usernames, row.window_start = 0, None, [], now
    row.window_start = row.window_start or now
    row.failures += 1
    if username and username not in row.usernames and len(row.usernames) < 50:
        row.usernames = [*row.usernames, username]
    if scope == Throttle.Scope.ACCOUNT:
        limit_reached = row.failures >= ACCOUNT_FAILURES
    else:
        limit_reached = row.failures >= ADDRESS_FAILURES or len(row.usernames) >= SPRAY_USERNAMES
    if limit_reached and row.locked_until is None:
        row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
    row.save()
    return row


@transaction.atomic
def record_failure(
    *, username: str, address: str, now: dt.datetime | None = None, account_too: bool = True
) -> None:
    now = now or timezone.now()
    username = _username(username)
    if username and account_too:
        _count(Throttle.Scope.ACCOUNT, username, username=username, now=now)
    _count(Throttle.Scope.ADDRESS, address or "-", username=username, now=now)


def record_success(*, username: str) -> None:
    Throttle.objects.filter(scope=Throttle.Scope.ACCOUNT, key=_username(username)).delete()


class LockoutBackend(ModelBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a locked account or address before any
    password is checked; otherwise lets the next backend decide. It loads a session's user
    as ModelBackend does, since ``login()``/``force_login()`` may name it in the session."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kw):
        address = audit.client_address(request)
        minutes = lock_minutes(
            username=username or "", address=address, account_too=_own_account_lock(request)
        )
        if minutes:
            if request is not None:
                setattr(request, _REFUSED_ATTR, minutes)
            raise PermissionDenied
        return None


def refused_minutes(request: HttpRequest | None) -> int:
    """Minutes of the lock that refused this request's sign-in (0 if none did)."""
    return getattr(request, _REFUSED_ATTR, 0) if request is not None else 0


@receiver(user_login_failed, dispatch_uid="fq_security_login_failed")
def on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kw) -> None:
    username = _username(credentials.get("username"))
    address = audit.client_address(request)
    if refused_minutes(request):
        audit.record(AuditKind.LOGIN_LOCKED, actor_name=username, request=request)
        return
    # Counted on every path, so that a lock earned on one login page holds on the others.
    record_failure(username=username, address=address)
    audit.record(
        AuditKind.LOGIN_FAILED,
        actor_name=username,
        request=request,
        detail={"path": request.path if request is not None else ""},
    )


@receiver(user_logged_in, dispatch_uid="fq_security_logged_in")
def on_logged_in(sender, request: HttpRequest | None, user, **kw) -> None:
    record_success(username=user.get_username())
    audit.record(
        AuditKind.LOGIN_OK,
        actor=user,
        request=request,
        detail={"path": getattr(request, "path", "")},
    )


@receiver(user_logged_out, dispatch_uid="fq_security_logged_out")
def on_logged_out(sender, request: HttpRequest | None, user, **kw) -> None:
    if user is not None:
        audit.record(AuditKind.LOGOUT, actor=user, request=request)

"""Writes of the staff workbench: login with lockout, the logged reveal of personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case, Party
from fengqiao.cases.selectors import actor_context
from fengqiao.cases.services import record_event
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.security import audit, login  # security (issue 18): address lock, access audit
from fengqiao.security.models import AuditKind
from fengqiao.workbench.models import LoginThrottle

MAX_FAILURES = 5
LOCK_MINUTES = 15
# Roles that may reveal a party's full phone and ID number (each reveal is logged).
REVEAL_ROLES = frozenset(
    {Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR, Role.HANDLER, Role.MEDIATOR}
)


def _normalize_username(username: str) -> str:
    return (username or "").strip()[:150]


def lock_remaining(username: str, *, now: dt.datetime | None = None) -> int:
    """Minutes (rounded up) this username stays locked; 0 when it may try to log in."""
    now = now or timezone.now()
    row = LoginThrottle.objects.filter(username=_normalize_username(username)).first()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, int((row.locked_until - now).total_seconds() + 59) // 60)


@transaction.atomic
def record_login_failure(
    *, username: str, ip: str = "", now: dt.datetime | None = None
) -> LoginThrottle:
    """Count a failed attempt; the MAX_FAILURES-th in a row locks the username."""
    now = now or timezone.now()
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=_normalize_username(username)
    )
    if row.locked_until and row.locked_until <= now:
        # The lock has run out: start counting again.
        row.failures = 0
        row.locked_until = None
    row.failures += 1
    row.last_failure_at = now
    row.last_ip = (ip or "")[:45]
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
    row.save()
    return row


def record_login_success(*, username: str) -> None:
    LoginThrottle.objects.filter(username=_normalize_username(username)).delete()


def login_with_lockout(
    *, request: HttpRequest, username: str, password: str, now: dt.datetime | None = None
) -> User:
    """Check the password unless the username is locked; count failures.

    Raises PermissionDenied while locked (without checking the password, so that a locked
    account cannot be probed) and ValidationFailed for a wrong username or password.
    """
    username = _normalize_username(username)
    if not username or not password:
        raise ValidationFailed(_("请输入用户名和密码。"), field="username")
    minutes = lock_remaining(username, now=now)
    # security (issue 18): the per-account and per-address locks of every login path.
    minutes = minutes or login.lock_minutes(
        username=username, address=audit.client_address(request), now=now, account_too=False
    )
    login.account_locked_elsewhere(request)
    if minutes:
        raise PermissionDenied(
            _("登录失败次数过多，账号已锁定，请%(minutes)d分钟后再试。") % {"minutes": minutes},
            code="locked",
        )
    user = authenticate(request, username=username, password=password)
    if user is None and login.refused_minutes(request):  # security (issue 18)
        raise PermissionDenied(
            _("登录失败次数过多，账号已锁定，请%(minutes)d分钟后再试。")
            % {"minutes": login.refused_minutes(request)},
            code="locked",
        )
    if user is None:
        row = record_login_failure(username=username, ip=request.META.get("REMOTE_ADDR", ""))
        left = MAX_FAILURES - row.failures
        if row.locked_until:
            raise PermissionDenied(
                _("登录失败次数过多，账号已锁定，请%(minutes)d分钟后再试。")
                % {"minutes": LOCK_MINUTES},
                code="locked",
            )
        raise ValidationFailed(
            _("用户名或密码不正确，还可尝试%(left)d次。") % {"left": left}, field="password"
        )
    record_login_success(username=username)
    return user


@dataclass(frozen=True)
class RevealedParty:
    party_id: int
    name: str
    phone: str
    id_number: str


def reveal_party(
    *,
    case: Case,
    party: Party,
    actor: User,
    membership_id: int | None = None,
    request: HttpRequest | None = None,
    reason: str = "",
) -> RevealedParty:
    """Show a party's full name, phone and ID number to a role that may, and log it."""
    if party.case_id != case.pk:
        raise ValidationFailed(_("当事人不属于该案件。"), field="party")
    membership = actor_context(actor, case, membership_id=membership_id).has(REVEAL_ROLES)
    # security (issue 18): every reveal, and every refused one, on the audit trail.
    trail = {
        "actor": actor,
        "request": request,
        "target": case.code,
        "fields": ("name", "phone", "id_number"),
        "reason": reason,
        "detail": {"party": party.pk},
        "region_path": case.region_path,
    }
    if membership is None:
        audit.record(AuditKind.REVEAL_REFUSED, **trail)
        raise PermissionDenied(_("您无权查看该当事人的完整个人信息。"))
    with transaction.atomic():
        audit.record(AuditKind.REVEAL, **trail)
        record_event(
            case=case,
            action=Action.REVEAL,
            actor=actor,
            unit=membership.unit,
            note=party.masked_name,
            data={"party": party.pk, "fields": ["name", "phone", "id_number"]},
        )
    return RevealedParty(
        party_id=party.pk, name=party.name, phone=party.phone, id_number=party.id_number
    )

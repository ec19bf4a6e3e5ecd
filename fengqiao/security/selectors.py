"""Who reviews which part of the audit trail, who needs a second factor, and the search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.org.selectors import active_memberships, roles_of
from fengqiao.security.models import DATA_KINDS, LOGIN_KINDS, AuditEntry

# 三员分立: the administrator manages accounts and sees sign-ins; the auditor reviews every
# entry (including the administrator's own changes); a director reviews access to personal
# data in his center's area. The two duties may not be held by one person (apps.py).
SEPARATED_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


def may_review_audit(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return bool(roles_of(user) & {Role.AUDITOR, Role.DIRECTOR, Role.ADMIN})


def audit_scope(user: User) -> QuerySet[AuditEntry]:
    """The entries this user may review (none for other roles)."""
    memberships = active_memberships(user)
    if any(m.role == Role.AUDITOR for m in memberships):
        return AuditEntry.objects.all()
    scope = Q(pk__in=[])
    if any(m.role == Role.ADMIN for m in memberships):
        scope |= Q(kind__in=LOGIN_KINDS)
    for m in memberships:
        if m.role == Role.DIRECTOR:
            scope |= Q(kind__in=DATA_KINDS, region_path__startswith=m.unit.region_path)
    return AuditEntry.objects.filter(scope)


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""
    target: str = ""
    address: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def search_audit(qs: QuerySet[AuditEntry], f: AuditFilter) -> QuerySet[AuditEntry]:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.actor:
        qs = qs.filter(actor_name=f.actor)
    if f.target:
        qs = qs.filter(target=f.target)
    if f.address:
        qs = qs.filter(address=f.address)
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs.order_by("-seq")


def otp_required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "FENGQIAO_OTP_REQUIRED_ROLES", ()) or ())


def otp_required(user: User) -> bool:
    """Whether this user must sign in with a second factor: a role named in
    FENGQIAO_OTP_REQUIRED_ROLES, a superuser when "superuser" is named there, or any user
    who has set up a TOTP device of his own accord."""
    if not user.is_authenticated:
        return False
    required = otp_required_roles()
    if user.is_superuser and "superuser" in required:
        return True
    return bool(roles_of(user) & required)

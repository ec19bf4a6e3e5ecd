"""Who may use the integration pages, and the rows each user sees there."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fengqiao.integrations.choices import DeliveryStatus
from fengqiao.integrations.models import (
    Camera,
    Delivery,
    ImportJob,
    Partner,
    RiskSignal,
    Subscription,
)
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import User
from fengqiao.org.selectors import active_memberships, managed_region_paths, may_manage

IMPORT_ROLES = frozenset({Role.RECEPTIONIST, Role.DIRECTOR, Role.ADMIN})


def may_admin_integrations(user: User) -> bool:
    """Partners, subscriptions, dead letters: center directors and admins."""
    return may_manage(user)


def may_import(user: User) -> bool:
    return user.is_superuser or any(
        m.role in IMPORT_ROLES and m.unit.kind == UnitKind.CENTER for m in active_memberships(user)
    )


def may_use_integrations(user: User) -> bool:
    return may_admin_integrations(user) or may_import(user)


def _by_paths(qs: QuerySet, user: User, field: str) -> QuerySet:
    paths = managed_region_paths(user)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    cond = Q()
    for p in paths:
        cond |= Q(**{f"{field}__startswith": p})
    return qs.filter(cond)


def partners_for(user: User) -> QuerySet[Partner]:
    return _by_paths(Partner.objects.select_related("center"), user, "center__region_path")


def signals_for(user: User) -> QuerySet[RiskSignal]:
    return _by_paths(RiskSignal.objects.select_related("partner", "region"), user, "region__path")


def subscriptions_for(user: User) -> QuerySet[Subscription]:
    qs = Subscription.objects.select_related("unit", "region")
    if managed_region_paths(user) is None:
        return qs
    return (
        _by_paths(qs, user, "unit__region_path")
        | _by_paths(qs, user, "region__path")
        | qs.filter(created_by=user)
    )


def deliveries_for(user: User, *, status: str = "") -> QuerySet[Delivery]:
    subs = subscriptions_for(user).values("pk")
    partners = partners_for(user).values("pk")
    qs = Delivery.objects.filter(Q(subscription__in=subs) | Q(partner__in=partners))
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("subscription", "partner")


def import_jobs_for(user: User) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("center", "created_by")
    if managed_region_paths(user) is None:
        return qs
    return qs.filter(Q(created_by=user) | Q(pk__in=_by_paths(qs, user, "center__region_path")))


def cameras_for(user: User) -> QuerySet[Camera]:
    qs = Camera.objects.select_related("region", "grid", "center")
    if user.is_superuser:
        return qs
    paths = sorted({m.unit.region_path for m in active_memberships(user)})
    if not paths:
        return qs.none()
    cond = Q()
    for p in paths:
        cond |= Q(region__path__startswith=p)
    return qs.filter(cond)

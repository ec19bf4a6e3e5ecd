"""Reads of the organization: a user's active memberships and the one they work in now.

Every staff page of every app finds the current membership here (the role switcher stores the
chosen one in the session under :data:`SESSION_KEY`).
"""

from __future__ import annotations

from django.http import HttpRequest

from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, User

SESSION_KEY = "fq_membership_id"
_CACHE_ATTR = "_fq_memberships"


def active_memberships(user: User, membership_id: int | None = None) -> list[Membership]:
    """The user's active memberships (only the chosen one when ``membership_id`` is given).

    Read once per user instance (the list is kept on the instance for the request)."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    memberships = getattr(user, _CACHE_ATTR, None)
    if memberships is None:
        memberships = list(
            Membership.objects.filter(user=user, is_active=True, unit__is_active=True)
            .select_related("unit", "unit__region")
            .order_by("id")
        )
        setattr(user, _CACHE_ATTR, memberships)
    if membership_id is not None:
        return [m for m in memberships if m.id == membership_id]
    return memberships


def current_membership(user: User, membership_id: int | None) -> Membership | None:
    """The membership the user works in now: the chosen one, else the first active one."""
    memberships = active_memberships(user)
    for m in memberships:
        if m.id == membership_id:
            return m
    return memberships[0] if memberships else None


def membership_of(request: HttpRequest) -> Membership | None:
    """The membership the signed-in user of this request works in now."""
    return current_membership(request.user, request.session.get(SESSION_KEY))


def roles_of(user: User) -> set[str]:
    """Every role the user holds in an active membership."""
    return {m.role for m in active_memberships(user)}


# Who manages the organization pages: directors over their center's area, admins over the
# whole deployment (as superusers do).
MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})


def may_manage(user: User) -> bool:
    """Whether the user may open the organization pages (units, people, categories, regions)."""
    return user.is_superuser or any(m.role in MANAGE_ROLES for m in active_memberships(user))


def managed_region_paths(user: User) -> list[str] | None:
    """The region paths whose units and people this user manages; None for the whole
    deployment (superusers and admins), [] for none."""
    memberships = active_memberships(user)
    if user.is_superuser or any(m.role == Role.ADMIN for m in memberships):
        return None
    return sorted(
        {
            m.unit.region_path
            for m in memberships
            if m.role == Role.DIRECTOR and m.unit.kind == UnitKind.CENTER
        }
    )

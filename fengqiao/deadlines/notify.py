"""Send notices through fengqiao.notifications when it is installed; log them otherwise."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fengqiao.notifications.services import notify
from fengqiao.org.choices import Role
from fengqiao.org.models import Unit, User

logger = logging.getLogger("fengqiao.notices")


def send(
    *,
    recipients: Iterable[User],
    title: str,
    body: str,
    link: str = "",
    kind: str,
    dedupe_key: str = "",
) -> None:
    users = list({u.pk: u for u in recipients}.values())
    notify(recipients=users, title=title, body=body, link=link, kind=kind, dedupe_key=dedupe_key)


def staff_of(units: Iterable[Unit | None], roles: Iterable[str]) -> list[User]:
    """Active users holding one of ``roles`` in one of ``units``."""
    unit_ids = [u.pk for u in units if u is not None]
    if not unit_ids:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__unit_id__in=unit_ids,
            memberships__role__in=list(roles),
            memberships__is_active=True,
        ).distinct()
    )


def case_link(case) -> str:
    return f"/cases/{case.code}/"


HANDLERS = (Role.HANDLER,)
CENTER_WATCH = (Role.DISPATCHER, Role.SUPERVISOR)
ADMINS = (Role.ADMIN,)

"""The audit trail of grid management, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from fengqiao.grid.models import AuditEntry
from fengqiao.org.models import User


def audit(
    *, actor: User | None, action: str, obj: Any, region_path: str = "", **data: Any
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "") or getattr(obj, "code", "")),
        region_path=region_path or getattr(obj, "region_path", "") or "",
        data=data,
    )

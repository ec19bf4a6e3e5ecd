"""Checks shared by participation's services."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _

from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.org.models import User
from fengqiao.participation import selectors
from fengqiao.regions.models import Region


class Throttled(Conflict):
    code = "throttled"
    http_status = 429


def clean_text(
    value: str | None, label: str, *, max_length: int, required: bool = True, field: str = ""
) -> str:
    """Stripped text, or a clear error: required, too long, or a character no database keeps."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(_("%(label)s含有非法字符。") % {"label": label}, field=field)
    if required and not value:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label}, field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": max_length}, field=field
        )
    return value


def require_manager(actor: User, region: Region) -> None:
    if not selectors.may_manage(actor, region):
        raise PermissionDenied(
            _("您没有管理%(region)s群众参与工作的权限。") % {"region": region.name}
        )


def hit(key: str, window: int) -> int:
    """Count one more hit of ``key`` in a window of ``window`` seconds; returns the count."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def count(key: str) -> int:
    return int(cache.get(key) or 0)

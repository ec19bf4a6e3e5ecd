"""Puts the unread count on every page: add
``"fengqiao.notifications.context_processors.inbox"`` to the template context processors."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fengqiao.notifications.selectors import unread_count


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {"unread_count": SimpleLazyObject(lambda: unread_count(user))}

"""Reads of the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from fengqiao.notifications.models import Message
from fengqiao.org.models import User


def unread_count(user: User) -> int:
    """How many inbox messages this user has not read (0 for anonymous users)."""
    if not user or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Message]:
    """The user's messages, newest first."""
    if not user or not user.is_authenticated:
        return Message.objects.none()
    qs = Message.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs

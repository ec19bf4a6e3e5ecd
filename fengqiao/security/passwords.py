"""Staff password policy: character classes, no reuse of recent passwords, expiry.

The validators are named in ``AUTH_PASSWORD_VALIDATORS``; Django calls ``password_changed``
of each after a user's new password is saved, which is where the history is kept.
"""

from __future__ import annotations

import datetime as dt
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.security.models import PasswordRecord

CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of: lower-case, upper-case, digits, other characters the password has."""
    chars = set(password)
    found = sum(1 for _name, members in CLASSES if chars & members)
    letters_digits = set().union(*(m for _n, m in CLASSES))
    return found + (1 if chars - letters_digits else 0)


class ComplexityValidator:
    """At least ``min_classes`` of the four kinds of character (等保: 口令复杂度)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_error_message(), code="password_too_simple")

    def get_error_message(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {
            "n": self.min_classes
        }

    def get_help_text(self) -> str:
        return self.get_error_message()


class HistoryValidator:
    """A new password may not be any of the user's last ``keep`` passwords."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def _recent(self, user) -> list[str]:
        if user is None or user.pk is None:
            return []
        hashes = list(
            PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[: self.keep]
        )
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        return hashes

    def validate(self, password: str, user=None) -> None:
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _("新密码不能与最近%(n)d次使用过的密码相同。") % {"n": self.keep},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        PasswordRecord.objects.create(user=user, password=user.password)
        stale = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordRecord.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return _("不能与最近%(n)d次使用过的密码相同。") % {"n": self.keep}


def max_age_days() -> int:
    return int(getattr(settings, "FENGQIAO_PASSWORD_MAX_AGE_DAYS", 0) or 0)


def password_set_at(user) -> dt.datetime | None:
    record = PasswordRecord.objects.filter(user=user).only("created_at").first()
    return record.created_at if record is not None else user.date_joined


def password_expired(user, *, now: dt.datetime | None = None) -> bool:
    """Whether the user's password is older than FENGQIAO_PASSWORD_MAX_AGE_DAYS (0: never)."""
    days = max_age_days()
    if not days or not user.has_usable_password():
        return False
    set_at = password_set_at(user)
    return set_at is not None and (now or timezone.now()) - set_at > dt.timedelta(days=days)

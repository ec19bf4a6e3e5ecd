"""Citizen identity: a phone verified by an SMS code (no password), linked to a place.

A code is six digits, stored only as a keyed hash, valid for :data:`CODE_TTL`, used once,
and given up after :data:`MAX_ATTEMPTS` wrong tries. Sending is throttled: one code a minute
and :data:`PER_HOUR` an hour per phone, ``IP_PER_HOUR`` per address. The SMS goes through
the notifications outbox (the site's SMS backend).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core import crypto
from fengqiao.core.errors import ValidationFailed
from fengqiao.core.validators import is_phone
from fengqiao.notifications.services import send_to_citizen
from fengqiao.participation.models import Citizen, PhoneCode
from fengqiao.participation.services.common import Throttled, count, hit
from fengqiao.regions.models import Grid, Level, Region

CODE_TTL = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
PER_HOUR = 5
IP_PER_HOUR = 20


def _mobile(phone: str) -> str:
    normalized = crypto.normalize_phone(phone or "")
    if not (is_phone(normalized) and len(normalized) == 11 and normalized.startswith("1")):
        raise ValidationFailed(_("请填写正确的11位手机号码。"), field="phone")
    return normalized


def _code_hash(phone_hash: str, code: str) -> str:
    return crypto.keyed_hash(f"{phone_hash}:{code}", kind="smscode")


def request_code(*, phone: str, ip: str = "", now: dt.datetime | None = None) -> PhoneCode:
    """Send a new code to ``phone``; throttled. Returns the code's row (the code itself only
    travels in the SMS; tests read it from the outbox)."""
    phone = _mobile(phone)
    now = now or timezone.now()
    digest = crypto.phone_hash(phone)
    last = PhoneCode.objects.filter(phone_hash=digest).order_by("-created_at").first()
    if last is not None and (now - last.created_at).total_seconds() < RESEND_SECONDS:
        raise Throttled(_("验证码已发送，请%(n)d秒后再试。") % {"n": RESEND_SECONDS}, field="phone")
    if count(f"part:code:phone:{digest}") >= PER_HOUR or count(f"part:code:ip:{ip}") >= IP_PER_HOUR:
        raise Throttled(_("获取验证码过于频繁，请一小时后再试。"), field="phone")
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = PhoneCode.objects.create(
            phone_hash=digest,
            code_hash=_code_hash(digest, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        send_to_citizen(
            phone=phone,
            text=_("【枫桥】您的验证码是%(code)s，5分钟内有效。如非本人操作请忽略。")
            % {"code": code},
            dedupe_key=f"part:code:{row.pk}",
        )
    hit(f"part:code:phone:{digest}", 3600)
    hit(f"part:code:ip:{ip}", 3600)
    if settings.DEBUG:
        row.debug_code = code  # shown on the page in development (make run), never in production
    return row


def verify_code(*, phone: str, code: str, now: dt.datetime | None = None) -> Citizen:
    """The resident of ``phone`` (created the first time) when ``code`` is its latest valid
    code; the code is used up. Wrong, expired or used codes are refused."""
    phone = _mobile(phone)
    now = now or timezone.now()
    digest = crypto.phone_hash(phone)
    code = (code or "").strip()
    # The wrong attempt is counted in its own committed statement: raising inside the
    # transaction would roll the count back.
    error = None
    resident = None
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=digest, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.expires_at <= now or row.attempts >= MAX_ATTEMPTS:
            error = _("验证码已失效，请重新获取。")
        elif not hmac.compare_digest(row.code_hash, _code_hash(digest, code)):
            PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            left = MAX_ATTEMPTS - row.attempts - 1
            error = (
                _("验证码错误次数过多，请重新获取。")
                if left <= 0
                else _("验证码不正确，还可以再试%(n)d次。") % {"n": left}
            )
        else:
            PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
            resident = resident_for_phone(phone)
            Citizen.objects.filter(pk=resident.pk).update(last_seen_at=now)
    if error is not None:
        raise ValidationFailed(error, field="code")
    return resident


def resident_for_phone(phone: str) -> Citizen:
    """The resident of a (verified) phone, created the first time."""
    phone = _mobile(phone)
    digest = crypto.phone_hash(phone)
    existing = Citizen.objects.filter(phone_hash=digest).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Citizen.objects.create(
                phone_hash=digest,
                phone_encrypted=crypto.encrypt(phone),
                phone_masked=crypto.mask_phone(phone),
            )
    except IntegrityError:
        return Citizen.objects.get(phone_hash=digest)


def set_place(
    *, resident: Citizen, region: Region | None, grid: Grid | None = None, nickname: str = ""
) -> Citizen:
    """Link the resident to their village (community) and, optionally, their grid."""
    if region is None or region.level != Level.VILLAGE:
        raise ValidationFailed(_("请选择您所在的村（社区）。"), field="region")
    if grid is not None and grid.region_id != region.pk:
        raise ValidationFailed(_("所选网格不属于该村（社区）。"), field="grid")
    nickname = (nickname or "").strip()[:32]
    resident.region = region
    resident.region_path = region.path
    resident.grid = grid
    if nickname:
        resident.nickname = nickname
    resident.save(update_fields=["region", "region_path", "grid", "nickname"])
    return resident

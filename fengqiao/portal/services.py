"""Writes of the citizen portal: submitting an appeal, throttling, rating.

Which center gets a citizen's appeal (the rule, also in docs of this module):

1. When the citizen came through a center's poster (``/p/?center=<id>``), that center —
   provided the chosen place lies inside its area (``register_case`` checks it).
2. Otherwise the *nearest* active center up the chosen region's ancestors, the region itself
   first: a village with a village center → that village center; a village without one →
   its township center; a township without one → the county center, and so on up.

There is no account: the applicant is identified by the phone number only. Submissions are
throttled per phone number and per IP address with Django's cache (counting only successful
submissions). Tracking look-ups are throttled by ``fengqiao.cases.tracking.verify_and_track``
(per address, and per code with a short growing wait; shared with the public API).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import Case
from fengqiao.core import crypto
from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.core.validators import is_phone
from fengqiao.followup.services import citizen_rate
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.regions.models import Region

# Default limits; a deployment may override them with settings.FENGQIAO_PORTAL_LIMITS.
DEFAULT_LIMITS = {
    "phone_per_day": 5,
    "ip_per_hour": 20,
}
DAY = 24 * 3600
HOUR = 3600
ANONYMOUS_NAME = "群众"  # stored data, not interface text: always Chinese
TITLE_LENGTH = 30


class Throttled(Conflict):
    code = "throttled"
    http_status = 429


def limit(name: str) -> int:
    overrides = getattr(settings, "FENGQIAO_PORTAL_LIMITS", None) or {}
    return int(overrides.get(name, DEFAULT_LIMITS[name]))


# --- which center --------------------------------------------------------------------------


def nearest_center(region: Region) -> Unit | None:
    """The active center nearest to ``region`` going up its ancestors (itself first)."""
    codes = region.ancestor_codes
    centers = {
        unit.region_id: unit
        for unit in Unit.objects.filter(
            kind=UnitKind.CENTER, is_active=True, region_id__in=codes
        ).order_by("-id")
    }
    for code in reversed(codes):
        if code in centers:
            return centers[code]
    return None


def center_for(region: Region, chosen: Unit | None = None) -> Unit:
    """The center that registers an appeal about ``region`` (see the module's rule)."""
    if chosen is not None:
        if not region.path.startswith(chosen.region_path):
            raise ValidationFailed(
                _("所选地点不在%(center)s的服务范围内，请重新选择。") % {"center": chosen.name},
                field="region",
            )
        return chosen
    center = nearest_center(region)
    if center is None:
        raise ValidationFailed(
            _("该地区暂未开通网上受理，请到当地综治中心窗口反映。"), field="region"
        )
    return center


# --- throttling ----------------------------------------------------------------------------


def _phone_key(phone: str) -> str:
    return f"portal:submit:phone:{crypto.phone_hash(phone)}"


def _ip_key(ip: str) -> str:
    return f"portal:submit:ip:{ip or 'unknown'}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def check_submission_allowed(*, phone: str, ip: str) -> None:
    """Raise :class:`Throttled` when this phone or this address has submitted too much."""
    if _count(_phone_key(phone)) >= limit("phone_per_day"):
        raise Throttled(
            _("同一手机号每天最多提交%(n)d件诉求，请明天再试；紧急情况请拨打110。")
            % {"n": limit("phone_per_day")}
        )
    if _count(_ip_key(ip)) >= limit("ip_per_hour"):
        raise Throttled(_("提交过于频繁，请一小时后再试；紧急情况请拨打110。"))


def note_submission(*, phone: str, ip: str) -> None:
    _hit(_phone_key(phone), DAY)
    _hit(_ip_key(ip), HOUR)


# --- submitting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Appeal:
    """What a citizen fills in on the portal."""

    kind: str
    description: str
    region: Region
    phone: str
    address: str = ""
    name: str = ""
    center: Unit | None = None  # chosen through a center's poster
    via_qr: bool = False


def _title(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def submit_appeal(
    *, appeal: Appeal, attachments: Sequence[UploadedFile] = (), ip: str = "", key: str = ""
) -> Case:
    """Register a citizen's appeal with its attachments, in one transaction.

    Throttled per phone and per IP; a refused attachment (size, type) rolls back the whole
    submission, so the citizen can correct it and submit again without a half-made case.
    ``key`` is the form's one-time token: the same form sent twice (a double click, a
    refresh, a retry after a timeout) gives the first case.
    """
    if not is_phone(appeal.phone):
        raise ValidationFailed(_("请填写正确的手机号码（11位）或带区号的固定电话。"), field="phone")
    check_submission_allowed(phone=appeal.phone, ip=ip)
    center = center_for(appeal.region, appeal.center)
    registration = register_appeal(
        appeal=AppealIn(
            center=center,
            channel=Channel.QR if appeal.via_qr else Channel.WEB,
            title=_title(appeal.description),
            description=appeal.description,
            kind=appeal.kind,
            region=appeal.region,
            address=appeal.address,
            parties=(
                PartyIn(
                    name=appeal.name.strip() or ANONYMOUS_NAME,
                    role=PartyRole.APPLICANT,
                    phone=appeal.phone,
                ),
            ),
        ),
        door=Door.PORTAL,
        actor=None,
        key=key,
        attachments=attachments,
    )
    if registration.created:
        note_submission(phone=appeal.phone, ip=ip)
    return registration.case


# --- rating --------------------------------------------------------------------------------


def rate_case(*, code: str, phone_last4: str, satisfaction: str, comment: str) -> Any:
    """The citizen rates a closed case (followup records the rating)."""
    return citizen_rate(
        code=code, phone_last4=phone_last4, satisfaction=satisfaction, comment=comment.strip()
    )

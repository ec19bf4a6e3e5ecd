"""Clue and hazard reports (举报求助、隐患随手拍): a resident sends text, a photo and a place;
the grid worker or the center reviews it. A useful one becomes a case (registered through
:func:`fengqiao.intake.services.register_appeal`, door ``clue``) or is marked handled; either
earns 平安积分 by the rules, unless the resident sent it anonymously.

Fraud guards: at most :data:`PER_DAY` clues a day from one phone (anonymous ones count too);
a photo whose SHA-256 matches an earlier clue's is flagged ``duplicate_photo`` and earns no
points; a phone with many clues refused before is flagged ``often_rejected``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import Case
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.org.models import Unit, User
from fengqiao.participation import selectors
from fengqiao.participation.choices import ClueKind, ClueStatus
from fengqiao.participation.models import Citizen, Clue
from fengqiao.participation.services import points
from fengqiao.participation.services.common import Throttled, clean_text
from fengqiao.regions.models import Grid, Level, Region

PER_DAY = 5
MAX_PHOTO = 8 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG": ("image/png", "png")}
REJECTED_FLAG_AT = 3
ANONYMOUS_NAME = "匿名群众"  # stored data, not interface text
TITLE_LENGTH = 30


def parse_location(lat: Any, lon: Any) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        la = Decimal(str(lat)).quantize(Decimal("0.000001"))
        lo = Decimal(str(lon)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("位置坐标无效。"), field="location") from exc
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise ValidationFailed(_("位置坐标无效。"), field="location")
    return la, lo


def _photo(upload: UploadedFile | None) -> tuple[bytes, str, str]:
    if upload is None:
        return b"", "", ""
    if upload.size > MAX_PHOTO:
        raise ValidationFailed(_("照片不能超过8MB。"), field="photo")
    data = upload.read()
    for magic, (content_type, ext) in PHOTO_TYPES.items():
        if data.startswith(magic):
            return data, content_type, ext
    raise ValidationFailed(_("照片只能是JPG或PNG格式。"), field="photo")


def _flags(sender_hash: str, photo_hash: str) -> list[str]:
    flags = []
    if photo_hash and Clue.objects.filter(photo_hash=photo_hash).exists():
        flags.append("duplicate_photo")
    rejected = Clue.objects.filter(sender_hash=sender_hash, status=ClueStatus.REJECTED).count()
    if rejected >= REJECTED_FLAG_AT:
        flags.append("often_rejected")
    return flags


def submit_clue(
    *,
    resident: Citizen,
    kind: str,
    text: str,
    region: Region | None,
    grid: Grid | None = None,
    photo: UploadedFile | None = None,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    anonymous: bool = False,
    now: dt.datetime | None = None,
) -> Clue:
    """Store a resident's clue for review; refuses bad input before writing anything."""
    if kind not in ClueKind.values:
        raise ValidationFailed(_("请选择线索类型。"), field="kind")
    text = clean_text(text, _("线索内容"), max_length=2000, field="text")
    if len(text) < 5:
        raise ValidationFailed(_("请把情况写清楚一些（至少5个字）。"), field="text")
    if region is None or region.level != Level.VILLAGE:
        raise ValidationFailed(_("请选择事情发生的村（社区）。"), field="region")
    if grid is not None and grid.region_id != region.pk:
        grid = None
    lat, lon = parse_location(latitude, longitude)
    address = clean_text(address, _("地点"), max_length=200, required=False, field="address")
    data, _type, ext = _photo(photo)
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    with transaction.atomic():
        Citizen.objects.select_for_update().filter(pk=resident.pk).first()
        sent_today = Clue.objects.filter(
            sender_hash=resident.phone_hash, created_at__gte=since
        ).count()
        if sent_today >= PER_DAY:
            raise Throttled(
                _("同一手机号每天最多提交%(n)d条线索，请明天再试；紧急情况请拨打110。")
                % {"n": PER_DAY}
            )
        photo_hash = hashlib.sha256(data).hexdigest() if data else ""
        clue = Clue(
            kind=kind,
            resident=None if anonymous else resident,
            sender_hash=resident.phone_hash,
            anonymous=anonymous,
            text=text,
            photo_hash=photo_hash,
            latitude=lat,
            longitude=lon,
            address=address,
            region=region,
            region_path=region.path,
            grid=grid,
            flags=_flags(resident.phone_hash, photo_hash),
            created_at=now,
        )
        if data:
            clue.photo.save(f"clue.{ext}", SimpleUploadedFile(f"clue.{ext}", data), save=False)
        clue.save()
    return clue


def _title(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= TITLE_LENGTH else one[: TITLE_LENGTH - 1] + "…"


def _center_for(actor: User, clue: Clue) -> Unit:
    """The reviewer's nearest center above the clue's place: the case is registered there."""
    centers = [
        u
        for u in selectors.centers_of(actor, selectors.MANAGE_ROLES)
        if clue.region_path.startswith(u.region_path)
    ]
    if not centers:
        raise PermissionDenied(_("您所在的中心不负责该地区，无法转为案件。"))
    return centers[-1]


def _register(actor: User, clue: Clue) -> Case:
    if clue.anonymous or clue.resident is None:
        party = PartyIn(name=ANONYMOUS_NAME, role=PartyRole.APPLICANT)
    else:
        r = clue.resident
        party = PartyIn(name=r.nickname or "群众", role=PartyRole.APPLICANT, phone=r.phone)
    attachments = []
    if clue.photo:
        with clue.photo.open("rb") as f:
            data = f.read()
        name = clue.photo.name.rsplit("/", 1)[-1]
        content_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        attachments.append(SimpleUploadedFile(name, data, content_type=content_type))
    appeal = AppealIn(
        center=_center_for(actor, clue),
        channel=Channel.WEB,
        title=_title(clue.text),
        description=clue.text,
        region=clue.region,
        parties=(party,),
        address=clue.address,
        latitude=clue.latitude,
        longitude=clue.longitude,
        grid=clue.grid,
        note=clue.review_note,
        extra={"clue": clue.pk, "clue_kind": clue.kind},
    )
    return register_appeal(
        appeal=appeal,
        door=Door.CLUE,
        actor=actor,
        key=f"clue:{clue.pk}",
        principal="participation",
        attachments=attachments,
    ).case


def _award_for(clue: Clue, actor: User) -> int:
    if clue.anonymous or clue.resident is None or "duplicate_photo" in clue.flags:
        return 0
    if clue.status == ClueStatus.CASE:
        code = "hazard_case" if clue.kind == ClueKind.HAZARD else "clue_case"
    else:
        code = "clue_useful"
    entry = points.award(
        resident=clue.resident,
        rule_code=code,
        key=f"clue:{clue.pk}",
        reason=f"线索被采纳：{_title(clue.text)}",  # stored data, not interface text
        actor=actor,
    )
    return entry.delta if entry is not None else 0


def review_clue(
    *, actor: User, clue: Clue, decision: str, note: str = "", now: dt.datetime | None = None
) -> Clue:
    """The reviewer's decision: ``case`` (register a case), ``useful`` (handled without a
    case) or ``rejected``. Useful clues earn points; a decision is made once."""
    if not selectors.may_review(actor, clue):
        raise PermissionDenied(_("您无权审核这条线索。"))
    if decision not in (ClueStatus.CASE, ClueStatus.USEFUL, ClueStatus.REJECTED):
        raise ValidationFailed(_("请选择审核结果。"), field="decision")
    note = clean_text(note, _("审核意见"), max_length=500, required=False, field="note")
    if decision == ClueStatus.REJECTED and not note:
        raise ValidationFailed(_("不予采纳时请写明原因。"), field="note")
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if locked.status != ClueStatus.PENDING:
            raise Conflict(_("这条线索已经审核过了。"), code="already_reviewed")
        locked.review_note = note
        if decision == ClueStatus.CASE:
            locked.case = _register(actor, locked)
        locked.status = decision
        locked.reviewed_by = actor
        locked.reviewed_at = now or timezone.now()
        if decision != ClueStatus.REJECTED:
            locked.points = _award_for(locked, actor)
        locked.save()
    return locked

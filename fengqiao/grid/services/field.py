"""What grid workers send from the field: reports, daily work logs, patrols.

A field report (:func:`submit_field_report`) is written once per (reporter, client key): the
phone page makes the key when the report is written and sends it again, with the same key,
until an answer comes back, so a report sent twice (a lost answer, a retry after the
connection came back) is found, not stored again. It becomes a case with channel 网格员上报
in the same transaction, or is resolved on the spot (网格事网格办) and stays a report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import REGISTER_ROLES
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.core.validators import is_phone
from fengqiao.grid.choices import CATEGORY_KIND, LocationCheck, ReportCategory, ReportOutcome
from fengqiao.grid.models import FieldReport, FieldReportPhoto, GridWorker, Patrol, WorkLog
from fengqiao.grid.services.audit import audit
from fengqiao.grid.services.common import clean_text
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships
from fengqiao.regions import geometry as geo
from fengqiao.regions.models import Grid, Region, RegionBoundary

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
MAX_PHOTOS = 5  # what one registration takes as attachments
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"RIFF": "image/webp"}
CASE_PHOTO_TYPES = ("image/jpeg", "image/png")  # what a case takes as attachments


@dataclass(frozen=True)
class Submitted:
    report: FieldReport
    created: bool


def register_grid_case(
    appeal: AppealIn, *, actor: User, key: str = "", photos: Sequence[UploadedFile] = ()
) -> Case:
    """The one call by which grid management registers a case: the spine's registration,
    through the grid door. ``key`` (the report's own) makes it idempotent as well."""
    return register_appeal(
        appeal=appeal,
        door=Door.GRID,
        actor=actor,
        key=key or None,
        principal=f"grid:{actor.pk}" if key else "",
        attachments=photos,
    ).case


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not KEY_RE.match(key):
        raise ValidationFailed(
            _("提交编号无效（应为8～64位字母、数字或 _.:-）。"),
            code="invalid_idempotency_key",
            field="key",
        )
    return key


def parse_location(lat: Any, lon: Any) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude as decimals, both or neither."""
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        la, lo = (
            Decimal(str(lat)).quantize(Decimal("0.000001")),
            Decimal(str(lon)).quantize(Decimal("0.000001")),
        )
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("定位的经纬度不是有效数字。"), field="location") from exc
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or not la.is_finite():
        raise ValidationFailed(_("定位的经纬度超出范围。"), field="location")
    return la, lo


def check_location(grid: Grid, lat: Decimal | None, lon: Decimal | None) -> str:
    """Where the point lies for this grid: inside, outside (flagged), or not checked.

    A point outside the grid's county (where the county has a boundary) is refused: it is a
    wrong fix, not a report from elsewhere in the county."""
    if lat is None or lon is None:
        return LocationCheck.NONE
    x, y = float(lon), float(lat)
    county_code = grid.region.county_code
    county = RegionBoundary.objects.filter(region_id=county_code).select_related("region").first()
    if county is not None and not geo.contains_point(geo.from_geojson(county.geometry), x, y):
        raise ValidationFailed(
            _(
                "定位点（经度%(lon)s，纬度%(lat)s）不在%(county)s范围内，请重新定位，或清除定位后再提交。"
            )
            % {"lon": f"{x:.6f}", "lat": f"{y:.6f}", "county": county.region.name},
            field="location",
        )
    if not grid.boundary:
        return LocationCheck.NO_BOUNDARY
    inside = geo.contains_point(geo.from_geojson(grid.boundary), x, y)
    return LocationCheck.INSIDE if inside else LocationCheck.OUTSIDE


def _photo_type(upload: UploadedFile) -> str:
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    for magic, ctype in PHOTO_TYPES.items():
        if head.startswith(magic) and (ctype != "image/webp" or head[8:12] == b"WEBP"):
            return ctype
    raise ValidationFailed(
        _("照片“%(name)s”不是JPG、PNG或WebP图片。") % {"name": (upload.name or "")[:80]},
        field="photos",
    )


def _check_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("最多上传%(n)d张照片。") % {"n": MAX_PHOTOS}, field="photos")
    out = []
    for p in photos:
        if not p.size:
            raise ValidationFailed(_("照片文件为空。"), field="photos")
        if p.size > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationFailed(
                _("照片不能超过%(mb)dMB。")
                % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
                field="photos",
            )
        out.append((p, _photo_type(p)))
    return out


def _worker_post(reporter: User, grid: Grid) -> GridWorker:
    post = GridWorker.objects.filter(grid=grid, user=reporter, is_active=True).first()
    if post is None:
        raise PermissionDenied(_("您不是该网格的网格员，不能为它上报。"))
    return post


def center_for(reporter: User, village: Region) -> Unit:
    """The center a grid case is registered at: the reporter's own center covering the
    village, else the nearest center above the village."""
    for m in active_memberships(reporter):
        covers = m.unit.kind == UnitKind.CENTER and village.path.startswith(m.unit.region_path)
        if covers and m.role in REGISTER_ROLES:
            return m.unit
    center = (
        Unit.objects.filter(
            kind=UnitKind.CENTER, is_active=True, region_id__in=village.ancestor_codes
        )
        .order_by("-region__level")
        .first()
    )
    if center is None:
        raise ValidationFailed(_("该村/社区所属地区没有综治中心，无法登记案件。"), field="grid")
    return center


def _observed(value: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if value is None or value > now + dt.timedelta(minutes=5):
        return now  # a phone clock ahead of ours: the time it reached us
    if value < now - dt.timedelta(days=30):
        raise ValidationFailed(_("发现时间早于30天前，请核对手机时间。"), field="observed_at")
    return value


def submit_field_report(
    *,
    reporter: User,
    grid: Grid,
    key: str,
    category: str,
    title: str,
    text: str,
    outcome: str = ReportOutcome.CASE,
    resolution: str = "",
    latitude: Any = None,
    longitude: Any = None,
    observed_at: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
    party_name: str = "",
    party_phone: str = "",
    now: dt.datetime | None = None,
) -> Submitted:
    """Store a field report once per (reporter, key) and make it a case or record it as
    resolved on the spot. A second submission with the same key returns the first report."""
    key = check_key(key)
    existing = FieldReport.objects.filter(reporter=reporter, client_key=key).first()
    if existing is not None:
        return Submitted(existing, False)
    now = now or timezone.now()
    post = _worker_post(reporter, grid)
    if category not in ReportCategory.values:
        raise ValidationFailed(_("请选择上报类别。"), field="category")
    if outcome not in ReportOutcome.values:
        raise ValidationFailed(_("请选择处置方式。"), field="outcome")
    title = clean_text(title, _("标题"), max_length=200, field="title")
    text = clean_text(text, _("情况描述"), max_length=5000, field="text")
    resolution = clean_text(
        resolution,
        _("处置情况"),
        max_length=2000,
        field="resolution",
        required=outcome == ReportOutcome.ON_THE_SPOT,
    )
    party_name = clean_text(party_name, _("当事人姓名"), max_length=64, required=False)
    party_phone = clean_text(party_phone, _("当事人电话"), max_length=20, required=False)
    if party_phone and not is_phone(party_phone):
        raise ValidationFailed(_("当事人电话格式不正确。"), field="party_phone")
    lat, lon = parse_location(latitude, longitude)
    check = check_location(grid, lat, lon)
    checked_photos = _check_photos(photos)
    report = FieldReport(
        grid=grid,
        region_path=grid.region_path,
        reporter=reporter,
        client_key=key,
        category=category,
        title=title,
        text=text,
        latitude=lat,
        longitude=lon,
        location_check=check,
        outcome=outcome,
        resolution=resolution,
        observed_at=_observed(observed_at, now),
    )
    try:
        with transaction.atomic():
            report.save()  # first: a concurrent twin waits here on the unique key
            if outcome == ReportOutcome.CASE:
                report.case = _register(report, post, party_name, party_phone, checked_photos, now)
                report.save(update_fields=["case"])
            _store_photos(report, checked_photos, reporter)
            audit(
                actor=reporter,
                action="grid.report",
                obj=report,
                grid=grid.code,
                outcome=outcome,
                location=check,
                case=report.case.code if report.case else "",
            )
    except IntegrityError:
        existing = FieldReport.objects.filter(reporter=reporter, client_key=key).first()
        if existing is None:
            raise
        return Submitted(existing, False)
    return Submitted(report, True)


def _register(
    report: FieldReport,
    post: GridWorker,
    party_name: str,
    party_phone: str,
    photos: list[tuple[UploadedFile, str]],
    now: dt.datetime,
) -> Case:
    grid = report.grid
    reporter = report.reporter
    note = {
        LocationCheck.OUTSIDE: _("定位不在本网格内，请核实。"),
        LocationCheck.NO_BOUNDARY: _("网格未划定边界，定位未核验。"),
    }.get(report.location_check, "")
    applicant = PartyIn(
        name=party_name or post.name or str(reporter), phone=party_phone or post.phone
    )
    appeal = AppealIn(
        center=center_for(reporter, grid.region),
        channel=Channel.GRID,
        title=report.title,
        description=report.text,
        region=grid.region,
        parties=(applicant,),
        kind=CATEGORY_KIND[report.category],
        latitude=report.latitude,
        longitude=report.longitude,
        grid=grid,
        note=note,
        extra={"field_report": report.pk, "location_check": report.location_check},
        registered_at=now,
    )
    uploads = [u for u, ctype in photos if ctype in CASE_PHOTO_TYPES]
    for u in uploads:
        u.seek(0)
    return register_grid_case(appeal, actor=reporter, key=report.client_key, photos=uploads)


def _store_photos(report: FieldReport, photos: list[tuple[UploadedFile, str]], actor: User) -> None:
    for upload, ctype in photos:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        photo = FieldReportPhoto(
            report=report, content_type=ctype, size=upload.size, sha256=digest.hexdigest()
        )
        ext = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[ctype]
        photo.file.save(f"r{report.pk}{ext}", upload, save=False)
        photo.save()


# --- work log and patrols ---------------------------------------------------------------------


@transaction.atomic
def save_work_log(
    *, worker: User, grid: Grid, day: dt.date, content: str, households_visited: int = 0
) -> WorkLog:
    """The worker's log of one day in one grid (written again the same day: replaced)."""
    _worker_post(worker, grid)
    content = clean_text(content, _("工作内容"), max_length=5000, field="content")
    if not 0 <= households_visited <= 1000:
        raise ValidationFailed(_("走访户数应在0到1000之间。"), field="households_visited")
    today = timezone.localdate()
    if day > today or day < today - dt.timedelta(days=31):
        raise ValidationFailed(_("日志日期应在最近31天内。"), field="day")
    log, _created = WorkLog.objects.update_or_create(
        worker=worker,
        grid=grid,
        day=day,
        defaults={"content": content, "households_visited": households_visited},
    )
    audit(
        actor=worker,
        action="grid.worklog",
        obj=log,
        region_path=grid.region_path,
        day=day.isoformat(),
    )
    return log


def _route(route: Any) -> tuple[dict[str, Any] | None, float]:
    if route in (None, "", {}):
        return None, 0.0
    if isinstance(route, str):
        try:
            route = json.loads(route)
        except ValueError as exc:
            raise ValidationFailed(_("巡逻路线不是有效的GeoJSON。"), field="route") from exc
    if not isinstance(route, dict) or route.get("type") != "LineString":
        raise ValidationFailed(_("巡逻路线应为GeoJSON LineString。"), field="route")
    coords = route.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2 or len(coords) > 5000:
        raise ValidationFailed(_("巡逻路线应有2到5000个点。"), field="route")
    points = []
    for c in coords:
        if not (
            isinstance(c, list) and len(c) >= 2 and all(isinstance(v, (int, float)) for v in c[:2])
        ):
            raise ValidationFailed(_("巡逻路线的坐标格式有误。"), field="route")
        lon, lat = float(c[0]), float(c[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationFailed(_("巡逻路线的坐标超出经纬度范围。"), field="route")
        points.append([round(lon, 6), round(lat, 6)])
    km = sum(_haversine(a, b) for a, b in itertools.pairwise(points))
    return {"type": "LineString", "coordinates": points}, round(km, 3)


def _haversine(a: list[float], b: list[float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def record_patrol(
    *,
    worker: User,
    grid: Grid,
    key: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    findings: str = "",
    route: Any = None,
) -> Patrol:
    """A patrol, once per (worker, key)."""
    key = check_key(key)
    existing = Patrol.objects.filter(worker=worker, client_key=key).first()
    if existing is not None:
        return existing
    _worker_post(worker, grid)
    if ended_at < started_at:
        raise ValidationFailed(_("巡逻结束时间不能早于开始时间。"), field="ended_at")
    if ended_at - started_at > dt.timedelta(hours=24):
        raise ValidationFailed(_("一次巡逻不能超过24小时。"), field="ended_at")
    if ended_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("巡逻结束时间不能晚于现在。"), field="ended_at")
    findings = clean_text(findings, _("发现情况"), max_length=5000, required=False)
    line, km = _route(route)
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                worker=worker,
                grid=grid,
                client_key=key,
                started_at=started_at,
                ended_at=ended_at,
                route=line,
                distance_km=km,
                findings=findings,
            )
            audit(actor=worker, action="grid.patrol", obj=patrol, region_path=grid.region_path)
    except IntegrityError:
        return Patrol.objects.get(worker=worker, client_key=key)
    return patrol

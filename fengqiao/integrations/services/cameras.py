"""Camera references (雪亮工程/综治视联网) and a case's citations of them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.core.errors import ValidationFailed
from fengqiao.integrations.models import Camera, CameraCitation
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import Grid, Region

MAX_WINDOW = dt.timedelta(days=7)


def register_camera(
    *,
    code: str,
    name: str,
    center: Unit,
    region: Region,
    grid: Grid | None = None,
    place: str = "",
    platform_ref: str = "",
) -> Camera:
    if not region.path.startswith(center.region_path):
        raise ValidationFailed(_("点位不在该中心的管辖范围内。"), field="region")
    if grid is not None and grid.region_id != region.code:
        raise ValidationFailed(_("网格不属于所选村/社区。"), field="grid")
    camera, _created = Camera.objects.update_or_create(
        code=code.strip(),
        defaults={
            "name": name.strip(),
            "center": center,
            "region": region,
            "grid": grid,
            "place": place,
            "platform_ref": platform_ref,
        },
    )
    return camera


@transaction.atomic
def cite_camera(
    *,
    case: Case,
    camera: Camera,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: User,
    note: str = "",
) -> CameraCitation:
    """A case cites a camera over a window (at most 7 days); an event records it."""
    if ends_at <= starts_at:
        raise ValidationFailed(_("结束时间应晚于开始时间。"), field="ends_at")
    if ends_at - starts_at > MAX_WINDOW:
        raise ValidationFailed(_("时间段不能超过7天。"), field="ends_at")
    if not camera.is_active:
        raise ValidationFailed(_("该视频点位已停用。"), field="camera")
    citation = CameraCitation.objects.create(
        case=case, camera=camera, starts_at=starts_at, ends_at=ends_at, note=note, added_by=actor
    )
    case_services.record_event(
        case=case,
        action=Action.COMMENT,
        actor=actor,
        note=_("引用视频点位 %(camera)s") % {"camera": camera},
        data={
            "camera": camera.code,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    return citation

"""Notices pushed to the residents of a grid or a village: one inbox row each on the portal,
and an SMS each through the outbox when the sender asks for it. Read counts come from the
inbox rows (:func:`mark_read` when a resident opens one)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.notifications.services import send_to_citizen
from fengqiao.org.models import User
from fengqiao.participation import selectors
from fengqiao.participation.choices import NoticeScope
from fengqiao.participation.models import Citizen, Notice, NoticeDelivery
from fengqiao.participation.services.common import clean_text, require_manager
from fengqiao.regions.models import Grid, Level, Region

SMS_LENGTH = 120
logger = logging.getLogger(__name__)


@transaction.atomic
def send_notice(
    *,
    actor: User,
    region: Region,
    title: str,
    body: str,
    grid: Grid | None = None,
    by_sms: bool = False,
    now: dt.datetime | None = None,
) -> Notice:
    if region is None or region.level != Level.VILLAGE:
        raise ValidationFailed(_("请选择通知的村（社区）。"), field="region")
    if grid is not None and grid.region_id != region.pk:
        raise ValidationFailed(_("所选网格不属于该村（社区）。"), field="grid")
    require_manager(actor, region)
    center = selectors.managing_center(actor, region)
    if center is None:
        raise PermissionDenied(_("请以该村（社区）所属综治中心的身份发布通知。"))
    notice = Notice.objects.create(
        center=center,
        scope=NoticeScope.GRID if grid else NoticeScope.VILLAGE,
        region=region,
        region_path=region.path,
        grid=grid,
        title=clean_text(title, _("标题"), max_length=120, field="title"),
        body=clean_text(body, _("内容"), max_length=2000, field="body"),
        by_sms=by_sms,
        created_by=actor,
        created_at=now or timezone.now(),
    )
    residents = Citizen.objects.filter(region=region)
    if grid is not None:
        residents = residents.filter(grid=grid)
    residents = list(residents.order_by("id"))
    NoticeDelivery.objects.bulk_create(
        [NoticeDelivery(notice=notice, resident=r) for r in residents]
    )
    notice.recipients = len(residents)
    notice.save(update_fields=["recipients"])
    if by_sms:
        transaction.on_commit(lambda: _enqueue_sms(notice.pk))
    return notice


def _enqueue_sms(notice_id: int) -> None:
    """The SMS go out from the task worker: queueing one per resident in the request costs
    seconds for a large community (bench/participation.py). If the task cannot be queued,
    they are queued here and now instead, so none is lost."""
    from fengqiao.participation.tasks import send_notice_sms  # noqa: PLC0415 - tasks imports this module

    try:
        send_notice_sms.enqueue(notice_id)
    except Exception:
        logger.exception("could not enqueue the SMS of notice %s; sending inline", notice_id)
        send_sms_for(notice_id)


def send_sms_for(notice_id: int) -> int:
    """Queue one SMS per recipient of the notice through the outbox; each is deduplicated
    per notice and resident, so running this again sends nothing twice. Returns how many."""
    notice = Notice.objects.select_related("center").get(pk=notice_id)
    text = f"【{notice.center.name}】{notice.title}：{notice.body}"
    if len(text) > SMS_LENGTH:
        text = text[: SMS_LENGTH - 1] + "…"
    count = 0
    for delivery in notice.deliveries.select_related("resident").order_by("id").iterator():
        send_to_citizen(
            phone=delivery.resident.phone,
            text=text,
            dedupe_key=f"part:notice:{notice.pk}:{delivery.resident_id}",
        )
        count += 1
    return count


def mark_read(*, resident: Citizen, notice: Notice) -> None:
    NoticeDelivery.objects.filter(notice=notice, resident=resident, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def read_count(notice: Notice) -> int:
    return notice.deliveries.filter(read_at__isnull=False).count()

"""网上议事厅 per village (community), and records of offline 说事/恳谈 meetings.

A topic moves open → voting → closed → published, each step by the village's center (or one
above it). Residents of the village comment while it is open or voting and vote once while it
is voting. A moderator hides a comment with a reason (or shows it again); every moderation
step and status change is written to :class:`ModerationLog`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.org.models import User
from fengqiao.participation import selectors
from fengqiao.participation.choices import MeetingKind, TopicStatus, VoteChoice
from fengqiao.participation.models import Citizen, Comment, Meeting, ModerationLog, Topic, Vote
from fengqiao.participation.services import points
from fengqiao.participation.services.common import clean_text, require_manager
from fengqiao.regions.models import Level, Region

NEXT = {
    TopicStatus.OPEN: TopicStatus.VOTING,
    TopicStatus.VOTING: TopicStatus.CLOSED,
}


def _village(region: Region | None) -> Region:
    if region is None or region.level != Level.VILLAGE:
        raise ValidationFailed(_("议事厅按村（社区）开设，请选择村（社区）。"), field="region")
    return region


def _log(
    topic: Topic, actor: User, action: str, reason: str = "", comment: Comment | None = None
) -> None:
    ModerationLog.objects.create(
        topic=topic,
        comment=comment,
        action=action,
        reason=reason[:200],
        actor=actor,
        created_at=timezone.now(),
    )


@transaction.atomic
def open_topic(
    *, actor: User, region: Region, title: str, body: str, now: dt.datetime | None = None
) -> Topic:
    region = _village(region)
    require_manager(actor, region)
    center = selectors.managing_center(actor, region)
    if center is None:
        raise PermissionDenied(_("请以该村（社区）所属综治中心的身份发起议题。"))
    topic = Topic.objects.create(
        center=center,
        region=region,
        region_path=region.path,
        title=clean_text(title, _("议题"), max_length=120, field="title"),
        body=clean_text(body, _("议题说明"), max_length=5000, field="body"),
        created_by=actor,
        created_at=now or timezone.now(),
    )
    _log(topic, actor, "open")
    return topic


@transaction.atomic
def advance(*, actor: User, topic: Topic) -> Topic:
    """open → voting → closed."""
    require_manager(actor, topic.region)
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    nxt = NEXT.get(locked.status)
    if nxt is None:
        raise Conflict(_("议题当前状态不能进行此操作。"), code="bad_status")
    locked.status = nxt
    if nxt == TopicStatus.VOTING:
        locked.voting_at = timezone.now()
    locked.save(update_fields=["status", "voting_at"])
    _log(locked, actor, str(nxt))
    return locked


@transaction.atomic
def publish_outcome(*, actor: User, topic: Topic, outcome: str) -> Topic:
    require_manager(actor, topic.region)
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status not in (TopicStatus.VOTING, TopicStatus.CLOSED):
        raise Conflict(_("表决开始后才能公布议事结果。"), code="bad_status")
    locked.outcome = clean_text(outcome, _("议事结果"), max_length=5000, field="outcome")
    locked.status = TopicStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["outcome", "status", "published_at"])
    _log(locked, actor, "publish")
    return locked


def _may_take_part(resident: Citizen, topic: Topic) -> None:
    if resident.region_id != topic.region_id:
        raise PermissionDenied(_("只有本村（社区）的居民可以参与这个议题。"))


def comment(
    *, resident: Citizen, topic: Topic, text: str, now: dt.datetime | None = None
) -> Comment:
    _may_take_part(resident, topic)
    if topic.status not in (TopicStatus.OPEN, TopicStatus.VOTING):
        raise Conflict(_("议题已结束，不能再发表意见。"), code="topic_closed")
    text = clean_text(text, _("意见"), max_length=1000, field="text")
    return Comment.objects.create(
        topic=topic, resident=resident, text=text, created_at=now or timezone.now()
    )


def vote(*, resident: Citizen, topic: Topic, choice: str, now: dt.datetime | None = None) -> Vote:
    """One vote per resident while the topic is voting; the vote earns the ``vote`` rule's
    points once."""
    _may_take_part(resident, topic)
    if topic.status != TopicStatus.VOTING:
        raise Conflict(_("议题当前不在表决阶段。"), code="not_voting")
    if choice not in VoteChoice.values:
        raise ValidationFailed(_("请选择赞成、反对或弃权。"), field="choice")
    try:
        with transaction.atomic():
            row = Vote.objects.create(
                topic=topic, resident=resident, choice=choice, created_at=now or timezone.now()
            )
            points.award(
                resident=resident,
                rule_code="vote",
                key=f"vote:{topic.pk}",
                reason=f"参与议事表决：{topic.title[:60]}",  # stored data
            )
    except IntegrityError as exc:
        raise Conflict(_("您已经投过票了。"), code="already_voted") from exc
    return row


@transaction.atomic
def moderate(*, actor: User, comment: Comment, hide: bool, reason: str = "") -> Comment:
    """Hide a comment (a reason is required) or show it again; logged."""
    require_manager(actor, comment.topic.region)
    reason = clean_text(reason, _("原因"), max_length=200, required=hide, field="reason")
    comment.hidden = hide
    comment.hidden_reason = reason if hide else ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    _log(comment.topic, actor, "hide" if hide else "show", reason, comment)
    return comment


def record_meeting(
    *,
    actor: User,
    region: Region,
    kind: str,
    held_on: dt.date,
    place: str,
    subject: str,
    attendance: int,
    outcome: str,
    attendees: str = "",
    topic: Topic | None = None,
) -> Meeting:
    region = _village(region)
    require_manager(actor, region)
    if kind not in MeetingKind.values:
        raise ValidationFailed(_("请选择会议形式。"), field="kind")
    try:
        attendance = int(attendance)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("请填写参加人数。"), field="attendance") from exc
    if not 1 <= attendance <= 10000:
        raise ValidationFailed(_("参加人数应在1到10000之间。"), field="attendance")
    if held_on > timezone.localdate():
        raise ValidationFailed(_("会议日期不能晚于今天。"), field="held_on")
    center = selectors.managing_center(actor, region)
    return Meeting.objects.create(
        center=center,
        region=region,
        region_path=region.path,
        kind=kind,
        held_on=held_on,
        place=clean_text(place, _("地点"), max_length=120, field="place"),
        subject=clean_text(subject, _("议题"), max_length=200, field="subject"),
        attendance=attendance,
        attendees=clean_text(attendees, _("参加人员"), max_length=2000, required=False),
        outcome=clean_text(outcome, _("结果"), max_length=5000, field="outcome"),
        topic=topic,
        created_by=actor,
    )

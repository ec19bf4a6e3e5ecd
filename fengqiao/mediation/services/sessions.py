"""Rooms and sessions: book a room (never twice for one time), schedule a round of
mediation, record who came and what came of it, and feed the outcome into the case loop:

- 调解成功 / 部分成功: the agreement (调解协议书) is drawn up; once signed the case is settled
  (SETTLE → resolved, the agreement as the result);
- 调解失败: the case is dispatched (DISPATCH → dispatched) to the handling unit or the court,
  by the center's dispatcher (the mediator proposes the unit);
- 继续调解: nothing moves; another round follows (反复调).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.actors import Actor, user_of
from fengqiao.cases.choices import Action, PartyRole, Status
from fengqiao.cases.models import Case, Party
from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.mediation import selectors
from fengqiao.mediation.choices import (
    AGREED_OUTCOMES,
    Outcome,
    ParticipantRole,
    SessionMode,
    SessionStatus,
    TransferStatus,
)
from fengqiao.mediation.models import Booking, Mediator, Participant, Room, Session, Transfer
from fengqiao.mediation.services import agreements
from fengqiao.mediation.services.common import (
    clean_text,
    event,
    require_decide,
    require_mediate,
    unit_for,
)
from fengqiao.mediation.services.requests import conflicts
from fengqiao.org.models import Unit, User

MAX_SESSION = dt.timedelta(hours=12)
MAX_AHEAD = dt.timedelta(days=366)
MAX_BEHIND = dt.timedelta(days=366)
PARTY_ROLES = {
    PartyRole.APPLICANT: ParticipantRole.APPLICANT,
    PartyRole.RESPONDENT: ParticipantRole.RESPONDENT,
    PartyRole.OTHER: ParticipantRole.OTHER,
}


def _seconds(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationFailed(_("请填写开始和结束时间。"), field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationFailed(_("时间无效。"), field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed(_("结束时间应晚于开始时间。"), field="ends_at")
    if ends_at - starts_at > MAX_SESSION:
        raise ValidationFailed(_("一次调解不能超过12小时。"), field="ends_at")
    if not now - MAX_BEHIND <= starts_at <= now + MAX_AHEAD:
        raise ValidationFailed(_("调解时间应在前后一年之内。"), field="starts_at")


@transaction.atomic
def book_room(
    *,
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: User | None,
    purpose: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Hold a room. The room's row is locked first, so two bookings of one room are checked
    one after the other and the second overlapping one is refused."""
    _check_times(starts_at, ends_at, now or timezone.now())
    room = Room.objects.select_for_update().get(pk=room.pk)
    if not room.is_active:
        raise ValidationFailed(_("该调解室已停用。"), field="room")
    clash = (
        Booking.objects.filter(
            room=room, is_cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        local = timezone.localtime
        raise Conflict(
            _("%(room)s在%(start)s至%(end)s已被预约，请换一个时间或房间。")
            % {
                "room": room.name,
                "start": f"{local(clash.starts_at):%m-%d %H:%M}",
                "end": f"{local(clash.ends_at):%H:%M}",
            },
            code="room_taken",
        )
    return Booking.objects.create(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=clean_text(purpose, _("用途"), max_length=200, required=False),
        booked_by=actor,
    )


@dataclass(frozen=True)
class ParticipantIn:
    role: str
    name: str
    party: Party | None = None
    mediator: Mediator | None = None


def _default_participants(case: Case, mediator: Mediator) -> list[ParticipantIn]:
    people = [
        ParticipantIn(role=PARTY_ROLES.get(p.role, ParticipantRole.OTHER), name=p.name, party=p)
        for p in case.parties.all()
    ]
    return [*people, ParticipantIn(ParticipantRole.MEDIATOR, mediator.name, mediator=mediator)]


def _may_mediate_now(case: Case) -> bool:
    return case.status == Status.MEDIATING or (
        case.status not in (Status.REGISTERED,)
        and Transfer.objects.filter(case=case, status=TransferStatus.ACCEPTED).exists()
    )


def _check_room(case: Case, room: Room | None) -> Room:
    if room is None:
        raise ValidationFailed(_("现场调解请选择调解室。"), field="room")
    path = room.center.region_path
    if not (case.region_path.startswith(path) or path.startswith(case.scope_path)):
        raise ValidationFailed(_("该调解室不属于负责本案的综治中心。"), field="room")
    return room


def _check_link(link: str) -> str:
    link = clean_text(link, _("线上会议链接"), max_length=300)
    if not link.startswith(("https://", "http://")):
        raise ValidationFailed(_("线上会议链接应以 https:// 开头。"), field="online_link")
    return link


@transaction.atomic
def schedule_session(
    *,
    case: Case,
    mediator: Mediator,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    mode: str,
    actor: User,
    room: Room | None = None,
    online_link: str = "",
    participants: Sequence[ParticipantIn] | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """Schedule the next round of mediation on a case. A registered case enters 先行调解
    (MEDIATE) with its first round; a case another unit transferred to mediation (对接)
    keeps its status."""
    now = now or timezone.now()
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    require_mediate(actor, case)
    if mode not in SessionMode.values:
        raise ValidationFailed(_("调解方式无效。"), field="mode")
    _check_times(starts_at, ends_at, now)
    if case.status == Status.REGISTERED:
        case = case_services.transition(
            case=case, action=Action.MEDIATE, actor=actor, note=_("安排调解"), now=now
        )
    elif not _may_mediate_now(case):
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能安排调解。") % {"status": case.get_status_display()},
            code="not_mediating",
        )
    if Session.objects.filter(case=case, status=SessionStatus.SCHEDULED).exists():
        raise Conflict(_("本案已有待进行的调解会，请先记录其结果或取消。"), code="session_open")
    reasons = conflicts(case, mediator)
    if reasons:
        raise Conflict(reasons[0], code="conflict_of_interest", reasons=reasons)
    mediator = Mediator.objects.select_for_update().select_related("center").get(pk=mediator.pk)
    if not mediator.is_active:
        raise ValidationFailed(_("该调解员不在名录中。"), field="mediator")
    if Session.objects.filter(
        mediator=mediator,
        status=SessionStatus.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists():
        raise Conflict(
            _("%(name)s这个时间已有其他调解安排。") % {"name": mediator.name}, code="mediator_busy"
        )
    booking = None
    link = ""
    if mode == SessionMode.ROOM:
        booking = book_room(
            room=_check_room(case, room),
            starts_at=starts_at,
            ends_at=ends_at,
            actor=actor,
            purpose=f"{case.code} {case.title}"[:200],
            now=now,
        )
    else:
        link = _check_link(online_link)
    previous = Session.objects.filter(case=case).aggregate(n=Max("round"))["n"] or 0
    first = Session.objects.filter(case=case).order_by("round").first()
    session = Session.objects.create(
        case=case,
        round=previous + 1,
        mediator=mediator,
        center=case.center,
        organization=mediator.organization,
        mode=mode,
        booking=booking,
        online_link=link,
        starts_at=starts_at,
        ends_at=ends_at,
        opened_at=first.opened_at if first else starts_at,
        created_by=actor,
        created_at=now,
    )
    people = participants if participants is not None else _default_participants(case, mediator)
    Participant.objects.bulk_create(
        Participant(
            session=session,
            role=p.role if p.role in ParticipantRole.values else ParticipantRole.OTHER,
            name=clean_text(p.name, _("参加人姓名"), max_length=64),
            party=p.party,
            mediator=p.mediator,
        )
        for p in people
    )
    where = booking.room.name if booking else _("线上")
    event(
        case=case,
        action=Action.MEDIATION_SESSION,
        actor=actor,
        unit=unit_for(actor, case),
        note=_("第%(round)d轮调解：%(start)s，%(where)s，调解员%(name)s")
        % {
            "round": session.round,
            "start": f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}",
            "where": where,
            "name": mediator.name,
        },
        data={"session": session.pk, "round": session.round, "mediator": mediator.pk},
    )
    return session


@transaction.atomic
def cancel_session(*, session: Session, actor: User, reason: str) -> Session:
    session = Session.objects.select_for_update().select_related("case").get(pk=session.pk)
    require_mediate(actor, session.case)
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict(_("该调解会已结束，不能取消。"), code="session_closed")
    reason = clean_text(reason, _("取消理由"), max_length=500)
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    if session.booking_id:
        Booking.objects.filter(pk=session.booking_id).update(is_cancelled=True)
    event(
        case=session.case,
        action=Action.MEDIATION_SESSION,
        actor=actor,
        unit=unit_for(actor, session.case),
        note=_("取消第%(round)d轮调解：%(reason)s") % {"round": session.round, "reason": reason},
        data={"session": session.pk, "cancelled": True},
    )
    return session


def _check_next_unit(case: Case, unit: Unit | None) -> Unit | None:
    if unit is None:
        return None
    if (
        not unit.is_active
        or not unit.region_path.startswith(case.scope_path)
        or (unit.pk == case.center_id)
    ):
        raise ValidationFailed(
            _("转办单位应为%(center)s辖区内的承办单位或人民法院。") % {"center": case.center},
            field="next_unit",
        )
    return unit


@transaction.atomic
def record_outcome(
    *,
    session: Session,
    outcome: str,
    actor: User,
    notes: str = "",
    agreement: agreements.AgreementIn | None = None,
    failure_reason: str = "",
    next_unit: Unit | None = None,
    absent: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Session:
    """Record what a round came to. 成功/部分成功 need the agreed terms (the agreement is
    drawn up for signing); 失败 needs the reason and may name the unit or court to take the
    case; a partial success may name a unit for what was not agreed."""
    now = now or timezone.now()
    session = (
        Session.objects.select_for_update().select_related("case", "mediator").get(pk=session.pk)
    )
    case = session.case
    require_mediate(actor, case)
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict(_("该调解会的结果已经记录。"), code="session_closed")
    if outcome not in Outcome.values:
        raise ValidationFailed(_("请选择调解结果。"), field="outcome")
    session.notes = clean_text(notes, _("调解笔录"), max_length=20000, required=False)
    if outcome in AGREED_OUTCOMES and agreement is None:
        raise ValidationFailed(_("调解成功时请填写协议内容。"), field="terms")
    if outcome == Outcome.FAILED:
        session.failure_reason = clean_text(failure_reason, _("未达成原因"), max_length=5000)
    if outcome in (Outcome.FAILED, Outcome.PARTIAL):
        session.next_unit = _check_next_unit(case, next_unit)
    session.status = SessionStatus.HELD
    session.outcome = outcome
    session.held_at = now
    if outcome in (Outcome.SUCCESS, Outcome.PARTIAL, Outcome.FAILED):
        session.duration_seconds = _seconds(session.opened_at, now)
    session.save()
    if absent:
        session.participants.filter(pk__in=list(absent)).update(attended=False)
    event(
        case=case,
        action=Action.MEDIATION_OUTCOME,
        actor=actor,
        unit=unit_for(actor, case),
        note=_("第%(round)d轮调解：%(outcome)s")
        % {"round": session.round, "outcome": Outcome(outcome).label}
        + (f"。{session.failure_reason}" if session.failure_reason else ""),
        data={"session": session.pk, "outcome": outcome, "next_unit": session.next_unit_id},
    )
    if outcome in AGREED_OUTCOMES:
        agreements.create_agreement(
            session=session, data=agreement, actor=actor, is_partial=outcome == Outcome.PARTIAL
        )
    if session.is_final:
        _conclude_transfers(session, now)
    if outcome == Outcome.FAILED and session.next_unit_id and selectors.may_decide(actor, case):
        dispatch_after(session=session, actor=actor)
    return session


def _conclude_transfers(session: Session, now: dt.datetime) -> None:
    """A transferred case's mediation ended: the sending unit sees the outcome."""
    for transfer in Transfer.objects.filter(case=session.case, status=TransferStatus.ACCEPTED):
        transfer.status = TransferStatus.CONCLUDED
        transfer.outcome = session.outcome
        transfer.outcome_note = session.failure_reason or session.notes[:500]
        transfer.concluded_at = now
        transfer.save(update_fields=["status", "outcome", "outcome_note", "concluded_at"])


@transaction.atomic
def dispatch_after(*, session: Session, actor: User, lead_unit: Unit | None = None) -> Case:
    """Send a case on after a failed (or partly failed) mediation: DISPATCH to the unit the
    mediator proposed, or the one the dispatcher chooses (the handling unit or the court)."""
    session = Session.objects.select_related("case", "next_unit").get(pk=session.pk)
    require_decide(actor, session.case)
    if session.outcome not in (Outcome.FAILED, Outcome.PARTIAL):
        raise Conflict(_("只有调解未成功的案件需要转办。"), code="not_failed")
    unit = lead_unit or session.next_unit
    if unit is None:
        raise ValidationFailed(_("请选择承办单位或人民法院。"), field="lead_unit")
    note = (
        _("调解未达成协议，转%(unit)s办理。") % {"unit": unit.name}
        if session.outcome == Outcome.FAILED
        else _("部分达成协议，未达成部分转%(unit)s办理。") % {"unit": unit.name}
    )
    return case_services.transition(
        case=session.case,
        action=Action.DISPATCH,
        actor=actor,
        lead_unit=unit,
        note=f"{note}{session.failure_reason}"[:5000],
    )


@transaction.atomic
def record_past_mediation(
    *,
    case: Case,
    mediator: Mediator,
    starts_at: dt.datetime,
    held_at: dt.datetime,
    outcome: str,
    actor: Actor,
    agreement: agreements.AgreementIn | None = None,
    scan: bytes = b"",
    failure_reason: str = "",
    room: Room | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """补录: enter a mediation held before it was recorded here (a paper register, a
    mediation whose case already moved on). The session is stored as held, with its
    agreement signed on paper (``scan``: the scanned signature page) for 成功/部分成功;
    the case's status is left as it is, and the event says what was entered and when it was
    held. ``actor`` is a staff user with the right to decide, or the system (a sweep actor:
    a migration of old registers, the demo)."""
    now = now or timezone.now()
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if isinstance(actor, User):
        require_decide(actor, case)
    if outcome not in (Outcome.SUCCESS, Outcome.PARTIAL, Outcome.FAILED):
        raise ValidationFailed(_("请选择调解结果。"), field="outcome")
    if not starts_at <= held_at <= now:
        raise ValidationFailed(_("补录的调解应已结束。"), field="held_at")
    if outcome in AGREED_OUTCOMES and (agreement is None or not scan):
        raise ValidationFailed(_("请填写协议内容并上传签字页扫描件。"), field="terms")
    if Session.objects.filter(case=case, status=SessionStatus.SCHEDULED).exists():
        raise Conflict(_("本案已有待进行的调解会。"), code="session_open")
    previous = Session.objects.filter(case=case).aggregate(n=Max("round"))["n"] or 0
    ends_at = min(held_at, starts_at + dt.timedelta(hours=2))
    booking = None
    if room is not None:
        try:
            with transaction.atomic():
                booking = book_room(
                    room=room,
                    starts_at=starts_at,
                    ends_at=max(ends_at, starts_at + dt.timedelta(minutes=30)),
                    actor=user_of(actor),
                    purpose=case.code,
                    now=now,
                )
        except Conflict:
            booking = None  # the room was taken then: entered without a room
    session = Session.objects.create(
        case=case,
        round=previous + 1,
        mediator=mediator,
        center=case.center,
        organization=mediator.organization,
        mode=SessionMode.ROOM if room is not None else SessionMode.ONLINE,
        booking=booking,
        starts_at=starts_at,
        ends_at=max(ends_at, starts_at + dt.timedelta(minutes=30)),
        status=SessionStatus.HELD,
        outcome=outcome,
        held_at=held_at,
        opened_at=starts_at,
        duration_seconds=_seconds(starts_at, held_at),
        failure_reason=failure_reason[:5000],
        created_by=user_of(actor),
        created_at=now,
    )
    Participant.objects.bulk_create(
        Participant(session=session, role=p.role, name=p.name, party=p.party, mediator=p.mediator)
        for p in _default_participants(case, mediator)
    )
    event(
        case=case,
        action=Action.MEDIATION_OUTCOME,
        actor=actor,
        unit=unit_for(actor, case),
        note=_("补录调解记录：%(date)s 第%(round)d轮，%(outcome)s")
        % {
            "date": f"{timezone.localtime(held_at):%Y-%m-%d}",
            "round": session.round,
            "outcome": Outcome(outcome).label,
        },
        data={"session": session.pk, "outcome": outcome, "backfill": True},
    )
    if outcome in AGREED_OUTCOMES:
        agreements.record_paper_agreement(
            session=session,
            data=agreement,
            scan=scan,
            actor=user_of(actor),
            is_partial=outcome == Outcome.PARTIAL,
            signed_at=held_at,
        )
    return session

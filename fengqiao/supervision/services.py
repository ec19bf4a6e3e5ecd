"""Writes on supervision orders (督办): issue (by hand or by the rules), reply, close. Each
also writes a case event in the same transaction; notices go out after commit."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import actor_context
from fengqiao.cases.services import record_event
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines import notify
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.org.choices import Role
from fengqiao.org.models import Unit, User
from fengqiao.supervision.choices import Grade, OrderStatus
from fengqiao.supervision.grades import grade_info
from fengqiao.supervision.models import SupervisionOrder, SupervisionReply

ISSUE_ROLES = frozenset({Role.SUPERVISOR, Role.DIRECTOR})
REPLY_ROLES = frozenset({Role.HANDLER, Role.DIRECTOR, Role.DISPATCHER})


def reply_deadline_for(grade: str, now: dt.datetime) -> dt.datetime:
    """The reply deadline of a new order of this grade: its configured working days."""
    return load_calendar().deadline_after(now, grade_info(grade).reply_days)


def supervised_unit_id(case: Case) -> int:
    """The unit an order on this case supervises: the lead unit, or the center in charge
    while no unit is assigned (an order always names a unit)."""
    return case.lead_unit_id or case.center_id


def _notify_issued(order: SupervisionOrder, grade_name: str) -> None:
    case = order.case
    recipients = notify.staff_of([order.unit or case.center], (Role.HANDLER, Role.DIRECTOR))
    if order.grade == Grade.LISTED:
        # 挂牌督办 goes to the director of the center in charge.
        recipients += notify.staff_of([case.center], (Role.DIRECTOR,))
    when = timezone.localtime(order.reply_deadline).strftime("%Y-%m-%d %H:%M")
    notify.send(
        recipients=recipients,
        title=_("%(grade)s：%(code)s") % {"grade": grade_name, "code": case.code},
        body=_("%(requirement)s（请于%(when)s前回复）")
        % {"requirement": order.requirement, "when": when},
        link=notify.case_link(case),
        kind="supervision",
        dedupe_key=f"supervision:{order.pk}",
    )


@transaction.atomic
def issue_order(
    *,
    case: Case,
    grade: str,
    requirement: str,
    reply_deadline: dt.datetime | None = None,
    actor: User | None,
    unit: Unit | None = None,
    is_automatic: bool = False,
    reason: str = "",
    auto_key: str = "",
    escalated_from: SupervisionOrder | None = None,
    now: dt.datetime | None = None,
) -> SupervisionOrder:
    """Issue a supervision order on a case, by hand (supervisor, director) or by the rules.

    ``reply_deadline`` defaults to the grade's configured working days. The unit loses the
    grade's assessment points. An automatic order with an ``auto_key`` the case already has
    raises :class:`Conflict` (code ``duplicate``): the rules never issue one twice.
    """
    now = now or timezone.now()
    if grade not in Grade.values:
        raise ValidationFailed(_("督办等级无效。"), field="grade")
    requirement = (requirement or "").strip()
    if not requirement:
        raise ValidationFailed(_("请填写督办要求。"), field="requirement")
    info = grade_info(grade)
    if reply_deadline is None:
        reply_deadline = load_calendar().deadline_after(now, info.reply_days)
    if reply_deadline <= now:
        raise ValidationFailed(_("回复期限必须晚于当前时间。"), field="reply_deadline")
    acting_unit = None
    if not is_automatic:
        if actor is None:
            raise PermissionDenied(_("请先登录。"))
        membership = actor_context(actor, case).has(ISSUE_ROLES)
        if membership is None:
            raise PermissionDenied(_("您无权督办该案件。"))
        acting_unit = membership.unit
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                case=case,
                grade=grade,
                requirement=requirement,
                unit_id=unit.pk if unit is not None else supervised_unit_id(case),
                reply_deadline=reply_deadline,
                is_automatic=is_automatic,
                reason=reason[:64],
                issued_by=actor,
                issued_at=now,
                points=info.points,
                auto_key=auto_key[:64] if is_automatic else "",
                escalated_from=escalated_from,
            )
    except IntegrityError:
        raise Conflict(_("该督办已下发。"), code="duplicate") from None
    record_event(
        case=case,
        action=Action.SUPERVISE,
        actor=actor,
        actor_kind="staff" if actor else "system",
        unit=acting_unit,
        note=requirement,
        data={"order": order.pk, "grade": grade, "automatic": is_automatic, "reason": reason},
        now=now,
    )
    transaction.on_commit(lambda: _notify_issued(order, info.name))
    return order


def issue_automatic(
    *,
    case: Case,
    grade: str,
    requirement: str,
    reason: str,
    auto_key: str,
    escalated_from: SupervisionOrder | None = None,
    now: dt.datetime | None = None,
) -> SupervisionOrder | None:
    """Issue an automatic order once per ``auto_key``; None when it was already issued."""
    try:
        return issue_order(
            case=case,
            grade=grade,
            requirement=requirement,
            actor=None,
            is_automatic=True,
            reason=reason,
            auto_key=auto_key,
            escalated_from=escalated_from,
            now=now,
        )
    except Conflict as exc:
        if exc.code == "duplicate":
            return None
        raise


@transaction.atomic
def reply_to_order(
    *, order: SupervisionOrder, actor: User, text: str, now: dt.datetime | None = None
) -> SupervisionReply:
    """The supervised unit replies (also after the reply deadline has passed)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("请填写回复内容。"), field="text")
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    case = Case.objects.get(pk=order.case_id)
    if order.status == OrderStatus.CLOSED:
        raise Conflict(_("督办单已办结，不能再回复。"), code="order_closed")
    membership = actor_context(actor, case).has(REPLY_ROLES)
    if membership is None:
        raise PermissionDenied(_("您无权回复该督办单。"))
    now = now or timezone.now()
    reply = SupervisionReply.objects.create(
        order=order, author=actor, unit=membership.unit, text=text, created_at=now
    )
    order.status = OrderStatus.REPLIED
    order.save(update_fields=["status"])
    record_event(
        case=case,
        action=Action.SUPERVISION_REPLY,
        actor=actor,
        unit=membership.unit,
        note=text,
        data={"order": order.pk},
        now=now,
    )
    recipients = [order.issued_by] if order.issued_by else []
    recipients += notify.staff_of([case.center], (Role.SUPERVISOR,))
    transaction.on_commit(
        lambda: notify.send(
            recipients=recipients,
            title=_("督办回复：%(code)s") % {"code": case.code},
            body=text,
            link=notify.case_link(case),
            kind="supervision_reply",
            dedupe_key=f"supervision_reply:{reply.pk}",
        )
    )
    return reply


@transaction.atomic
def close_order(
    *, order: SupervisionOrder, actor: User, note: str = "", now: dt.datetime | None = None
) -> SupervisionOrder:
    """The supervisor closes the order (督办办结)."""
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    case = Case.objects.get(pk=order.case_id)
    if order.status == OrderStatus.CLOSED:
        raise Conflict(_("督办单已办结。"), code="order_closed")
    membership = actor_context(actor, case).has(ISSUE_ROLES)
    if membership is None:
        raise PermissionDenied(_("您无权办结该督办单。"))
    now = now or timezone.now()
    order.status = OrderStatus.CLOSED
    order.closed_at = now
    order.closed_by = actor
    order.close_note = (note or "").strip()
    order.escalate_at = None  # a closed order is not escalated any further
    order.save(update_fields=["status", "closed_at", "closed_by", "close_note", "escalate_at"])
    record_event(
        case=case,
        action=Action.COMMENT,
        actor=actor,
        unit=membership.unit,
        note=_("督办办结：%(note)s") % {"note": order.close_note or "-"},
        data={"order": order.pk, "supervision": "closed"},
        now=now,
    )
    return order

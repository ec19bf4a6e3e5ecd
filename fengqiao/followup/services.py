"""Writes on visits back (回访): open tasks, record visits, archive or reopen, draw samples.

Outcomes (DESIGN §3.5):

- 满意 on a closed case → the case is archived (ARCHIVE with the satisfaction);
- 基本满意 / 不满意 → the case goes back to its unit (REOPEN) under an automatic
  supervision order (reason ``visit_dissatisfied``);
- not reached within ``FENGQIAO_VISIT_UNREACHED_DAYS`` → :func:`archive_unreached`;
- each month :func:`draw_monthly_sample` draws a reproducible random sample per center.

Status changes go through :func:`fengqiao.cases.services.transition` with the system actor
kind (the visitor is recorded as the event's actor): this module has already checked that
the visitor may visit the case, and visitors (receptionists, supervisors) need not hold the
roles that archive or reopen by hand.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.actors import Actor, citizen_actor, sweep_actor
from fengqiao.cases.choices import Action, PartyRole, Satisfaction, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.selectors import active_memberships, visible_cases
from fengqiao.cases.tracking import track_case
from fengqiao.core.errors import Conflict, NotFound, ValidationFailed
from fengqiao.deadlines.calendar import load_calendar
from fengqiao.followup.choices import Outcome, TaskStatus, VisitMethod
from fengqiao.followup.models import MonthlySample, Visit, VisitTask
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User
from fengqiao.supervision.services import issue_order

logger = logging.getLogger(__name__)

VISIT_ROLES = frozenset({Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR, Role.SUPERVISOR})
STAFF_METHODS = (VisitMethod.PHONE, VisitMethod.SMS, VisitMethod.IN_PERSON)


# Time limits ----------------------------------------------------------------------------


def after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th working day after ``start`` on the official calendar
    (fengqiao.deadlines)."""
    return load_calendar().deadline_after(start, days)


def visit_days() -> int:
    return int(getattr(settings, "FENGQIAO_VISIT_DAYS", 5))


def unreached_days() -> int:
    return int(getattr(settings, "FENGQIAO_VISIT_UNREACHED_DAYS", 10))


def _applicant_key(case: Case) -> str:
    """Who the visit reaches: the applicant's phone hash (the case itself if none)."""
    for party in case.parties.all():
        if party.role == PartyRole.APPLICANT and party.phone_hash:
            return party.phone_hash
    return f"case:{case.pk}"


# Tasks ----------------------------------------------------------------------------------


@transaction.atomic
def open_routine_task(
    *, case: Case, close_event: CaseEvent | None = None, now: dt.datetime | None = None
) -> VisitTask:
    """The visit task of one closing of a case (idempotent per close event)."""
    now = now or timezone.now()
    if close_event is None:
        close_event = (
            CaseEvent.objects.filter(case=case, action=Action.CLOSE).order_by("-seq").first()
        )
    if close_event is not None:
        existing = VisitTask.objects.filter(close_event_id=close_event.pk).first()
        if existing is not None:
            return existing
    start = case.closed_at or (close_event.created_at if close_event else now)
    try:
        with transaction.atomic():
            return VisitTask.objects.create(
                case=case,
                center=case.center,
                close_event_id=close_event.pk if close_event else None,
                party_key=_applicant_key(case),
                due_at=after_working_days(start, visit_days()),
                created_at=start,
            )
    except IntegrityError:  # opened concurrently by the handler and the sweep
        return VisitTask.objects.get(close_event_id=close_event.pk)


def ensure_visit_tasks(now: dt.datetime | None = None) -> int:
    """Open the missing task of every closed case (in case an after-commit handler did not
    run); returns how many were opened. Safe to call as often as wanted."""
    has_task = VisitTask.objects.filter(
        case=OuterRef("pk"), is_sample=False, created_at__gte=OuterRef("closed_at")
    )
    missing = Case.objects.filter(status=Status.CLOSED).exclude(Exists(has_task))
    count = 0
    for case in (
        missing.select_related("center").prefetch_related("parties").iterator(chunk_size=500)
    ):
        close_event = (
            CaseEvent.objects.filter(case=case, action=Action.CLOSE).order_by("-seq").first()
        )
        if close_event and VisitTask.objects.filter(close_event_id=close_event.pk).exists():
            continue
        open_routine_task(case=case, close_event=close_event, now=now)
        count += 1
    return count


def _may_visit(user: User, task: VisitTask) -> bool:
    if user.is_superuser:
        return True
    if not visible_cases(user).filter(pk=task.case_id).exists():
        return False
    return any(
        m.role in VISIT_ROLES
        and m.unit.kind == UnitKind.CENTER
        and task.center.region_path.startswith(m.unit.region_path)
        for m in active_memberships(user)
    )


def _lock_task(task: VisitTask | int) -> VisitTask:
    pk = task.pk if isinstance(task, VisitTask) else task
    locked = VisitTask.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(_("回访任务不存在。"))
    return locked


@dataclass(frozen=True)
class _Result:
    outcome: str
    task_status: str


def _reopen_under_supervision(
    *,
    case: Case,
    satisfaction: str,
    comment: str,
    actor: Actor,
    reason: str,
    task_id: int,
    now: dt.datetime,
) -> None:
    label = Satisfaction(satisfaction).label
    note = _("回访评价“%(label)s”，退回承办单位重新办理。") % {"label": label}
    if comment:
        note += _("群众意见：%(comment)s") % {"comment": comment}
    case = case_services.transition(
        case=case,
        action=Action.REOPEN,
        actor=actor,
        note=note,
        satisfaction=satisfaction,
        now=now,
    )
    _supervise(
        case=case,
        satisfaction=satisfaction,
        comment=comment,
        reason=reason,
        task_id=task_id,
        now=now,
    )


def _supervise(
    *, case: Case, satisfaction: str, comment: str, reason: str, task_id: int, now: dt.datetime
) -> None:
    """An automatic 一般督办 on the unit: reply deadline and notices as the supervision app
    configures them for the grade; one order per visit task (``auto_key``)."""
    label = Satisfaction(satisfaction).label
    requirement = _("群众回访评价为“%(label)s”，请重新办理，按期回复办理情况并答复群众。") % {
        "label": label
    }
    if comment:
        requirement += _("群众意见：%(comment)s") % {"comment": comment}
    issue_order(
        case=case,
        grade="general",
        requirement=requirement,
        actor=None,
        is_automatic=True,
        reason=reason,
        auto_key=f"followup:{task_id}",
        now=now,
    )


def _apply(
    *,
    task: VisitTask,
    satisfaction: str,
    comment: str,
    actor: Actor,
    now: dt.datetime,
) -> _Result:
    """Archive or reopen the case for a reached visit; what happened and the task's status."""
    case = Case.objects.get(pk=task.case_id)
    if case.status == Status.CLOSED:
        if satisfaction == Satisfaction.SATISFIED:
            case_services.transition(
                case=case,
                action=Action.ARCHIVE,
                actor=actor,
                satisfaction=satisfaction,
                note=comment,
                now=now,
            )
            return _Result(Outcome.ARCHIVED, TaskStatus.ARCHIVED)
        _reopen_under_supervision(
            case=case,
            satisfaction=satisfaction,
            comment=comment,
            actor=actor,
            reason="visit_dissatisfied",
            task_id=task.pk,
            now=now,
        )
        return _Result(Outcome.REOPENED, TaskStatus.DONE)
    # An independent sample visit of a case already archived (or reopened meanwhile):
    # record it; a bad rating raises supervision without touching the status.
    if satisfaction != Satisfaction.SATISFIED:
        _supervise(
            case=case,
            satisfaction=satisfaction,
            comment=comment,
            reason="sample_dissatisfied" if task.is_sample else "visit_dissatisfied",
            task_id=task.pk,
            now=now,
        )
        outcome = Outcome.SUPERVISED
    else:
        outcome = Outcome.RECORDED
    case_services.record_event(
        case=case,
        action=Action.COMMENT,
        actor=actor,
        note=_("抽样回访：%(label)s。%(comment)s")
        % {"label": Satisfaction(satisfaction).label, "comment": comment},
        data={"visit_task": task.pk, "satisfaction": satisfaction},
        now=now,
    )
    return _Result(outcome, TaskStatus.DONE)


def _close_sibling_tasks(task: VisitTask, status: str, now: dt.datetime) -> None:
    """A case archived or reopened by one visit (routine or sample) needs no other routine
    visit of the same closing (sample tasks stay: they are an independent check)."""
    VisitTask.objects.filter(
        case_id=task.case_id, status=TaskStatus.PENDING, is_sample=False
    ).exclude(pk=task.pk).update(status=status, finished_at=now)


@transaction.atomic
def record_visit(
    *,
    task: VisitTask | int,
    actor: User,
    method: str,
    reached: bool = True,
    reached_person: str = "",
    satisfaction: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
) -> Visit:
    """Record a visit back by staff (phone, SMS, in person).

    Not reached: the attempt is recorded and the task stays pending. Reached: 满意 archives
    the case; 基本满意 or 不满意 reopens it under supervision.
    """
    now = now or timezone.now()
    task = _lock_task(task)
    if not _may_visit(actor, task):
        raise NotFound(_("回访任务不存在。"))
    # An unreached task may still be visited: its case stays closed until someone is reached.
    if task.status not in (TaskStatus.PENDING, TaskStatus.UNREACHED):
        raise Conflict(
            _("该回访任务已处理（%(status)s）。") % {"status": task.get_status_display()},
            code="visit_done",
        )
    if method not in STAFF_METHODS:
        raise ValidationFailed(_("请选择回访方式（电话、短信或上门）。"), field="method")
    reached_person = (reached_person or "").strip()[:120]
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationFailed(_("群众意见不能超过2000字。"), field="comment")
    if not reached:
        visit = Visit.objects.create(
            task=task,
            case_id=task.case_id,
            method=method,
            reached=False,
            reached_person=reached_person,
            comment=comment,
            outcome=Outcome.NOT_REACHED,
            visited_by=actor,
            visited_at=now,
        )
        case_services.record_event(
            case=task.case_id,
            action=Action.COMMENT,
            actor=actor,
            note=_("回访未联系上（%(method)s）。%(comment)s")
            % {"method": VisitMethod(method).label, "comment": comment},
            data={"visit": visit.pk, "reached": False},
            now=now,
        )
        return visit
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("请选择满意度（满意、基本满意或不满意）。"), field="satisfaction")
    if not reached_person:
        raise ValidationFailed(_("请填写回访对象（联系上的人）。"), field="reached_person")
    result = _apply(
        task=task,
        satisfaction=satisfaction,
        comment=comment,
        actor=actor,
        now=now,
    )
    visit = Visit.objects.create(
        task=task,
        case_id=task.case_id,
        method=method,
        reached=True,
        reached_person=reached_person,
        satisfaction=satisfaction,
        comment=comment,
        outcome=result.outcome,
        visited_by=actor,
        visited_at=now,
    )
    task.status = result.task_status
    task.finished_at = now
    task.save(update_fields=["status", "finished_at"])
    if not task.is_sample or result.outcome in (Outcome.ARCHIVED, Outcome.REOPENED):
        _close_sibling_tasks(task, result.task_status, now)
    return visit


@transaction.atomic
def citizen_rate(
    *,
    code: str,
    phone_last4: str,
    satisfaction: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Visit:
    """The citizen rates a closed case from the portal or the public API; it counts as a
    visit by the citizen (method ``citizen_portal``) and archives or reopens the case."""

    now = now or timezone.now()
    view = track_case(code=code, phone_last4=phone_last4)  # same errors as tracking
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("请选择满意度（满意、基本满意或不满意）。"), field="satisfaction")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationFailed(_("意见不能超过2000字。"), field="comment")
    case = Case.objects.select_for_update().get(code=view.code)
    if case.status != Status.CLOSED:
        raise Conflict(
            _("该案件当前不能评价（只有已结案、待回访的案件可以评价）。"), code="not_ratable"
        )
    task = (
        VisitTask.objects.select_for_update()
        .filter(case=case, status=TaskStatus.PENDING, is_sample=False)
        .order_by("-id")
        .first()
    ) or open_routine_task(case=case, now=now)
    result = _apply(
        task=task,
        satisfaction=satisfaction,
        comment=comment,
        actor=citizen_actor("code+phone"),
        now=now,
    )
    visit = Visit.objects.create(
        task=task,
        case=case,
        method=VisitMethod.CITIZEN_PORTAL,
        reached=True,
        reached_person=_("申请人本人（网上评价）"),
        satisfaction=satisfaction,
        comment=comment,
        outcome=result.outcome,
        visited_by=None,
        visited_at=now,
    )
    task.status = result.task_status
    task.finished_at = now
    task.save(update_fields=["status", "finished_at"])
    _close_sibling_tasks(task, result.task_status, now)
    return visit


def archive_unreached(now: dt.datetime | None = None) -> dict[str, int]:
    """Close the tasks not reached within ``FENGQIAO_VISIT_UNREACHED_DAYS`` of their opening.

    A routine task's case is archived by the system when the case workflow allows it; the
    current workflow (cases.services.transition) refuses ARCHIVE without
    satisfaction="satisfied", and an unreached citizen is not a satisfied one, so the task is
    then marked ``unreached`` and the case stays closed for a person to decide.
    Returns ``{"archived": n, "unreached": m}``.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=unreached_days())
    counts = {"archived": 0, "unreached": 0}
    due = VisitTask.objects.filter(status=TaskStatus.PENDING, created_at__lte=cutoff)
    for task_id in list(due.values_list("pk", flat=True)):
        try:
            status = _archive_one_unreached(task_id, now)
        except Exception:  # one bad case must not stop the sweep
            logger.exception("archiving unreached visit task %s failed", task_id)
            continue
        if status in counts:
            counts[status] += 1
    return counts


@transaction.atomic
def _archive_one_unreached(task_id: int, now: dt.datetime) -> str:
    task = _lock_task(task_id)
    if task.status != TaskStatus.PENDING:
        return ""
    status = TaskStatus.UNREACHED
    if not task.is_sample:
        case = Case.objects.get(pk=task.case_id)
        if case.status == Status.CLOSED:
            try:
                with transaction.atomic():
                    case_services.transition(
                        case=case,
                        action=Action.ARCHIVE,
                        actor=sweep_actor("followup_sweep"),
                        note=_("超过%(days)d天未能联系上当事人，自动归档。")
                        % {"days": unreached_days()},
                        now=now,
                    )
                status = TaskStatus.ARCHIVED
            except ValidationFailed:
                status = TaskStatus.UNREACHED
    task.status = status
    task.finished_at = now
    task.save(update_fields=["status", "finished_at"])
    return status


# Monthly sample -------------------------------------------------------------------------


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(month, dt.time(), tzinfo=tz)
    days = calendar.monthrange(month.year, month.month)[1]
    return start, start + dt.timedelta(days=days)


def default_seed(center: Unit, month: dt.date) -> str:
    """A seed that anyone can recompute from the center and the month."""
    return hashlib.sha256(f"fengqiao-sample:{center.pk}:{month:%Y-%m}".encode()).hexdigest()[:16]


def pick_sample(
    candidates: Sequence[tuple[str, str]], *, size: int, seed: str, exclude: Iterable[str] = ()
) -> list[str]:
    """Draw up to ``size`` case codes from ``(code, party_key)`` pairs: shuffle in code order
    with a generator seeded by ``seed``, then take cases whose party is not yet taken.
    The same inputs always give the same draw."""
    ordered = sorted(candidates)
    random.Random(seed).shuffle(ordered)
    taken = set(exclude)
    out: list[str] = []
    for code, party in ordered:
        if len(out) >= size:
            break
        if party in taken:
            continue
        taken.add(party)
        out.append(code)
    return out


@transaction.atomic
def draw_monthly_sample(
    center: Unit,
    month: dt.date,
    size: int | None = None,
    seed: str | None = None,
    *,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> MonthlySample:
    """Draw the center's random sample of the cases it closed in ``month`` for an
    independent visit: reproducible (seeded; the default seed derives from center and
    month), never the same party (applicant phone) twice in one month across all centers'
    samples, and drawn once per center and month (a second call returns the first draw)."""
    now = now or timezone.now()
    month = month_start(month)
    size = int(size if size is not None else getattr(settings, "FENGQIAO_VISIT_SAMPLE_SIZE", 30))
    if size < 1 or size > 1000:
        raise ValidationFailed(_("抽样数量应在1到1000之间。"), field="size")
    if center.kind != UnitKind.CENTER:
        raise ValidationFailed(_("只能为综治中心抽样。"), field="center")
    existing = MonthlySample.objects.filter(center=center, month=month).first()
    if existing is not None:
        return existing
    seed = (seed or default_seed(center, month))[:64]
    start, end = _month_bounds(month)
    cases = list(
        Case.objects.filter(
            center=center,
            status__in=[Status.CLOSED, Status.ARCHIVED],
            closed_at__gte=start,
            closed_at__lt=end,
        ).prefetch_related("parties")
    )
    by_code = {case.code: case for case in cases}
    candidates = [(case.code, _applicant_key(case)) for case in cases]
    already = VisitTask.objects.filter(is_sample=True, sample__month=month).values_list(
        "party_key", flat=True
    )
    codes = pick_sample(candidates, size=size, seed=seed, exclude=already)
    try:
        with transaction.atomic():
            sample = MonthlySample.objects.create(
                center=center,
                month=month,
                seed=seed,
                size=size,
                population=len(cases),
                case_codes=codes,
                drawn_at=now,
                drawn_by=actor,
            )
    except IntegrityError:  # drawn at the same moment by another worker: keep that draw
        return MonthlySample.objects.get(center=center, month=month)
    due = after_working_days(now, visit_days())
    VisitTask.objects.bulk_create(
        VisitTask(
            case=by_code[code],
            center=center,
            is_sample=True,
            sample=sample,
            party_key=_applicant_key(by_code[code]),
            due_at=due,
            created_at=now,
        )
        for code in codes
    )
    return sample


def draw_all_samples(month: dt.date, *, now: dt.datetime | None = None) -> list[MonthlySample]:
    """Draw the sample of every active center that closed cases in ``month``."""
    month = month_start(month)
    start, end = _month_bounds(month)
    closed_there = Case.objects.filter(
        status__in=[Status.CLOSED, Status.ARCHIVED], closed_at__gte=start, closed_at__lt=end
    ).values("center_id")
    centers = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True, pk__in=closed_there)
    return [draw_monthly_sample(center, month, now=now) for center in centers.order_by("pk")]


def draw_previous_month_samples(now: dt.datetime | None = None) -> list[MonthlySample]:
    """Draw every center's sample of the month before ``now`` (local time); the draws
    already made are returned as they are."""
    now = now or timezone.now()
    previous = month_start(timezone.localtime(now).date()) - dt.timedelta(days=1)
    return draw_all_samples(month_start(previous), now=now)


@transaction.atomic
def settle_tasks_after(event: CaseEvent) -> int:
    """A case archived or reopened by hand (not through a visit) needs no routine visit of
    that closing any more: its pending routine tasks are closed; returns how many."""
    if event.action not in (Action.ARCHIVE, Action.REOPEN):
        return 0
    status = TaskStatus.ARCHIVED if event.action == Action.ARCHIVE else TaskStatus.DONE
    return VisitTask.objects.filter(
        case_id=event.case_id, status=TaskStatus.PENDING, is_sample=False
    ).update(status=status, finished_at=event.created_at)

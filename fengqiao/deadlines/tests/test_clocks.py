"""Deadlines at dispatch, pausing, extensions and the sweep (warnings, overdue, idempotency)."""

import datetime as dt

import pytest

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines.choices import ExtensionStatus, Stage, TimerKind
from fengqiao.deadlines.models import CaseTimer, TimeLimitRule, TimerStage
from fengqiao.deadlines.selectors import (
    case_clocks,
    deadline_counts,
    extension_requests,
    nearing_limit_cases,
    overdue_cases,
    with_clock,
)
from fengqiao.deadlines.services import (
    decide_extension,
    pause_clock,
    request_extension,
    resume_clock,
    sweep_deadlines,
)
from fengqiao.notifications.models import Message

from .helpers import cst, local, parallel, postgres_only

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = cst(2026, 11, 2, 10)  # dispatched here: 10 working days end on Monday 16 Nov


def handling_case(world, commits, now=MONDAY, **kw):
    with commits():
        return world.register(status=Status.HANDLING, now=now, **kw)


def resolve_timer(case) -> CaseTimer:
    return CaseTimer.objects.get(case=case, kind=TimerKind.RESOLVE)


def test_dispatch_sets_working_day_deadlines_across_national_day(world, commits):
    with commits():
        case = world.register(status=Status.DISPATCHED, now=cst(2026, 9, 30, 10))
    assert local(case.sign_deadline).date() == D(2026, 10, 8)
    assert local(case.deadline).date() == D(2026, 10, 20)  # 10 Oct (Sat) is a working day
    event = case.events.get(action=Action.DISPATCH)
    assert "deadline_note" not in event.data
    timers = {t.kind: t for t in CaseTimer.objects.filter(case=case)}
    assert set(timers) == {TimerKind.SIGN, TimerKind.RESOLVE}
    assert timers[TimerKind.RESOLVE].deadline == case.deadline


def test_rules_by_kind_and_risk(world, commits):
    with commits():
        red = world.register(status=Status.DISPATCHED, now=MONDAY, risk_level="red")
    assert local(red.deadline).date() == D(2026, 12, 14)  # 30 working days
    TimeLimitRule.objects.filter(kind="dispute", risk_level="blue").update(resolve_days=3)
    with commits():
        # Another applicant: the first one's second appeal would be graded a repeat (yellow).
        blue = world.register(status=Status.DISPATCHED, now=MONDAY, phone="13800000002")
    assert blue.risk_level == "blue"
    assert local(blue.deadline).date() == D(2026, 11, 5)


def test_deadline_in_2027_without_schedule_says_so_everywhere(world, commits):
    with commits():
        case = world.register(status=Status.DISPATCHED, now=cst(2026, 12, 28, 10))
    assert local(case.deadline).date() == D(2027, 1, 11)  # 1 Jan 2027 counted as a workday
    note = "2027年节假日未录入，按周一至周五计算"
    assert case.events.get(action=Action.DISPATCH).data["deadline_note"] == note
    assert resolve_timer(case).note == note
    assert with_clock(Case.objects.filter(pk=case.pk)).get().clock_note == note


def test_sweep_warns_at_75_percent_then_marks_overdue_once(world, commits):
    case = handling_case(world, commits)
    assert local(case.deadline).date() == D(2026, 11, 16)
    with commits():
        assert sweep_deadlines(now=cst(2026, 11, 9, 10)).checked == 0  # too early
        result = sweep_deadlines(now=cst(2026, 11, 13, 12))
    assert result.reached == {"resolve:warned": 1}
    assert list(nearing_limit_cases(world.justice_handler)) == [case]
    assert (
        Message.objects.filter(recipient=world.justice_handler, kind="deadline_warning").count()
        == 1
    )

    with commits():
        result = sweep_deadlines(now=cst(2026, 11, 17, 9))
        again = sweep_deadlines(now=cst(2026, 11, 17, 9, 5))
    assert result.reached == {"resolve:overdue": 1}
    assert again.checked == 0 and not again.reached
    case.refresh_from_db()
    assert case.is_overdue
    assert list(overdue_cases(world.dispatcher)) == [case]
    assert deadline_counts(world.justice_handler) == {"nearing": 0, "overdue": 1}
    assert case.events.filter(action=Action.UPDATE, data__changes__is_overdue__to=True).count() == 1
    assert (
        Message.objects.filter(kind="deadline_overdue", recipient=world.justice_handler).count()
        == 1
    )
    assert Message.objects.filter(kind="deadline_overdue", recipient=world.dispatcher).count() == 1
    # Scope: a dispatcher of another county does not see it.
    assert deadline_counts(world.other_dispatcher) == {"nearing": 0, "overdue": 0}


def test_a_late_sweep_records_every_milestone_but_sends_only_the_latest(world, commits):
    case = handling_case(world, commits)
    with commits():
        sweep_deadlines(now=cst(2026, 11, 17, 9))
    assert set(TimerStage.objects.filter(case=case).values_list("stage", flat=True)) == {
        Stage.WARNED,
        Stage.OVERDUE,
    }
    assert not Message.objects.filter(kind="deadline_warning").exists()
    assert Message.objects.filter(kind="deadline_overdue").exists()


def test_unsigned_case_gets_a_sign_overdue_notice(world, commits):
    with commits():
        world.register(status=Status.DISPATCHED, now=MONDAY)
    with commits():
        result = sweep_deadlines(now=cst(2026, 11, 4, 9))
    assert result.reached["sign:overdue"] == 1
    assert Message.objects.filter(kind="sign_overdue", recipient=world.justice_handler).exists()


def test_resolving_stops_the_clock(world, commits):
    case = handling_case(world, commits)
    with commits():
        case_services.transition(
            case=case,
            action=Action.RESOLVE,
            actor=world.justice_handler,
            result="已调解",
            now=cst(2026, 11, 5),
        )
    assert resolve_timer(case).next_check_at is None
    assert sweep_deadlines(now=cst(2026, 11, 30)).checked == 0


def test_pause_while_waiting_for_the_citizen_and_resume(world, commits):
    case = handling_case(world, commits)
    with pytest.raises(ValidationFailed):
        pause_clock(case=case, actor=world.justice_handler, reason="  ")
    with pytest.raises(PermissionDenied):
        pause_clock(case=case, actor=world.police_handler, reason="补充材料")
    with commits():
        pause_clock(
            case=case,
            actor=world.justice_handler,
            reason="等待当事人补充材料",
            now=cst(2026, 11, 4, 10),
        )
    with pytest.raises(Conflict):
        pause_clock(case=case, actor=world.justice_handler, reason="again")
    clock = case_clocks(case)[0]
    assert clock.paused_since is not None and clock.pause_reason == "等待当事人补充材料"
    # Paused: nothing happens even long after the deadline.
    assert sweep_deadlines(now=cst(2026, 11, 20)).checked == 0
    with commits():
        resume_clock(case=case, actor=world.justice_handler, now=cst(2026, 11, 6, 10))
    case.refresh_from_db()
    # Two working days paused (Wed 10:00 → Fri 10:00): the deadline moves from 16 to 18 Nov.
    assert local(case.deadline).date() == D(2026, 11, 18)
    assert resolve_timer(case).paused_seconds == 2 * 86400
    notes = list(
        case.events.filter(action__in=[Action.COMMENT, Action.UPDATE]).values_list(
            "note", flat=True
        )
    )
    assert any("等待当事人补充材料" in n for n in notes)
    assert any("恢复计时" in n for n in notes)
    with commits():
        assert not sweep_deadlines(now=cst(2026, 11, 17, 9)).reached.get("resolve:overdue")
        assert sweep_deadlines(now=cst(2026, 11, 19, 9)).reached["resolve:overdue"] == 1


def test_extension_request_approved_moves_the_deadline_and_stays_in_history(world, commits):
    case = handling_case(world, commits)
    with commits():
        sweep_deadlines(now=cst(2026, 11, 17, 9))  # overdue
    with pytest.raises(PermissionDenied):
        request_extension(case=case, actor=world.dispatcher, days=5, reason="x")
    with pytest.raises(ValidationFailed):
        request_extension(case=case, actor=world.justice_handler, days=50, reason="需要鉴定")
    with commits():
        req = request_extension(
            case=case,
            actor=world.justice_handler,
            days=5,
            reason="需等待伤情鉴定结果",
            now=cst(2026, 11, 17, 10),
        )
    assert list(extension_requests(world.dispatcher)) == [req]
    assert Message.objects.filter(kind="extension_requested", recipient=world.dispatcher).exists()
    with pytest.raises(PermissionDenied):
        decide_extension(request=req, actor=world.justice_handler, approve=True)
    with commits():
        decide_extension(
            request=req,
            actor=world.dispatcher,
            approve=True,
            note="同意",
            now=cst(2026, 11, 17, 11),
        )
    req.refresh_from_db()
    case.refresh_from_db()
    assert req.status == ExtensionStatus.APPROVED
    assert local(req.old_deadline).date() == D(2026, 11, 16)
    assert local(req.new_deadline).date() == D(2026, 11, 23)
    assert case.deadline == req.new_deadline and not case.is_overdue
    history = list(case.events.values_list("action", "note"))
    assert any("需等待伤情鉴定结果" in n for a, n in history if a == Action.COMMENT)
    assert any("批准延期5天" in n for a, n in history if a == Action.UPDATE)
    # Only one extension is allowed by the default rule.
    with pytest.raises(Conflict):
        request_extension(case=case, actor=world.justice_handler, days=2, reason="再延")
    # The new deadline is watched: overdue again after 23 Nov (a new period).
    with commits():
        assert sweep_deadlines(now=cst(2026, 11, 24, 9)).reached["resolve:overdue"] == 1
    assert resolve_timer(case).period == 2


def test_extension_refused_needs_a_reason_and_keeps_the_deadline(world, commits):
    case = handling_case(world, commits)
    req = request_extension(case=case, actor=world.justice_handler, days=3, reason="人手不足")
    with pytest.raises(ValidationFailed):
        decide_extension(request=req, actor=world.director, approve=False)
    req = decide_extension(request=req, actor=world.director, approve=False, note="理由不充分")
    case.refresh_from_db()
    assert local(case.deadline).date() == D(2026, 11, 16)
    assert req.status == ExtensionStatus.REFUSED
    assert case.events.filter(note__contains="不予延期").exists()
    with pytest.raises(Conflict):
        decide_extension(request=req, actor=world.director, approve=True)


def test_reopened_case_gets_a_new_handling_period(world, commits):
    with commits():
        case = world.register(status=Status.CLOSED, now=MONDAY)
    assert CaseTimer.objects.get(case=case, kind=TimerKind.VISIT).is_running
    with commits():
        case_services.transition(
            case=case,
            action=Action.REOPEN,
            actor=world.director,
            note="群众不满意",
            now=cst(2026, 11, 23, 10),
        )
    case.refresh_from_db()
    assert local(case.deadline).date() == D(2026, 12, 7)
    timer = resolve_timer(case)
    assert timer.period == 2 and timer.is_running
    assert not CaseTimer.objects.get(case=case, kind=TimerKind.VISIT).is_running


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_nothing_twice(world):
    cases = [world.register(status=Status.HANDLING, now=MONDAY, title=f"并发{i}") for i in range(6)]
    results, errors = parallel(4, lambda i: sweep_deadlines(now=cst(2026, 11, 17, 9)))
    assert errors == []
    assert sum(r.reached["resolve:overdue"] for r in results) == 6
    assert TimerStage.objects.filter(stage=Stage.OVERDUE).count() == 6
    for case in cases:
        assert CaseEvent.objects.filter(case=case, data__changes__is_overdue__to=True).count() == 1
    assert (
        Message.objects.filter(kind="deadline_overdue", recipient=world.justice_handler).count()
        == 6
    )


def test_a_deadline_set_by_hand_is_followed_by_the_clock(world, commits):
    case = handling_case(world, commits)
    with commits():
        sweep_deadlines(now=cst(2026, 11, 17, 9))
    new_deadline = cst(2026, 11, 30, 18)
    with commits():
        case_services.update_case(
            case=case,
            changes={"deadline": new_deadline},
            actor=world.dispatcher,
            note="联席会议决定延长办理期限",
        )
    case.refresh_from_db()
    timer = resolve_timer(case)
    assert timer.deadline == new_deadline and timer.period == 2
    assert not case.is_overdue
    with commits():
        assert sweep_deadlines(now=cst(2026, 11, 30, 19)).reached["resolve:overdue"] == 1

"""Red cases in handling report progress every N working days (report_every_days): the
clock starts at the first response (签收), each report restarts it, the handler is warned on
the day a report is due and the center told when it is overdue."""

import datetime as dt

import pytest

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines.choices import Stage, TimerKind
from fengqiao.deadlines.models import CaseTimer, TimeLimitRule, TimerStage
from fengqiao.deadlines.services import (
    DayInput,
    enter_calendar_year,
    report_progress,
    sweep_deadlines,
)
from fengqiao.notifications.models import Message

from .helpers import cst, local

pytestmark = pytest.mark.django_db
MONDAY = cst(2026, 11, 2, 10)  # signed here: 5 working days later is Monday 9 Nov


def red_case(world, commits, **kw):
    with commits():
        return world.register(status=Status.HANDLING, now=MONDAY, risk_level="red", **kw)


def report_clock(case):
    return CaseTimer.objects.get(case=case, kind=TimerKind.REPORT)


def sweep(commits, now):
    with commits():
        return sweep_deadlines(now=now)


def messages(kind, user):
    return Message.objects.filter(kind=kind, recipient=user).count()


def test_red_case_is_warned_when_a_report_is_due_then_flagged_when_overdue(world, commits):
    case = red_case(world, commits)
    clock = report_clock(case)
    assert local(clock.started_at) == MONDAY  # the first response
    assert local(clock.warn_at) == cst(2026, 11, 9, 8)
    assert local(clock.deadline).date() == dt.date(2026, 11, 9)
    sweep(commits, cst(2026, 11, 6, 18))
    assert messages("report_due", world.justice_handler) == 0
    sweep(commits, cst(2026, 11, 9, 9))
    assert messages("report_due", world.justice_handler) == 1
    assert messages("report_overdue", world.justice_handler) == 0
    sweep(commits, cst(2026, 11, 10, 9))
    assert messages("report_overdue", world.justice_handler) == 1
    assert messages("report_overdue", world.dispatcher) == 1  # the center hears of it
    stage = TimerStage.objects.get(timer=clock, stage=Stage.OVERDUE)
    assert stage.awaiting_followup  # for supervision
    case.refresh_from_db()
    assert not case.is_overdue  # a missed report is not an overdue case


def test_each_report_starts_the_next_interval_on_working_days(world, commits):
    case = red_case(world, commits)
    with commits():
        event = report_progress(
            case=case,
            actor=world.justice_handler,
            text="已约谈双方，稳控到位",
            now=cst(2026, 11, 6),
        )
    assert event.action == Action.PROGRESS_REPORT and event.unit == world.justice
    clock = report_clock(case)
    assert clock.period == 2
    assert local(clock.deadline).date() == dt.date(2026, 11, 13)  # Fri 6 + 5 working days
    sweep(commits, cst(2026, 11, 10, 9))
    assert messages("report_overdue", world.justice_handler) == 0
    assert case.events.filter(action=Action.PROGRESS_REPORT).get().note == "已约谈双方，稳控到位"


def test_holidays_do_not_count(world, commits):
    enter_calendar_year(
        year=2026,
        days=[DayInput(dt.date(2026, 11, d), "holiday", "测试假日") for d in (4, 5, 6)],
        actor=None,
    )
    case = red_case(world, commits)
    assert local(report_clock(case).deadline).date() == dt.date(2026, 11, 12)


def test_no_report_clock_for_other_cases_or_without_an_interval(world, commits):
    with commits():
        blue = world.register(status=Status.HANDLING, now=MONDAY)
    assert not CaseTimer.objects.filter(case=blue, kind=TimerKind.REPORT).exists()
    TimeLimitRule.objects.filter(risk_level="red").update(report_every_days=None)
    red = red_case(world, commits)
    assert not CaseTimer.objects.filter(case=red, kind=TimerKind.REPORT, is_running=True).exists()


def test_report_clock_stops_when_resolved_or_no_longer_red(world, commits):
    case = red_case(world, commits)
    with commits():
        case = case_services.update_case(
            case=case, changes={"risk_level": "yellow"}, actor=world.director, now=cst(2026, 11, 3)
        )
    assert not report_clock(case).is_running
    with commits():
        case = case_services.update_case(
            case=case, changes={"risk_level": "red"}, actor=world.director, now=cst(2026, 11, 4)
        )
    clock = report_clock(case)
    assert clock.is_running and clock.period == 2  # red again: a new interval from now
    with commits():
        case_services.transition(
            case=case,
            action=Action.RESOLVE,
            actor=world.justice_handler,
            result="已化解",
            now=cst(2026, 11, 5),
        )
    assert not report_clock(case).is_running
    sweep(commits, cst(2026, 11, 20, 9))
    assert messages("report_due", world.justice_handler) == 0


def test_only_the_lead_handler_reports_and_only_in_handling(world, commits):
    case = red_case(world, commits)
    with pytest.raises(PermissionDenied):
        report_progress(case=case, actor=world.police_handler, text="进展")
    for bad in ("", "   ", "含\x00字符", "长" * 2001):
        with pytest.raises(ValidationFailed):
            report_progress(case=case, actor=world.justice_handler, text=bad)
    with commits():
        dispatched = world.register(status=Status.DISPATCHED, now=MONDAY, risk_level="red")
    with pytest.raises(Conflict):
        report_progress(case=dispatched, actor=world.justice_handler, text="进展")

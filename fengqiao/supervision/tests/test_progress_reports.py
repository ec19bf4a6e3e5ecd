"""A red case in handling that misses its progress report is supervised automatically, one
grade per further interval without a report; a report stops the climb."""

import pytest

from fengqiao.cases.choices import Status
from fengqiao.deadlines.services import report_progress, sweep_deadlines
from fengqiao.deadlines.tests.helpers import cst
from fengqiao.supervision.choices import Grade
from fengqiao.supervision.rules import sweep_supervision
from fengqiao.supervision.services import reply_to_order

pytestmark = pytest.mark.django_db
MONDAY = cst(2026, 11, 2, 10)  # signed: the first report is due on Monday 9 Nov


def sweep(commits, now):
    with commits():
        sweep_deadlines(now=now)
        return sweep_supervision(now=now)


def red_case(world, commits):
    with commits():
        return world.register(status=Status.HANDLING, now=MONDAY, risk_level="red")


def test_missed_report_is_supervised_then_escalated_one_grade(world, commits):
    case = red_case(world, commits)
    assert not sweep(commits, cst(2026, 11, 9, 9)).issued  # due today: a warning only
    sweep(commits, cst(2026, 11, 10, 9))
    order = case.supervision_orders.get()
    assert (order.grade, order.auto_key, order.unit) == (Grade.GENERAL, "report:1:general",
                                                          world.justice)  # fmt: skip
    assert "报告办理进展" in order.requirement
    reply_to_order(order=order, actor=world.justice_handler, text="收到", now=cst(2026, 11, 10, 10))
    assert not sweep(commits, cst(2026, 11, 16, 9)).issued  # not an interval yet
    sweep(commits, cst(2026, 11, 18, 9))  # still no report five working days on
    assert list(case.supervision_orders.values_list("grade", flat=True).order_by("id")) == [
        Grade.GENERAL,
        Grade.KEY,
    ]


def test_a_report_stops_the_climb(world, commits):
    case = red_case(world, commits)
    sweep(commits, cst(2026, 11, 10, 9))
    order = case.supervision_orders.get()
    reply_to_order(order=order, actor=world.justice_handler, text="收到", now=cst(2026, 11, 10, 10))
    with commits():
        report_progress(
            case=case, actor=world.justice_handler, text="已稳控", now=cst(2026, 11, 10, 11)
        )
    sweep(commits, cst(2026, 11, 18, 9))
    # The first missed report climbs no further; the next one (due 17 Nov) was missed too,
    # while the case was still under supervision for the first: one grade up.
    assert list(case.supervision_orders.order_by("id").values_list("grade", "auto_key")) == [
        (Grade.GENERAL, "report:1:general"),
        (Grade.KEY, "report:2:key"),
    ]


def test_reporting_on_time_is_never_supervised(world, commits):
    case = red_case(world, commits)
    for day in (6, 13, 20, 27):
        with commits():
            report_progress(case=case, actor=world.justice_handler, text=f"{day}日进展",
                            now=cst(2026, 11, day, 16))  # fmt: skip
        sweep(commits, cst(2026, 11, day + 1, 9))
    assert not case.supervision_orders.exists()


def test_a_red_case_overdue_on_its_limit_is_not_supervised_twice(world, commits):
    case = red_case(world, commits)
    sweep(commits, cst(2026, 12, 15, 9))  # no report for six weeks, and 30 working days gone
    assert list(case.supervision_orders.values_list("grade", "auto_key")) == [
        (Grade.KEY, "deadline:1:key")
    ]

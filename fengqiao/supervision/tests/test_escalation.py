"""Grades climb one step per elapsed interval: a case first seen long overdue (a late sweep,
a bulk load) gets 一般督办 only, and 重点 / 挂牌 each wait for their own interval; every
order names the unit it supervises."""

import datetime as dt
import itertools
from importlib import import_module

import pytest
from django.db import connection

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.deadlines.services import sweep_deadlines
from fengqiao.deadlines.tests.helpers import cst, local
from fengqiao.supervision.choices import Grade, OrderStatus
from fengqiao.supervision.models import SupervisionOrder
from fengqiao.supervision.rules import sweep_supervision
from fengqiao.supervision.services import close_order, issue_order, reply_to_order

pytestmark = pytest.mark.django_db
MONDAY = cst(2026, 11, 2, 10)  # deadline: end of Monday 16 Nov (10 working days)


def sweep(commits, now):
    with commits():
        sweep_deadlines(now=now)
        return sweep_supervision(now=now)


def grades(case):
    return list(case.supervision_orders.order_by("issued_at", "id").values_list("grade", flat=True))


def reply_all(world, case, when):
    for order in case.supervision_orders.filter(status=OrderStatus.OPEN):
        reply_to_order(order=order, actor=world.justice_handler, text="正在办理", now=when)


def test_case_first_seen_long_overdue_gets_one_grade_at_a_time(world, commits):
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    # First sweep a month late: past "overdue by half" and "overdue by a whole limit".
    late = cst(2026, 12, 10, 9)
    result = sweep(commits, late)
    assert grades(case) == [Grade.GENERAL]
    assert result.issued == {Grade.GENERAL: 1}
    general = case.supervision_orders.get()
    # The next grade waits half the limit (five and a half working days) from this order.
    assert local(general.escalate_at).date() == dt.date(2026, 12, 17)
    reply_all(world, case, cst(2026, 12, 10, 11))
    assert not sweep(commits, cst(2026, 12, 10, 9, 5)).issued
    minute = dt.timedelta(minutes=1)
    assert not sweep(commits, general.escalate_at - minute).issued  # not yet an interval
    assert grades(case) == [Grade.GENERAL]
    sweep(commits, general.escalate_at + minute)
    assert grades(case) == [Grade.GENERAL, Grade.KEY]
    key = case.supervision_orders.get(grade=Grade.KEY)
    assert key.escalated_from == general and key.is_automatic
    assert local(key.escalate_at).date() == dt.date(2026, 12, 24)
    reply_all(world, case, general.escalate_at + 2 * minute)
    assert not sweep(commits, key.escalate_at - minute).issued
    sweep(commits, key.escalate_at + minute)
    assert grades(case) == [Grade.GENERAL, Grade.KEY, Grade.LISTED]
    issued = list(case.supervision_orders.order_by("issued_at").values_list("issued_at", flat=True))
    assert all(b - a >= dt.timedelta(days=5) for a, b in itertools.pairwise(issued))
    # 挂牌 is the top: nothing more, however long it stays overdue.
    reply_all(world, case, cst(2026, 12, 24, 11))
    assert not sweep(commits, cst(2027, 2, 1, 9)).issued


def test_no_further_grade_once_the_case_is_resolved(world, commits):
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    sweep(commits, cst(2026, 11, 17, 9))
    reply_all(world, case, cst(2026, 11, 17, 10))
    with commits():
        case_services.transition(
            case=case,
            action=Action.RESOLVE,
            actor=world.justice_handler,
            result="已调解",
            now=cst(2026, 11, 18, 10),
        )
    assert not sweep(commits, cst(2026, 12, 10, 9)).issued
    assert grades(case) == [Grade.GENERAL]


def test_closing_an_order_stops_its_ladder(world, commits):
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    sweep(commits, cst(2026, 11, 17, 9))
    close_order(order=case.supervision_orders.get(), actor=world.supervisor, note="已约谈")
    assert not sweep(commits, cst(2026, 12, 10, 9)).issued


def test_reply_escalation_and_ladder_never_issue_the_same_grade_twice(world, commits):
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    sweep(commits, cst(2026, 11, 17, 9))  # 一般, reply due 20 Nov
    sweep(commits, cst(2026, 11, 21, 9))  # no reply: 重点 by the reply rule
    assert grades(case) == [Grade.GENERAL, Grade.KEY]
    reply_all(world, case, cst(2026, 11, 21, 10))
    # The ladder's 重点 was due on 24 Nov: the case has it; 挂牌 waits an interval after it.
    assert not sweep(commits, cst(2026, 11, 25, 9)).issued
    sweep(commits, cst(2026, 12, 2, 9))
    assert grades(case) == [Grade.GENERAL, Grade.KEY, Grade.LISTED]


def test_a_case_already_supervised_climbs_from_its_grade_once(world, commits):
    """As in the demo: an order after a visit, never answered, on a case now long overdue."""
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    issue_order(case=case, grade=Grade.GENERAL, requirement="回访不满意，请重新办理",
                actor=world.supervisor, now=cst(2026, 11, 3))  # fmt: skip
    result = sweep(commits, cst(2026, 12, 10, 9))
    # One order, one grade up: not a deadline 一般 beside the reply's 重点.
    assert grades(case) == [Grade.GENERAL, Grade.KEY]
    assert result.issued == {Grade.KEY: 1}
    sweep(commits, cst(2026, 12, 10, 9, 5))
    assert grades(case) == [Grade.GENERAL, Grade.KEY]


def test_a_recent_order_makes_the_overdue_grade_wait_an_interval(world, commits):
    with commits():
        case = world.register(status=Status.HANDLING, now=MONDAY)
    manual = issue_order(case=case, grade=Grade.GENERAL, requirement="请加快办理",
                         actor=world.supervisor, now=cst(2026, 11, 16, 10))  # fmt: skip
    reply_to_order(
        order=manual, actor=world.justice_handler, text="正在办", now=cst(2026, 11, 16, 11)
    )
    assert not sweep(commits, cst(2026, 11, 17, 9)).issued  # overdue, but supervised yesterday
    assert not sweep(commits, cst(2026, 11, 20, 9)).issued
    sweep(commits, cst(2026, 11, 24, 9))
    assert grades(case) == [Grade.GENERAL, Grade.KEY]


def test_order_on_a_case_without_lead_unit_names_the_center(world, commits):
    case = world.register(status=Status.REGISTERED, now=MONDAY)
    order = issue_order(
        case=case, grade=Grade.GENERAL, requirement="请尽快分流", actor=world.supervisor, now=MONDAY
    )
    assert order.unit == world.county_center


def test_migration_fills_the_unit_of_existing_orders(world):
    waiting = world.register(status=Status.REGISTERED, now=MONDAY)
    handled = world.register(status=Status.HANDLING, now=MONDAY)
    orders = [
        issue_order(case=c, grade=Grade.GENERAL, requirement="督办", actor=world.supervisor,
                    now=MONDAY)
        for c in (waiting, handled)
    ]  # fmt: skip
    SupervisionOrder.objects.update(unit=None)  # as the old writer left them
    migration = import_module("fengqiao.supervision.migrations.0006_fill_order_units")
    from django.apps import apps

    migration.fill_units(apps, connection.schema_editor())
    units = dict(SupervisionOrder.objects.values_list("pk", "unit_id"))
    assert units == {orders[0].pk: world.county_center.pk, orders[1].pk: world.justice.pk}

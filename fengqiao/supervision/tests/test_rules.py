"""Automatic supervision: every grade, escalation of overdue replies, reopening, and sweeps
that never issue an order twice."""

import datetime as dt
from decimal import Decimal

import pytest

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Status
from fengqiao.deadlines.services import decide_extension, request_extension, sweep_deadlines
from fengqiao.deadlines.tests.helpers import cst, local, parallel, postgres_only
from fengqiao.notifications.models import Message
from fengqiao.supervision.choices import Grade, OrderStatus
from fengqiao.supervision.models import SupervisionOrder
from fengqiao.supervision.rules import sweep_supervision
from fengqiao.supervision.services import reply_to_order

pytestmark = pytest.mark.django_db
MONDAY = cst(2026, 11, 2, 10)  # deadline: Monday 16 Nov (10 working days)


def sweep(commits, now):
    with commits():
        sweep_deadlines(now=now)
        return sweep_supervision(now=now)


def handling(world, commits, **kw):
    with commits():
        return world.register(status=Status.HANDLING, now=MONDAY, **kw)


def grades(case):
    return list(case.supervision_orders.order_by("issued_at", "id").values_list("grade", flat=True))


def test_overdue_raises_general_then_key_then_listed(world, commits):
    case = handling(world, commits)
    sweep(commits, cst(2026, 11, 13, 12))  # warning only
    assert grades(case) == []
    result = sweep(commits, cst(2026, 11, 17, 9))
    assert grades(case) == [Grade.GENERAL]
    assert result.issued == {Grade.GENERAL: 1}
    order = case.supervision_orders.get()
    assert order.is_automatic and order.unit == world.justice and order.points == Decimal("1")
    assert local(order.reply_deadline).date() == dt.date(2026, 11, 20)  # 3 working days
    assert Message.objects.filter(kind="supervision", recipient=world.justice_handler).count() == 1
    # Reply in time so that only the deadline rules act.
    reply_to_order(
        order=order, actor=world.justice_handler, text="正在组织调解", now=cst(2026, 11, 18)
    )
    # Overdue by half the limit again (about 5 more working days): 重点督办.
    sweep(commits, cst(2026, 11, 25, 9))
    assert grades(case) == [Grade.GENERAL, Grade.KEY]
    # Overdue by a whole limit again: 挂牌督办, notified to the director.
    for order in case.supervision_orders.filter(status=OrderStatus.OPEN):
        reply_to_order(
            order=order, actor=world.justice_handler, text="已约谈双方", now=cst(2026, 11, 26)
        )
    sweep(commits, cst(2026, 12, 3, 9))
    assert grades(case) == [Grade.GENERAL, Grade.KEY, Grade.LISTED]
    assert (
        Message.objects.filter(
            kind="supervision", recipient=world.director, title__startswith="挂牌督办"
        ).count()
        == 1
    )


def test_red_case_overdue_gets_key_supervision_at_once(world, commits):
    case = handling(world, commits, risk_level="red")
    sweep(commits, cst(2026, 12, 15, 9))  # 30 working days end on 14 Dec
    assert grades(case) == [Grade.KEY]
    assert case.supervision_orders.get().points == Decimal("3")


def test_overdue_again_after_an_extension_goes_one_grade_up(world, commits):
    case = handling(world, commits)
    sweep(commits, cst(2026, 11, 17, 9))
    req = request_extension(case=case, actor=world.justice_handler, days=3, reason="等待鉴定")
    decide_extension(request=req, actor=world.dispatcher, approve=True, now=cst(2026, 11, 17, 10))
    case.supervision_orders.update(status=OrderStatus.CLOSED)
    sweep(commits, cst(2026, 11, 20, 9))  # new deadline 19 Nov passed: repeated failure
    assert grades(case) == [Grade.GENERAL, Grade.KEY]  # one grade above the last period's
    assert case.supervision_orders.get(grade=Grade.KEY).reason == "再次超期，屡督不改"


def test_reply_not_given_in_time_escalates_one_grade(world, commits):
    case = handling(world, commits)
    sweep(commits, cst(2026, 11, 17, 9))
    general = case.supervision_orders.get()
    result = sweep(commits, cst(2026, 11, 21, 9))  # reply deadline 20 Nov missed
    general.refresh_from_db()
    assert general.status == OrderStatus.OVERDUE and result.escalated == 1
    key = case.supervision_orders.get(escalated_from=general)
    assert key.grade == Grade.KEY
    sweep(commits, cst(2026, 11, 21, 10))  # nothing twice
    assert case.supervision_orders.count() == 2
    # The unit may still reply to the overdue order.
    reply_to_order(order=general, actor=world.justice_handler, text="已补充回复")
    general.refresh_from_db()
    assert general.status == OrderStatus.REPLIED


def test_sweeps_run_twice_issue_nothing_twice(world, commits):
    cases = [handling(world, commits, title=f"案件{i}") for i in range(3)]
    sweep(commits, cst(2026, 11, 17, 9))
    sweep(commits, cst(2026, 11, 17, 9))
    again = sweep(commits, cst(2026, 11, 17, 9, 10))
    assert not again.issued
    assert SupervisionOrder.objects.count() == 3
    for case in cases:
        assert case.events.filter(action=Action.SUPERVISE).count() == 1
    assert Message.objects.filter(kind="supervision", recipient=world.justice_handler).count() == 3


def test_case_reopened_twice_is_supervised(world, commits):
    with commits():
        case = world.register(status=Status.CLOSED, now=MONDAY)
    for day in (10, 20):
        with commits():
            case = case_services.transition(
                case=case,
                action=Action.REOPEN,
                actor=world.director,
                note="群众不满意",
                now=cst(2026, 11, day),
            )
        assert grades(case) == ([] if day == 10 else [Grade.GENERAL])
        if day == 10:
            with commits():
                for action, actor in (
                    (Action.RESOLVE, world.justice_handler),
                    (Action.CLOSE, world.director),
                ):
                    case = case_services.transition(
                        case=case,
                        action=action,
                        actor=actor,
                        result="已重新办理",
                        now=cst(2026, 11, 12),
                    )
    order = case.supervision_orders.get()
    assert order.is_automatic and order.auto_key == "reopen:2"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_supervision_sweeps_issue_each_order_once(world):
    for i in range(5):
        world.register(status=Status.HANDLING, now=MONDAY, title=f"并发督办{i}")
    sweep_deadlines(now=cst(2026, 11, 17, 9))
    results, errors = parallel(4, lambda i: sweep_supervision(now=cst(2026, 11, 17, 9)))
    assert errors == []
    assert sum(r.issued[Grade.GENERAL] for r in results) == 5
    assert SupervisionOrder.objects.count() == 5

"""Manual supervision orders: issue, reply, close; configurable grade names and points; the
supervision list with filters and counts per unit and grade."""

import datetime as dt
from decimal import Decimal

import pytest

from fengqiao.cases.choices import Action, Status
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.deadlines.tests.helpers import cst
from fengqiao.notifications.models import Message
from fengqiao.supervision.choices import Grade, OrderStatus
from fengqiao.supervision.models import GradeSetting
from fengqiao.supervision.selectors import (
    OrderFilters,
    grade_choices,
    grade_totals,
    supervised_cases,
    supervised_count,
    supervision_counts,
    supervision_orders,
)
from fengqiao.supervision.services import close_order, issue_order, reply_to_order

pytestmark = pytest.mark.django_db
NOW = cst(2026, 11, 23, 10)


def issue(world, case, grade=Grade.GENERAL, **kw):
    return issue_order(
        case=case,
        grade=grade,
        requirement="请于三日内报告进展",
        actor=world.supervisor,
        now=NOW,
        **kw,
    )


@pytest.mark.parametrize(
    "grade,points,reply_day",
    [(Grade.GENERAL, "1", 26), (Grade.KEY, "3", 25), (Grade.LISTED, "5", 24)],
)
def test_every_grade_by_hand(world, commits, grade, points, reply_day):
    case = world.register(status=Status.HANDLING, now=NOW)
    with commits():
        order = issue(world, case, grade)
    assert order.points == Decimal(points)
    assert order.reply_deadline.astimezone(dt.UTC).date() == dt.date(2026, 11, reply_day)
    assert case.events.filter(action=Action.SUPERVISE, data__grade=grade).count() == 1
    assert Message.objects.filter(kind="supervision", recipient=world.justice_handler).exists()
    director_told = Message.objects.filter(kind="supervision", recipient=world.director).exists()
    assert director_told == (grade == Grade.LISTED)


def test_only_supervisors_and_directors_issue(world):
    case = world.register(status=Status.HANDLING, now=NOW)
    with pytest.raises(PermissionDenied):
        issue_order(case=case, grade=Grade.GENERAL, requirement="x", actor=world.justice_handler)
    with pytest.raises(PermissionDenied):
        issue_order(case=case, grade=Grade.GENERAL, requirement="x", actor=world.other_dispatcher)
    with pytest.raises(ValidationFailed):
        issue_order(case=case, grade="purple", requirement="x", actor=world.supervisor)
    with pytest.raises(ValidationFailed):
        issue_order(case=case, grade=Grade.KEY, requirement="", actor=world.supervisor)


def test_reply_and_close(world, commits):
    case = world.register(status=Status.HANDLING, now=NOW)
    order = issue(world, case)
    with pytest.raises(PermissionDenied):
        reply_to_order(order=order, actor=world.police_handler, text="无关单位")
    with commits():
        reply_to_order(order=order, actor=world.justice_handler, text="已约谈双方，正在调解")
    order.refresh_from_db()
    assert order.status == OrderStatus.REPLIED
    assert Message.objects.filter(kind="supervision_reply", recipient=world.supervisor).exists()
    with pytest.raises(PermissionDenied):
        close_order(order=order, actor=world.justice_handler)
    order = close_order(order=order, actor=world.supervisor, note="进展符合要求")
    assert order.status == OrderStatus.CLOSED and order.closed_by == world.supervisor
    assert case.events.filter(note__contains="督办办结").exists()
    with pytest.raises(Conflict):
        reply_to_order(order=order, actor=world.justice_handler, text="再回复")
    with pytest.raises(Conflict):
        close_order(order=order, actor=world.supervisor)


def test_grade_names_and_points_are_configurable(world):
    for grade, name, points in (
        (Grade.GENERAL, "普通", "2"),
        (Grade.KEY, "黄牌", "4"),
        (Grade.LISTED, "红牌", "10"),
    ):
        GradeSetting.objects.filter(grade=grade).update(name=name, points=Decimal(points))
    assert grade_choices() == [("general", "普通"), ("key", "黄牌"), ("listed", "红牌")]
    case = world.register(status=Status.HANDLING, now=NOW)
    order = issue(world, case, Grade.LISTED)
    assert order.points == Decimal("10")
    counts = supervision_counts(world.supervisor)
    assert [(c.grade_name, c.points) for c in counts] == [("红牌", Decimal("10"))]


def test_list_filters_and_counts_per_unit_and_grade(world):
    justice_cases = [world.register(status=Status.HANDLING, now=NOW) for _ in range(3)]
    police_case = world.register(status=Status.HANDLING, now=NOW, lead_unit=world.police)
    issue(world, justice_cases[0], Grade.GENERAL)
    issue(world, justice_cases[1], Grade.GENERAL)
    key = issue(world, justice_cases[2], Grade.KEY)
    issue(world, police_case, Grade.LISTED)
    close_order(order=key, actor=world.supervisor)

    assert supervision_orders(world.supervisor).count() == 4
    assert supervision_orders(world.supervisor, OrderFilters(grade=Grade.GENERAL)).count() == 2
    assert supervision_orders(world.supervisor, OrderFilters(unit_id=world.police.pk)).count() == 1
    assert supervision_orders(world.supervisor, OrderFilters(status="active")).count() == 3
    assert supervision_orders(world.supervisor, OrderFilters(is_automatic=True)).count() == 0
    day = dt.date(2026, 11, 23)
    assert (
        supervision_orders(world.supervisor, OrderFilters(issued_from=day, issued_to=day)).count()
        == 4
    )
    assert (
        supervision_orders(
            world.supervisor, OrderFilters(issued_from=day + dt.timedelta(1))
        ).count()
        == 0
    )

    counts = {(c.unit_name, c.grade): c for c in supervision_counts(world.supervisor)}
    assert counts[("云梦县司法局", Grade.GENERAL)].total == 2
    assert counts[("云梦县司法局", Grade.GENERAL)].points == Decimal("2")
    assert counts[("云梦县司法局", Grade.KEY)].active == 0
    assert counts[("云梦县公安局", Grade.LISTED)].points == Decimal("5")
    assert grade_totals(world.supervisor) == {"general": 2, "key": 1, "listed": 1}

    assert supervised_count(world.supervisor) == 3
    assert set(supervised_cases(world.supervisor)) == {*justice_cases[:2], police_case}
    # Scope: the police see only their own case; another county sees nothing.
    assert list(supervision_orders(world.police_handler).values_list("case", flat=True)) == [
        police_case.pk
    ]
    assert supervision_orders(world.other_dispatcher).count() == 0
    assert supervised_count(world.other_dispatcher) == 0

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases.choices import Status
from fengqiao.core.errors import Conflict, NotFound, ValidationFailed
from fengqiao.followup import selectors, services
from fengqiao.followup.models import Visit, VisitTask
from fengqiao.notifications.models import Message
from fengqiao.supervision.models import SupervisionOrder

pytestmark = pytest.mark.django_db


def task_of(case):
    return VisitTask.objects.get(case=case, is_sample=False)


def test_closing_opens_one_visit_task_for_the_center(closed_case, world):
    case = closed_case()
    task = task_of(case)
    assert task.status == "pending" and task.center == world.county_center
    # The limit is five working days: at least a week of calendar days, at most two.
    assert dt.timedelta(days=5) <= task.due_at - case.closed_at <= dt.timedelta(days=14)
    # The sweep finds nothing missing.
    assert services.ensure_visit_tasks() == 0
    assert VisitTask.objects.count() == 1


def test_satisfied_visit_archives_the_case(closed_case, world):
    case = closed_case()
    visit = services.record_visit(
        task=task_of(case),
        actor=world.receptionist,
        method="phone",
        reached_person="张三本人",
        satisfaction="satisfied",
        comment="处理及时",
    )
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED and case.satisfaction == "satisfied"
    assert visit.outcome == "archived" and visit.visited_by == world.receptionist
    assert task_of(case).status == "archived"
    event = case.events.order_by("-seq").first()
    assert event.action == "archive" and event.actor == world.receptionist
    with pytest.raises(Conflict):
        services.record_visit(
            task=task_of(case), actor=world.receptionist, method="phone",
            reached_person="张三", satisfaction="satisfied",
        )  # fmt: skip


@pytest.mark.parametrize("satisfaction", ["basic", "dissatisfied"])
def test_basic_or_worse_reopens_the_case_under_supervision(
    closed_case, world, satisfaction, django_capture_on_commit_callbacks
):
    case = closed_case()
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.record_visit(
            task=task_of(case),
            actor=world.receptionist,
            method="in_person",
            reached_person="张三",
            satisfaction=satisfaction,
            comment="渗水问题没有根治",
        )
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.lead_unit == world.justice
    assert case.satisfaction == satisfaction and visit.outcome == "reopened"
    order = SupervisionOrder.objects.get(case=case)
    assert order.is_automatic and order.grade == "general"
    assert order.reason == "visit_dissatisfied" and order.unit == world.justice
    assert "渗水问题没有根治" in order.requirement
    assert task_of(case).status == "done"
    # The handling unit hears of it in its inbox.
    assert Message.objects.filter(recipient=world.justice_handler, kind="supervision").exists()
    # Handled again and closed again: a new visit task for the new closing.
    from fengqiao.cases import services as case_services

    with_hooks = case
    for action, actor in (("resolve", world.justice_handler), ("close", world.director)):
        with_hooks = case_services.transition(
            case=with_hooks, action=action, actor=actor, result="已重新处理"
        )
    services.ensure_visit_tasks()
    assert VisitTask.objects.filter(case=case, status="pending").count() == 1


def test_an_unreached_attempt_keeps_the_task_open(closed_case, world):
    case = closed_case()
    visit = services.record_visit(
        task=task_of(case), actor=world.dispatcher, method="phone", reached=False,
        comment="电话无人接听",
    )  # fmt: skip
    assert visit.outcome == "not_reached" and not visit.reached
    assert task_of(case).status == "pending"
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert "未联系上" in case.events.order_by("-seq").first().note


def test_visit_needs_satisfaction_person_and_a_visitor_in_scope(closed_case, world):
    task = task_of(closed_case())
    with pytest.raises(ValidationFailed, match="满意度"):
        services.record_visit(task=task, actor=world.receptionist, method="phone",
                              reached_person="张三")  # fmt: skip
    with pytest.raises(ValidationFailed, match="回访方式"):
        services.record_visit(task=task, actor=world.receptionist, method="citizen_portal",
                              reached_person="张三", satisfaction="satisfied")  # fmt: skip
    # A center of another county, or a handling department, cannot visit: it looks missing.
    for outsider in (world.other_dispatcher, world.justice_handler):
        with pytest.raises(NotFound):
            services.record_visit(task=task, actor=outsider, method="phone",
                                  reached_person="张三", satisfaction="satisfied")  # fmt: skip
    assert Visit.objects.count() == 0


def test_unreached_within_the_limit_is_closed_by_the_sweep(closed_case, world, settings):
    settings.FENGQIAO_VISIT_UNREACHED_DAYS = 10
    case = closed_case()
    task = task_of(case)
    assert services.archive_unreached(task.created_at + dt.timedelta(days=9)) == {
        "archived": 0,
        "unreached": 0,
    }
    counts = services.archive_unreached(task.created_at + dt.timedelta(days=10, minutes=1))
    task.refresh_from_db()
    case.refresh_from_db()
    # Archived by the system when the case workflow allows an unreached archive; until then
    # the task is marked unreached and the case stays closed for a person to decide.
    if case.status == Status.ARCHIVED:
        assert counts == {"archived": 1, "unreached": 0} and task.status == "archived"
    else:
        assert counts == {"archived": 0, "unreached": 1} and task.status == "unreached"
        assert case.status == Status.CLOSED
        # Reached later after all: the visit settles the case.
        services.record_visit(task=task, actor=world.receptionist, method="in_person",
                              reached_person="张三", satisfaction="satisfied")  # fmt: skip
        case.refresh_from_db()
        task.refresh_from_db()
        assert case.status == Status.ARCHIVED and task.status == "archived"
    # A second sweep does nothing more.
    assert services.archive_unreached(timezone.now() + dt.timedelta(days=30)) == {
        "archived": 0,
        "unreached": 0,
    }


def test_worklist_shows_the_tasks_in_scope_with_counts(closed_case, world):
    first, second, third = closed_case(), closed_case(), closed_case()
    services.record_visit(task=task_of(first), actor=world.receptionist, method="phone",
                          reached_person="张三", satisfaction="satisfied")  # fmt: skip
    services.record_visit(task=task_of(second), actor=world.receptionist, method="phone",
                          reached_person="张三", satisfaction="dissatisfied")  # fmt: skip
    due = list(selectors.visits_due(world.dispatcher))
    assert [t.case for t in due] == [third]
    later = timezone.now() + dt.timedelta(days=30)
    assert selectors.visit_counts(world.dispatcher, now=later) == {
        "pending": 1, "overdue": 1, "sample_pending": 0, "done": 1, "unreached": 0,
        "archived": 1,
    }  # fmt: skip
    assert selectors.visit_counts(world.other_dispatcher)["pending"] == 0
    assert list(selectors.visits_due(world.other_dispatcher)) == []
    assert [v.satisfaction for v in selectors.visits_of_case(second)] == ["dissatisfied"]


def test_a_case_archived_or_reopened_by_hand_leaves_the_worklist(
    closed_case, world, django_capture_on_commit_callbacks
):
    from fengqiao.cases import services as case_services

    archived, reopened = closed_case(), closed_case()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.transition(
            case=archived, action="archive", actor=world.director, satisfaction="satisfied"
        )
        case_services.transition(
            case=reopened, action="reopen", actor=world.director, note="当事人来电反映未解决"
        )
    assert task_of(archived).status == "archived"
    assert task_of(reopened).status == "done"
    assert list(selectors.visits_due(world.dispatcher)) == []


def test_the_worklist_costs_the_same_few_queries_however_long(
    closed_case, world, django_assert_num_queries
):
    from fengqiao.org.models import User

    for _ in range(3):
        closed_case()
    user = User.objects.get(pk=world.dispatcher.pk)  # memberships not cached yet
    with django_assert_num_queries(2):  # the memberships, then the tasks with case and center
        rows = [(t.case.code, t.center.name, t.due_at) for t in selectors.visits_due(user)]
    assert len(rows) == 3
    with django_assert_num_queries(1):
        assert selectors.visit_counts(user)["pending"] == 3

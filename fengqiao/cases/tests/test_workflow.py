"""The closed loop: each transition, what it requires, and what it refuses."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from fengqiao.cases import services, workflow
from fengqiao.cases.actors import citizen_actor, sweep_actor
from fengqiao.cases.choices import Action, AssignmentStatus, Status
from fengqiao.cases.models import Case
from fengqiao.core.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db


def act(case, action, actor, **kw):
    return services.transition(case=case, action=action, actor=actor, **kw)


def test_the_table_covers_every_status_of_the_design():
    reachable = {t.target for t in workflow.TRANSITIONS} | {Status.REGISTERED}
    assert reachable == set(Status)
    finals = {Status.ARCHIVED, Status.REJECTED, Status.WITHDRAWN}
    for status in finals:
        assert workflow.actions_from(status) == []


def test_illegal_transition_is_refused_with_a_clear_message(world):
    case = world.register()
    with pytest.raises(Conflict, match="当前状态为“已受理”，不能执行“审核结案”") as exc:
        act(case, Action.CLOSE, world.director)
    assert exc.value.code == "invalid_transition"


@pytest.mark.parametrize(
    "action, status, kwargs, message",
    [
        (Action.REJECT, Status.REGISTERED, {}, "理由"),
        (Action.DISPATCH, Status.REGISTERED, {}, "主办单位"),
        (Action.ANSWER, Status.REGISTERED, {}, "办理结果"),
        (Action.RETURN, Status.DISPATCHED, {}, "理由"),
        (Action.RESOLVE, Status.HANDLING, {}, "办理结果"),
        (Action.SEND_BACK, Status.RESOLVED, {}, "理由"),
        (Action.ARCHIVE, Status.CLOSED, {}, "满意度"),
        (Action.ARCHIVE, Status.CLOSED, {"satisfaction": "dissatisfied"}, "不能归档"),
        (Action.ESCALATE, Status.REGISTERED, {"note": "重大"}, "目标综治中心"),
    ],
)
def test_requirements_are_enforced(world, action, status, kwargs, message):
    case = world.register(status=status)
    actor = {
        Action.RETURN: world.justice_handler,
        Action.RESOLVE: world.justice_handler,
        Action.SEND_BACK: world.director,
        Action.ARCHIVE: world.director,
    }.get(action, world.dispatcher)
    with pytest.raises(ValidationFailed, match=message):
        act(case, action, actor, **kwargs)
    case.refresh_from_db()
    assert case.status == status


def test_dispatch_sets_lead_and_co_units_and_deadlines(world):
    case = world.register()
    case = act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.justice,
               co_units=[world.police])  # fmt: skip
    assert case.status == Status.DISPATCHED
    assert case.lead_unit == world.justice
    roles = {(a.unit_id, a.role, a.status) for a in case.assignments.all()}
    assert roles == {
        (world.justice.pk, "lead", AssignmentStatus.PENDING),
        (world.police.pk, "co", AssignmentStatus.PENDING),
    }
    assert case.deadline and case.sign_deadline and case.sign_deadline < case.deadline
    event = case.events.last()
    assert event.data["lead_unit"] == world.justice.pk and event.unit == world.county_center


def test_a_unit_outside_the_center_subtree_cannot_be_dispatched_to(world):
    case = world.register()
    outside = world.other_county_center
    with pytest.raises(ValidationFailed, match="管辖范围"):
        act(case, Action.DISPATCH, world.dispatcher, lead_unit=outside)


def test_return_sends_the_case_back_to_the_dispatcher_with_the_reason(world):
    case = world.register(status=Status.DISPATCHED)
    case = act(case, Action.RETURN, world.justice_handler, note="不属于本单位职责")
    assert case.status == Status.REGISTERED and case.lead_unit is None
    returned = case.assignments.get(unit=world.justice, role="lead")
    assert returned.status == AssignmentStatus.RETURNED
    assert returned.return_reason == "不属于本单位职责"
    # The dispatcher routes it again.
    case = act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.police)
    assert case.status == Status.DISPATCHED and case.lead_unit == world.police


def test_co_handler_reports_its_part(world):
    case = world.register()
    act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.justice, co_units=[world.police])
    assignment = services.report_co_handling(
        case=case, actor=world.police_handler, unit=world.police, report="已出警调查，双方情绪稳定"
    )
    assert assignment.status == AssignmentStatus.REPORTED
    assert case.events.last().action == Action.CO_REPORT
    with pytest.raises(Conflict):
        services.report_co_handling(
            case=case, actor=world.police_handler, unit=world.police, report="重复反馈"
        )


def test_delegate_down_and_escalate_up_move_the_center_in_charge(world):
    case = world.register()
    case = act(case, Action.DELEGATE, world.dispatcher, target_center=world.township_center,
               note="属地化解")  # fmt: skip
    assert case.center == world.township_center and case.status == Status.REGISTERED
    assert case.scope_path == world.township_center.region_path
    # The township dispatcher now sees and routes it; it can escalate it back up.
    case = act(case, Action.ESCALATE, world.township_dispatcher,
               target_center=world.county_center, note="涉及多部门，需县级统筹")  # fmt: skip
    assert case.center == world.county_center
    with pytest.raises(ValidationFailed, match="下级"):
        act(case, Action.DELEGATE, world.dispatcher, target_center=world.other_county_center,
            note="错误交办")  # fmt: skip


def test_resolution_records_the_level_that_settled_it(world):
    case = world.register(status=Status.RESOLVED)
    assert case.settled_level == 3  # the county-level justice bureau
    answered = world.register()
    answered = act(answered, Action.ANSWER, world.receptionist, result="当场解答法律问题")
    assert answered.status == Status.RESOLVED and answered.settled_level == 3


def test_send_back_and_reopen(world):
    case = world.register(status=Status.RESOLVED)
    case = act(case, Action.SEND_BACK, world.director, note="证据不充分")
    assert case.status == Status.HANDLING and case.resolved_at is None
    case = act(case, Action.RESOLVE, world.justice_handler, result="补充调查后已化解")
    case = act(case, Action.CLOSE, world.director)
    case = act(case, Action.REOPEN, world.director, note="回访不满意", satisfaction="dissatisfied")
    assert case.status == Status.HANDLING and case.satisfaction == "dissatisfied"


def test_citizen_may_withdraw_but_not_close(world):
    case = world.register()
    with pytest.raises(Exception, match="不允许"):
        services.transition(case=case, action=Action.REJECT, actor=citizen_actor(), note="x")
    case = services.transition(
        case=case, action=Action.WITHDRAW, actor=citizen_actor(), note="已自行和解"
    )
    assert case.status == Status.WITHDRAWN
    assert case.events.last().actor_label == "群众"


def test_stale_version_is_a_conflict(world):
    case = world.register()
    version = case.version
    act(case, Action.MEDIATE, world.mediator, expected_version=version)
    with pytest.raises(Conflict) as exc:
        act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.justice,
            expected_version=version)  # fmt: skip
    assert exc.value.code == "version_conflict"


def test_code_date_is_the_beijing_date(world):
    late_evening_utc = dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 23rd
    case = world.register(now=late_evening_utc)
    assert case.code[6:14] == "20261123"


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writers need PostgreSQL row locks"
)


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registration_gives_unique_gap_free_codes(world):
    n = 24
    results, errors = _parallel(
        n,
        lambda i: world.register(title=f"并发登记{i}", phone=f"1380000{i:04d}").code,
    )
    assert errors == []
    seqs = sorted(int(code[14:19]) for code in results)
    assert seqs == list(range(1, n + 1))
    assert len(set(results)) == n


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(world):
    case = world.register(status=Status.DISPATCHED)

    def sign(i):
        return services.transition(case=case.pk, action=Action.SIGN,
                                   actor=world.justice_handler,
                                   expected_version=case.version).status  # fmt: skip

    results, errors = _parallel(2, sign)
    assert results == [Status.HANDLING]
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert Case.objects.get(pk=case.pk).events.filter(action=Action.SIGN).count() == 1


def test_the_system_archives_an_unreached_case_without_a_rating(world):
    case = world.register(status=Status.CLOSED)
    with pytest.raises(ValidationFailed, match="满意度"):
        services.transition(case=case, action=Action.ARCHIVE, actor=sweep_actor("test"))
    case = services.transition(case=case, action=Action.ARCHIVE, actor=sweep_actor("test"),
                               note="回访期限内多次联系未果")  # fmt: skip
    assert case.status == Status.ARCHIVED and case.satisfaction == ""
    assert case.events.last().data == {"unreached": True}


def test_dispatch_down_to_a_township_center_puts_it_in_charge(world):
    case = world.register()
    case = act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.township_center)
    assert case.center == world.township_center and case.tier_level == 4
    # The township's own handler signs and resolves it; the county still sees it.
    from fengqiao.cases.selectors import visible_cases

    assert visible_cases(world.township_handler).filter(pk=case.pk).exists()
    assert visible_cases(world.dispatcher).filter(pk=case.pk).exists()
    case = act(case, Action.RETURN, world.township_handler, note="需县级部门处理")
    assert case.center == world.county_center and case.status == Status.REGISTERED
    case = act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.township_center)
    case = act(case, Action.SIGN, world.township_handler)
    case = act(case, Action.RESOLVE, world.township_handler, result="镇综治中心调解成功")
    assert case.status == Status.RESOLVED and case.settled_level == 4


def test_a_center_cannot_be_a_co_handler(world):
    case = world.register()
    with pytest.raises(ValidationFailed, match="协办单位应为职能部门"):
        act(case, Action.DISPATCH, world.dispatcher, lead_unit=world.justice,
            co_units=[world.township_center])  # fmt: skip

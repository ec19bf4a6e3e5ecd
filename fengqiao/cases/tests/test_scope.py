"""Scope: every role against cases inside and outside its scope, for read, list, search and
every action."""

import pytest

from fengqiao.cases import services
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.selectors import allowed_transitions, search_cases, visible_cases
from fengqiao.core.errors import PermissionDenied
from fengqiao.intake.types import PartyIn
from fengqiao.testing.factories import register

pytestmark = pytest.mark.django_db


def actions(user, case):
    return {t.action for t, _m in allowed_transitions(user, case)}


@pytest.fixture
def cases(world):
    """One case at the county center, one at a township center, one in another county."""
    county_case = world.register(title="县中心受理的案件")
    township_case = register(
        actor=world.township_dispatcher,
        center=world.township_center,
        channel="window",
        title="镇中心受理的案件",
        description="镇里的纠纷",
        region=world.village,
        parties=[PartyIn(name="赵六", phone="13711112222")],
    )
    other_county = world.other_county_center
    other_case = register(
        actor=world.other_dispatcher,
        center=other_county,
        channel="window",
        title="外县案件",
        description="孝南区的纠纷",
        region=other_county.region,
        parties=[PartyIn(name="钱七", phone="13711112222")],
    )
    return county_case, township_case, other_case


@pytest.mark.parametrize(
    "username, sees",
    [
        ("receptionist", {"县中心受理的案件", "镇中心受理的案件"}),
        ("dispatcher", {"县中心受理的案件", "镇中心受理的案件"}),
        ("director", {"县中心受理的案件", "镇中心受理的案件"}),
        ("supervisor", {"县中心受理的案件", "镇中心受理的案件"}),
        ("leader", {"县中心受理的案件", "镇中心受理的案件"}),
        ("mediator", {"县中心受理的案件", "镇中心受理的案件"}),
        ("township_dispatcher", {"镇中心受理的案件"}),
        ("township_handler", {"镇中心受理的案件"}),
        ("other_township_dispatcher", set()),
        ("village_grid_worker", set()),
        ("police_handler", set()),
        ("justice_handler", set()),
        ("other_dispatcher", {"外县案件"}),
    ],
)
def test_each_role_lists_only_its_scope(world, cases, username, sees):
    user = world.users[username]
    assert set(visible_cases(user).values_list("title", flat=True)) == sees
    # Search never widens the scope: the phone shared by two cases finds only the visible one.
    found = set(search_cases(visible_cases(user), "13711112222").values_list("title", flat=True))
    assert found == sees & {"镇中心受理的案件", "外县案件"}


def test_a_department_sees_a_case_once_it_is_assigned(world, cases):
    county_case, *_ = cases
    assert not visible_cases(world.police_handler).filter(pk=county_case.pk).exists()
    services.transition(
        case=county_case,
        action=Action.DISPATCH,
        actor=world.dispatcher,
        lead_unit=world.justice,
        co_units=[world.police],
    )
    assert visible_cases(world.justice_handler).filter(pk=county_case.pk).exists()
    assert visible_cases(world.police_handler).filter(pk=county_case.pk).exists()
    # The co-handler sees it but may not sign or resolve: only the lead unit may.
    county_case.refresh_from_db()
    assert actions(world.justice_handler, county_case) == {Action.SIGN, Action.RETURN}
    assert actions(world.police_handler, county_case) == set()


def test_narrowing_by_status_keeps_the_scope(world, cases):
    """A worklist asks only for cases in some states; the answer is the scope cut to those
    states, for center staff and department staff alike."""
    county_case, township_case, _other = cases
    services.transition(
        case=county_case, action=Action.DISPATCH, actor=world.dispatcher, lead_unit=world.justice
    )
    justice = world.justice_handler
    assert list(visible_cases(justice, statuses=[Status.DISPATCHED])) == [county_case]
    assert not visible_cases(justice, statuses=[Status.HANDLING]).exists()
    # Department staff still see the case in every state when no states are asked for.
    assert list(visible_cases(justice)) == [county_case]
    assert set(visible_cases(world.dispatcher, statuses=[Status.REGISTERED])) == {township_case}
    # Asking for states never widens the scope.
    assert not visible_cases(world.police_handler, statuses=[Status.DISPATCHED]).exists()
    # The unit's assignment follows its case along the loop.
    services.transition(case=county_case, action=Action.SIGN, actor=justice)
    assert county_case.assignments.get().case_status == Status.HANDLING
    assert list(visible_cases(justice, statuses=[Status.HANDLING])) == [county_case]
    assert not visible_cases(justice, statuses=[Status.DISPATCHED]).exists()


def test_superuser_sees_everything(world, cases):
    world.director.is_superuser = True
    assert visible_cases(world.director).count() == 3


def test_inactive_membership_gives_nothing(world, cases):
    world.dispatcher.memberships.update(is_active=False)
    from fengqiao.org.models import User

    fresh = User.objects.get(pk=world.dispatcher.pk)
    assert visible_cases(fresh).count() == 0


EXPECTED_ON_REGISTERED = {
    "receptionist": {Action.MEDIATE, Action.ANSWER, Action.REJECT, Action.WITHDRAW},
    "dispatcher": {
        Action.MEDIATE, Action.DISPATCH, Action.ANSWER, Action.REJECT, Action.WITHDRAW,
        Action.ESCALATE, Action.DELEGATE,
    },
    "director": {
        Action.MEDIATE, Action.DISPATCH, Action.ANSWER, Action.REJECT, Action.WITHDRAW,
        Action.ESCALATE, Action.DELEGATE,
    },
    "mediator": {Action.MEDIATE},
    "supervisor": set(),
    "leader": set(),
    "township_dispatcher": set(),
    "police_handler": set(),
    "other_dispatcher": set(),
}  # fmt: skip


@pytest.mark.parametrize("username", sorted(EXPECTED_ON_REGISTERED))
def test_actions_on_a_new_case_by_role(world, cases, username):
    county_case, *_ = cases
    assert actions(world.users[username], county_case) == EXPECTED_ON_REGISTERED[username]


@pytest.mark.parametrize(
    "status, username, expected",
    [
        (Status.DISPATCHED, "justice_handler", {Action.SIGN, Action.RETURN}),
        (Status.DISPATCHED, "dispatcher", set()),
        (Status.HANDLING, "justice_handler", {Action.RESOLVE}),
        (Status.HANDLING, "dispatcher", {Action.ESCALATE, Action.DELEGATE}),
        (Status.HANDLING, "police_handler", set()),
        (Status.RESOLVED, "director", {Action.CLOSE, Action.SEND_BACK}),
        (Status.RESOLVED, "dispatcher", set()),
        (Status.RESOLVED, "justice_handler", set()),
        (Status.CLOSED, "director", {Action.ARCHIVE, Action.REOPEN}),
        (Status.CLOSED, "supervisor", {Action.REOPEN}),
        (Status.CLOSED, "leader", set()),
        (Status.ARCHIVED, "director", set()),
        (Status.MEDIATING, "mediator", {Action.SETTLE}),
        (Status.MEDIATING, "dispatcher", {Action.DISPATCH, Action.SETTLE, Action.WITHDRAW}),
    ],
)
def test_actions_along_the_loop(world, status, username, expected):
    case = world.register(status=status)
    assert actions(world.users[username], case) == expected


def test_out_of_scope_actor_is_refused_for_every_action(world, cases):
    *_, other_case = cases
    for action in (Action.DISPATCH, Action.REJECT, Action.MEDIATE, Action.ESCALATE):
        with pytest.raises(PermissionDenied):
            services.transition(
                case=other_case,
                action=action,
                actor=world.dispatcher,
                lead_unit=world.justice,
                note="越权尝试",
            )
    other_case.refresh_from_db()
    assert other_case.status == Status.REGISTERED
    assert other_case.events.count() == 1


def test_role_switcher_restricts_to_the_chosen_membership(world, cases):
    from fengqiao.testing.factories import grant

    user = world.township_dispatcher
    membership = grant(user, world.county_center, "leader")
    _county_case, township_case, _ = cases
    assert visible_cases(user).count() == 2
    only_township = visible_cases(user, membership_id=user.memberships.get(role="dispatcher").id)
    assert list(only_township) == [township_case]
    assert visible_cases(user, membership_id=membership.id).count() == 2

"""The closed loop as one explicit table: (status, action) → status, who may, what it needs.

受理—分流—处置—反馈—评价—归档. Every status change goes through
:func:`fengqiao.cases.services.transition`, which looks the move up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from fengqiao.cases.actors import CITIZEN, SYSTEM
from fengqiao.cases.choices import Action, Status
from fengqiao.org.choices import Role

# Pseudo-roles for actors without a staff membership (fengqiao.cases.actors).

# What a transition may require from the request.
NOTE = "note"  # a reason or explanation
RESULT = "result"  # the handling result
LEAD_UNIT = "lead_unit"  # the unit that will lead the handling
TARGET_CENTER = "target_center"  # the center the case moves to
SATISFACTION = "satisfaction"  # the citizen's rating

# Whose scope the actor must be in: the case's center subtree, or the lead unit.
CENTER_SCOPE = "center"
LEAD_UNIT_SCOPE = "lead_unit"

CENTER_ROLES = frozenset({Role.RECEPTIONIST, Role.DISPATCHER, Role.DIRECTOR})


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: stays in the current status
    roles: frozenset[str]
    requires: frozenset[str] = frozenset()
    scope: str = CENTER_SCOPE


def _t(action, sources, target, roles, requires=(), scope=CENTER_SCOPE) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), frozenset(requires), scope
    )


S, R = Status, Role
TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.MEDIATE, [S.REGISTERED], S.MEDIATING,
       [R.RECEPTIONIST, R.DISPATCHER, R.MEDIATOR, R.DIRECTOR]),
    _t(Action.DISPATCH, [S.REGISTERED, S.MEDIATING], S.DISPATCHED,
       [R.DISPATCHER, R.DIRECTOR], [LEAD_UNIT]),
    _t(Action.ANSWER, [S.REGISTERED], S.RESOLVED,
       [R.RECEPTIONIST, R.DISPATCHER, R.DIRECTOR], [RESULT]),
    _t(Action.SETTLE, [S.MEDIATING], S.RESOLVED,
       [R.MEDIATOR, R.DISPATCHER, R.DIRECTOR], [RESULT]),
    _t(Action.REJECT, [S.REGISTERED], S.REJECTED,
       [R.RECEPTIONIST, R.DISPATCHER, R.DIRECTOR], [NOTE]),
    _t(Action.WITHDRAW, [S.REGISTERED, S.MEDIATING], S.WITHDRAWN,
       [R.RECEPTIONIST, R.DISPATCHER, R.DIRECTOR, CITIZEN], [NOTE]),
    _t(Action.SIGN, [S.DISPATCHED], S.HANDLING, [R.HANDLER], scope=LEAD_UNIT_SCOPE),
    _t(Action.RETURN, [S.DISPATCHED], S.REGISTERED, [R.HANDLER], [NOTE],
       scope=LEAD_UNIT_SCOPE),
    _t(Action.RESOLVE, [S.HANDLING], S.RESOLVED, [R.HANDLER], [RESULT],
       scope=LEAD_UNIT_SCOPE),
    _t(Action.ESCALATE, [S.REGISTERED, S.HANDLING], S.REGISTERED,
       [R.DISPATCHER, R.DIRECTOR], [NOTE, TARGET_CENTER]),
    _t(Action.DELEGATE, [S.REGISTERED, S.HANDLING], S.REGISTERED,
       [R.DISPATCHER, R.DIRECTOR], [NOTE, TARGET_CENTER]),
    _t(Action.CLOSE, [S.RESOLVED], S.CLOSED, [R.DIRECTOR]),
    _t(Action.SEND_BACK, [S.RESOLVED], S.HANDLING, [R.DIRECTOR], [NOTE]),
    # Whoever visits a case back (回访: receptionists, dispatchers, directors, supervisors)
    # archives it on a satisfied rating or reopens it otherwise.
    _t(Action.ARCHIVE, [S.CLOSED], S.ARCHIVED,
       [R.DIRECTOR, R.DISPATCHER, R.RECEPTIONIST, R.SUPERVISOR, SYSTEM, CITIZEN],
       [SATISFACTION]),
    _t(Action.REOPEN, [S.CLOSED], S.HANDLING,
       [R.DIRECTOR, R.SUPERVISOR, R.DISPATCHER, R.RECEPTIONIST, SYSTEM, CITIZEN], [NOTE]),
)  # fmt: skip

BY_ACTION: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}
STATUS_ACTIONS: frozenset[Action] = frozenset(BY_ACTION)


def find(action: str, status: str) -> Transition | None:
    """The transition for this action from this status, or None if it is not allowed."""
    transition = BY_ACTION.get(action)  # type: ignore[call-overload]
    if transition is None or status not in transition.sources:
        return None
    return transition


def actions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]

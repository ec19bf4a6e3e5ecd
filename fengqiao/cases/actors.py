"""Who acts on a case: a staff user, a citizen who proved it is their case, or the system.

A staff user is the :class:`~fengqiao.org.models.User` itself; their role and scope decide
what they may do (:func:`fengqiao.cases.selectors.allowed_transitions`). The two others are
explicit values, never a flag that skips the checks:

- :func:`citizen_actor` — the applicant, after the citizen-facing service verified the case
  code with the phone's last four digits (rating a closed case, withdrawing an appeal);
- :func:`sweep_actor` — a periodic sweep or an event handler acting on rules (marking a case
  overdue, archiving an unreached visit, re-grading risk). Only the modules listed in
  ``SWEEP_MODULES`` build it; a test of the repository holds every call site to that list.

The transition table names the pseudo-roles ``citizen`` and ``system`` for the moves these
actors may make; everything else needs a staff user with the role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from fengqiao.org.models import User

CITIZEN = "citizen"
SYSTEM = "system"
STAFF = "staff"

_TOKEN = object()

# The modules that build sweep actors (checked by fengqiao/cases/tests/test_guardrails.py).
SWEEP_MODULES = frozenset(
    {
        "fengqiao.deadlines.services",
        "fengqiao.supervision.services",
        "fengqiao.followup.services",
        "fengqiao.routing.services",
    }
)
# The demo plays what the sweeps would have done over its simulated year.
SWEEP_PACKAGES = ("fengqiao.demo.",)
CITIZEN_MODULES = frozenset(
    {
        "fengqiao.followup.services",
        "fengqiao.intake.services",
        "fengqiao.mediation.services.common",
    }
)


@dataclass(frozen=True)
class SystemActor:
    """The system acting by a rule; ``job`` names the sweep or handler (kept on events)."""

    job: str
    _token: object = None

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError("a system actor is built by sweep_actor() only")

    kind = SYSTEM

    def label(self) -> str:
        return _("系统")


@dataclass(frozen=True)
class CitizenActor:
    """The applicant, verified by the case code and the phone's last four digits."""

    how: str
    _token: object = None

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError("a citizen actor is built by citizen_actor() only")

    kind = CITIZEN

    def label(self) -> str:
        return _("群众")


type Actor = User | SystemActor | CitizenActor


def sweep_actor(job: str) -> SystemActor:
    """The system, acting in the named sweep or handler."""
    return SystemActor(job, _TOKEN)


def citizen_actor(how: str = "code+phone") -> CitizenActor:
    """The applicant, once the caller has verified them (``how`` says by what)."""
    return CitizenActor(how, _TOKEN)


def kind_of(actor: Actor | None) -> str:
    """``staff``, ``citizen`` or ``system``."""
    if isinstance(actor, SystemActor | CitizenActor):
        return actor.kind
    return STAFF


def user_of(actor: Actor | None) -> User | None:
    """The staff user behind the actor (None for the citizen and the system)."""
    return actor if isinstance(actor, User) else None


def label_of(actor: Actor | None) -> str:
    """How the actor is named on the case's events."""
    if isinstance(actor, SystemActor | CitizenActor):
        return actor.label()
    return str(actor) if actor is not None else ""

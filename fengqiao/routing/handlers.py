"""Case-event handler of routing (named in ``FENGQIAO_CASE_EVENT_HANDLERS``): link a newly
registered case to its related cases (queued delivery), grade a case again when something
that weighs on its risk changed, re-index its text when the text changed, and keep a
person's category change as a training correction."""

from __future__ import annotations

from fengqiao.cases import hooks
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.routing import related, services

# Changes that routing itself writes: they never trigger another grading.
OWN_FIELDS = frozenset(
    {"risk_level", "risk_score", "risk_factors", "tier_level", "responsible_leader"}
)
TEXT_FIELDS = frozenset({"title", "description"})
# Changes that weigh on the risk score (deadlines moving do not, being overdue does).
RISK_INPUTS = frozenset(
    {"title", "description", "category", "kind", "people_count", "address", "is_overdue"}
)
REGRADE_ACTIONS = frozenset(
    {Action.RETURN, Action.REOPEN, Action.SEND_BACK, Action.ESCALATE, Action.DELEGATE}
)


def on_case_event(event: CaseEvent) -> None:

    if event.action == Action.REGISTER:
        # Queued delivery: registration left the related-case search to the worker.
        if hooks.delivery() == hooks.QUEUE:
            case = (
                Case.objects.select_related("category", "center", "region")
                .filter(pk=event.case_id)
                .first()
            )
            if case is not None:
                services.link_related(case=case)
    elif event.action == Action.UPDATE:
        changed = set((event.data or {}).get("changes", {}))
        if not changed or changed <= OWN_FIELDS:
            return
        if event.actor_id is None and changed <= OWN_FIELDS | {"category", "kind"}:
            return  # routing's own classification at registration
        if "category" in changed:
            services.record_correction_from_event(event)
        if changed & TEXT_FIELDS:
            case = Case.objects.filter(pk=event.case_id).first()
            if case is not None:
                related.index_case(case)
        if changed & RISK_INPUTS:
            services.apply_risk(case=event.case_id)
    elif event.action in REGRADE_ACTIONS:
        services.apply_risk(case=event.case_id)

"""Routing's judgement of a case: its category, risk, tier and 包案 leader, and the record of
what was proposed — computed from a draft or a stored case, writing nothing.

:func:`assess` is what registration asks of routing: given the unsaved case and parties of
an appeal it returns a :class:`RoutingDecision`, which intake applies to the case before
storing it (so a case is stored already classified and graded, with one event).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from fengqiao.cases.drafts import CaseDraft
from fengqiao.cases.models import Case, Category, Party
from fengqiao.org.models import Unit
from fengqiao.routing import dispatch, risk
from fengqiao.routing.choices import RiskFactor
from fengqiao.routing.classification import Suggestion, classify
from fengqiao.routing.models import CaseRouting
from fengqiao.routing.risk import RiskAssessment

RISK_FIELDS = ("risk_level", "risk_score", "risk_factors", "tier_level", "responsible_leader")


def manual_floor(case: Case) -> str | None:
    """The least level a person set on the case, kept among its risk factors."""
    for f in case.risk_factors or []:
        if isinstance(f, dict) and f.get("code") == RiskFactor.MANUAL and f.get("level"):
            return f["level"]
    return None


def grade(case: Case, floor: str | None, parties: list[Party] | None = None) -> RiskAssessment:
    """The case's risk with a person's floor applied (the floor given, else the one stored)."""
    assessment = risk.grade_risk(case, parties=parties)
    floor = floor or manual_floor(case)
    assessment = risk.with_floor(assessment, floor)
    if floor and assessment.factors and assessment.factors[-1]["code"] == RiskFactor.MANUAL:
        assessment.factors[-1]["level"] = assessment.level
    return assessment


def risk_changes(case: Case, assessment: RiskAssessment) -> dict[str, Any]:
    """The case fields a grading sets: level, score, factors, a raised tier, the leader."""
    changes: dict[str, Any] = {
        "risk_level": assessment.level,
        "risk_score": assessment.score,
        "risk_factors": assessment.factors,
    }
    tier = assessment.tier_level
    # The risk sets the first tier and can raise it; lowering it, or moving it at all once
    # set, is the dispatcher's decision (delegate / escalate / dispatch).
    if tier is not None and (case.tier_level is None or tier < case.tier_level):
        changes["tier_level"] = tier
    if assessment.needs_leader and not case.responsible_leader_id:
        center = dispatch.tier_center(case, tier) or case.center
        leader = dispatch.leader_for(center) or dispatch.leader_for(case.center)
        if leader is not None:
            changes["responsible_leader"] = leader
    return changes


@dataclass(frozen=True)
class RoutingDecision:
    """What routing decided for an appeal being registered."""

    suggestion: Suggestion  # the category proposed from the text, and why
    category: Category | None  # the category the case gets (the registrar's, else proposed)
    kind: str  # the case kind that goes with it
    assessment: RiskAssessment
    changes: dict[str, Any]  # case fields: risk level, score, factors, tier, leader
    tier_center: Unit | None  # the center the tier points at

    def apply_to(self, case: Case) -> None:
        """Set the decision's fields on the unsaved case."""
        case.category = self.category
        case.kind = self.kind
        for name, value in self.changes.items():
            setattr(case, name, value)

    def record_for(self, case: Case) -> CaseRouting:
        """The routing record stored with the case (unsaved)."""
        s = self.suggestion
        return CaseRouting(
            case=case,
            category=s.category,
            unit_types=s.unit_types,
            confidence=s.confidence,
            top_terms=[[t, w] for t, w in s.top_terms],
            ranking=[[c, p] for c, p in s.ranking],
            source=s.source,
            model_version=s.model_version,
            tier_center=self.tier_center,
            repeat_count=self.assessment.repeat_count,
        )

    def event_data(self) -> dict[str, Any]:
        """What the registration event records of the decision."""
        a, s = self.assessment, self.suggestion
        return {
            "routing": {
                "category": self.category.code if self.category else None,
                "category_name": self.category.name if self.category else "",
                "suggested": s.category.code if s.category else None,
                "confidence": round(float(s.confidence), 3),
                "source": s.source,
                "risk_level": a.level,
                "risk_score": a.score,
                "risk_factors": a.factors,
            }
        }


def assess(draft: CaseDraft, *, risk_floor: str = "") -> RoutingDecision:
    """Classify, grade and tier an appeal being registered. Reads only: the draft is left
    as it was (intake applies the decision)."""
    case = draft.case
    suggestion = classify(case.title, case.description)
    category, kind = case.category, case.kind
    if category is None and suggestion.category is not None:
        category = suggestion.category
        kind = kind if draft.kind_given else suggestion.category.kind
    probe = copy.copy(case)  # graded with the category it will have
    probe.category, probe.kind = category, kind
    assessment = grade(probe, risk_floor or None, draft.parties)
    changes = risk_changes(probe, assessment)
    return RoutingDecision(
        suggestion=suggestion,
        category=category,
        kind=kind,
        assessment=assessment,
        changes=changes,
        tier_center=dispatch.tier_center(probe, assessment.tier_level),
    )

"""Which time limits apply to a case: the most specific active rule, or the built-in default."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fengqiao.cases.models import Case
from fengqiao.deadlines.choices import Counting
from fengqiao.deadlines.models import TimeLimitRule


@dataclass(frozen=True)
class Limits:
    sign_days: int = 1
    resolve_days: int = 10
    visit_days: int = 5
    counting: str = Counting.WORKING
    warn_share: Decimal = Decimal("0.75")
    max_extensions: int = 1
    max_extension_days: int = 10
    # Working days between a red case's progress reports while it is handled (None: none).
    report_every_days: int | None = None
    rule_id: int | None = None


DEFAULT_LIMITS = Limits()


def _score(rule: TimeLimitRule, case: Case) -> tuple[int, int, int] | None:
    category_depth = 0
    if rule.category_id is not None:
        if case.category is None or not case.category.path.startswith(rule.category.path):
            return None
        category_depth = rule.category.path.count("/")
    if rule.kind and rule.kind != case.kind:
        return None
    if rule.risk_level and rule.risk_level != case.risk_level:
        return None
    return (category_depth, 1 if rule.kind else 0, 1 if rule.risk_level else 0)


def limits_for(case: Case) -> Limits:
    """The limits of the most specific matching rule (category, then kind, then risk)."""
    best: tuple[tuple[int, int, int], TimeLimitRule] | None = None
    for rule in TimeLimitRule.objects.filter(is_active=True).select_related("category"):
        score = _score(rule, case)
        if score is not None and (best is None or score > best[0]):
            best = (score, rule)
    if best is None:
        return DEFAULT_LIMITS
    rule = best[1]
    return Limits(
        sign_days=rule.sign_days,
        resolve_days=rule.resolve_days,
        visit_days=rule.visit_days,
        counting=rule.counting,
        warn_share=rule.warn_share,
        max_extensions=rule.max_extensions,
        max_extension_days=rule.max_extension_days,
        report_every_days=rule.report_every_days or None,
        rule_id=rule.pk,
    )

"""平安积分: rules an admin edits, an append-only ledger, rewards redeemed at a center.

Every change of a balance is one :class:`PointEntry` with its reason, written under the
resident's row lock with the balance after it; ``key`` makes an award happen once (a second
review of the same clue, a retried request). Nothing updates or deletes an entry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.org.models import User
from fengqiao.participation import selectors
from fengqiao.participation.models import Citizen, PointEntry, PointRule, Redemption, Reward

# code → (Chinese name, English name, points): the rules a new site starts with.
DEFAULT_RULES = {
    "clue_case": ("线索转为案件", "Clue became a case", 10),
    "hazard_case": ("隐患转为案件", "Hazard became a case", 8),
    "clue_useful": ("线索有效（现场处理）", "Useful clue (handled on the spot)", 5),
    "vote": ("参与议事表决", "Voted in a deliberation", 1),
    "survey": ("参与知晓率调查", "Answered a survey", 1),
}


def ensure_default_rules() -> None:
    for code, (name, name_en, points) in DEFAULT_RULES.items():
        PointRule.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "points": points}
        )


def rule_points(code: str) -> int:
    """The points of an active rule (0 when it is switched off or missing)."""
    rule = PointRule.objects.filter(code=code, is_active=True).first()
    if rule is None and code in DEFAULT_RULES and not PointRule.objects.filter(code=code).exists():
        ensure_default_rules()
        rule = PointRule.objects.filter(code=code, is_active=True).first()
    return rule.points if rule is not None else 0


def update_rule(*, actor: User, code: str, points: int, is_active: bool = True) -> PointRule:
    """An admin (center director or system admin) changes a rule."""
    if not (actor.is_superuser or selectors.centers_of(actor, frozenset({"director", "admin"}))):
        raise PermissionDenied(_("只有中心主任或系统管理员可以修改积分规则。"))
    if not -1000 <= int(points) <= 1000:
        raise ValidationFailed(_("积分应在-1000到1000之间。"), field="points")
    rule = PointRule.objects.filter(code=code).first()
    if rule is None:
        raise ValidationFailed(_("积分规则不存在。"), field="code")
    rule.points = int(points)
    rule.is_active = bool(is_active)
    rule.save(update_fields=["points", "is_active", "updated_at"])
    return rule


def _append(
    resident: Citizen,
    *,
    delta: int,
    reason: str,
    key: str,
    rule_code: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> PointEntry:
    """Append one entry under the resident's row lock (the caller holds a transaction)."""
    Citizen.objects.select_for_update().filter(pk=resident.pk).first()
    existing = PointEntry.objects.filter(resident=resident, key=key).first()
    if existing is not None:
        return existing
    current = int(PointEntry.objects.filter(resident=resident).aggregate(s=Sum("delta"))["s"] or 0)
    if current + delta < 0:
        raise Conflict(
            _("积分不足：当前%(have)d分，需要%(need)d分。") % {"have": current, "need": -delta},
            code="insufficient_points",
        )
    return PointEntry.objects.create(
        resident=resident,
        delta=delta,
        balance=current + delta,
        reason=reason[:200],
        rule_code=rule_code,
        key=key[:64],
        created_by=actor,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def award(
    *,
    resident: Citizen,
    rule_code: str,
    key: str,
    reason: str,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> PointEntry | None:
    """Award the points of ``rule_code`` once per ``key``; None when the rule gives none."""
    points = rule_points(rule_code)
    if points == 0:
        return None
    return _append(
        resident, delta=points, reason=reason, key=key, rule_code=rule_code, actor=actor, now=now
    )


@transaction.atomic
def redeem(
    *, actor: User, resident: Citizen, reward: Reward, now: dt.datetime | None = None
) -> Redemption:
    """Staff at the reward's center hand it over: the points are deducted, the stock falls."""
    if not (actor.is_superuser or reward.center in selectors.centers_of(actor)):
        raise PermissionDenied(_("只能在奖品所属的综治中心兑换。"))
    if not reward.is_active:
        raise ValidationFailed(_("该奖品已下架。"), field="reward")
    taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        raise Conflict(_("该奖品已兑完。"), code="out_of_stock")
    now = now or timezone.now()
    redemption = Redemption.objects.create(
        resident=resident, reward=reward, points=reward.cost, handled_by=actor, created_at=now
    )
    _append(
        resident,
        delta=-reward.cost,
        reason=f"兑换：{reward.name}",  # stored data, not interface text
        key=f"redeem:{redemption.pk}",
        actor=actor,
        now=now,
    )
    return redemption

"""Risk grading (风险研判): an explainable score and the level of the configured scheme.

The score is the sum of the factors that fired; each is kept with its weight and a detail
that a dispatcher can read. The level is the highest level of the active scheme whose
minimum score the total reaches; the level decides the handling tier.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, AssignmentStatus, PartyRole
from fengqiao.cases.models import Case, CaseAssignment, CaseEvent, Party
from fengqiao.routing import config
from fengqiao.routing.choices import RiskFactor, RiskWordGroup
from fengqiao.routing.defaults import RISK_WEIGHTS
from fengqiao.routing.models import CategoryRisk, RiskLevel, RiskWeight, RiskWord


@dataclass(frozen=True)
class LevelInfo:
    code: str
    label: str
    colour: str
    min_score: int
    tier_level: int
    resolve_days: int
    needs_leader: bool
    rank: int  # 0 = lowest


@dataclass(frozen=True)
class Scheme:
    levels: tuple[LevelInfo, ...]  # lowest first

    @property
    def top(self) -> LevelInfo:
        return self.levels[-1]

    def get(self, code: str) -> LevelInfo | None:
        for level in self.levels:
            if level.code == code:
                return level
        return None

    def for_score(self, score: int) -> LevelInfo:
        chosen = self.levels[0]
        for level in self.levels:
            if score >= level.min_score:
                chosen = level
        return chosen

    def rank(self, code: str) -> int:
        level = self.get(code)
        return level.rank if level else -1


# Used only when no scheme is configured at all (a database without the data migration).
_FALLBACK = Scheme(
    (
        LevelInfo("blue", "蓝色", "#1a73e8", 0, 5, 10, False, 0),
        LevelInfo("yellow", "黄色", "#f9ab00", 30, 4, 15, False, 1),
        LevelInfo("red", "红色", "#d93025", 60, 3, 30, True, 2),
    )
)


def active_scheme() -> Scheme:
    """The levels of the scheme in use, lowest first (cached; see :mod:`.config`)."""
    return config.cached("risk_scheme", _load_scheme)


def _load_scheme() -> Scheme:
    rows = list(
        RiskLevel.objects.filter(scheme__is_active=True)
        .order_by("min_score", "id")
        .values_list(
            "code", "label", "colour", "min_score", "tier_level", "resolve_days", "needs_leader"
        )
    )
    if not rows:
        return _FALLBACK
    return Scheme(tuple(LevelInfo(*row, rank=i) for i, row in enumerate(rows)))


def tier_for(level: str) -> int | None:
    """The region level (3 county, 4 township, 5 village) whose center handles this level."""
    info = active_scheme().get(level)
    return info.tier_level if info else None


def resolve_days_for(level: str) -> int | None:
    """The usual time limit (working days) of this level, a hint for the deadline rules."""
    info = active_scheme().get(level)
    return info.resolve_days if info else None


@dataclass(frozen=True)
class Weight:
    weight: int
    threshold: int | None


def _weights() -> dict[str, Weight | None]:
    """Factor code → weight; None for a factor an admin switched off."""
    return config.cached("risk_weights", _load_weights)


def _load_weights() -> dict[str, Weight | None]:
    out: dict[str, Weight | None] = {code: Weight(w, t) for code, (w, t) in RISK_WEIGHTS.items()}
    for code, weight, threshold, active in RiskWeight.objects.values_list(
        "code", "weight", "threshold", "is_active"
    ):
        out[code] = Weight(weight, threshold) if active else None
    return out


@lru_cache(maxsize=8)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


def _risk_words() -> dict[str, tuple[str, int]]:
    return config.cached("risk_words", _load_risk_words)


def _category_bases() -> dict[str, int]:
    return config.cached(
        "category_risk", lambda: dict(CategoryRisk.objects.values_list("category__code", "score"))
    )


def _load_risk_words() -> dict[str, tuple[str, int]]:
    return {
        word: (group, weight)
        for word, group, weight in RiskWord.objects.filter(is_active=True).values_list(
            "word", "group", "weight"
        )
    }


@dataclass(frozen=True)
class RiskAssessment:
    level: str
    score: int
    factors: list[dict] = field(default_factory=list)
    label: str = ""
    colour: str = ""
    tier_level: int | None = None
    needs_leader: bool = False
    repeat_count: int = 0


def _factor(code: str, weight: int, detail: str, label: str | None = None) -> dict:
    return {
        "code": str(code),
        "label": label or str(RiskFactor(code).label),
        "weight": int(weight),
        "detail": detail,
    }


@dataclass(frozen=True)
class History:
    """What the parties' keyed phone and ID hashes find among earlier cases."""

    repeat_count: int  # earlier appeals in the window (same applicant phone/ID, or address)
    prior_top: list[str]  # codes of earlier top-level cases of any of the parties (≤ 5)


HISTORY_ROWS = 500
HISTORY_PARTIES = 5000  # party rows one probe reads (a phone on more cases is cut there)


def _history_rows(
    case: Case, phones: list[str], ids: list[str], since: dt.datetime, top_level: str
) -> list[tuple]:
    """The parties sharing a phone or ID hash with this case's parties, on earlier appeals
    in the window or on top-level cases: (case id, role, phone hash, ID hash, in window,
    risk level, code).

    Two single-table statements: the parties on the keyed hashes' indexes, then (only when
    some were found) their cases by id. One statement joining the two cost PostgreSQL
    ≈ 0.8 ms a registration, nearly all of it planning (the planner weighs every one of the
    cases table's indexes for the join), where these two cost ≈ 0.2 ms. Written as SQL:
    registration runs it on every case, and the ORM spent longer building the queries than
    the database answering them."""
    party, case_table = Party._meta.db_table, Case._meta.db_table
    match, params = [], []
    if phones:
        match.append(f"phone_hash IN ({', '.join(['%s'] * len(phones))})")
        params += phones
    if ids:
        match.append(f"id_number_hash IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT case_id, role, phone_hash, id_number_hash FROM {party} "
            f"WHERE ({' OR '.join(match)}) AND case_id <> %s LIMIT %s",
            [*params, case.pk or 0, HISTORY_PARTIES],
        )
        parties = cursor.fetchall()
        if not parties:
            return []
        case_ids = sorted({row[0] for row in parties})
        ops = connection.ops
        start, end = (ops.adapt_datetimefield_value(v) for v in (since, case.registered_at))
        window = "registered_at >= %s AND registered_at <= %s"
        cursor.execute(
            f"SELECT id, CASE WHEN {window} THEN 1 ELSE 0 END, risk_level, code "
            f"FROM {case_table} WHERE id IN ({', '.join(['%s'] * len(case_ids))}) "
            f"AND (({window}) OR risk_level = %s)",
            [start, end, *case_ids, start, end, top_level],
        )
        cases = {row[0]: row[1:] for row in cursor.fetchall()}
    rows = []
    for case_id, role, phone, id_hash in parties:
        found = cases.get(case_id)
        if found is None:
            continue
        in_window, level, code = found
        in_window = 1 if in_window and role == PartyRole.APPLICANT else 0
        if in_window or level == top_level:
            rows.append((case_id, role, phone, id_hash, in_window, level, code))
            if len(rows) >= HISTORY_ROWS:
                break
    return rows


def applicant_history(
    case: Case, *, days: int = 90, top_level: str, parties: list[Party] | None = None
) -> History:
    """One probe on the parties' keyed hashes answers both questions risk grading asks
    of the past: how many earlier appeals in ``days`` came from the same applicant phone or
    ID number (or, by a second probe, about the same address), and which earlier cases of
    any of these parties reached ``top_level``."""
    parties = list(case.parties.all()) if parties is None else parties
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    applicant_phones = {p.phone_hash for p in applicants if p.phone_hash}
    applicant_ids = {p.id_number_hash for p in applicants if p.id_number_hash}
    phones = sorted({p.phone_hash for p in parties if p.phone_hash})
    ids = sorted({p.id_number_hash for p in parties if p.id_number_hash})
    since = case.registered_at - dt.timedelta(days=days)
    repeat_ids: set[int] = set()
    prior: dict[int, str] = {}
    if phones or ids:
        for case_id, role, phone, id_hash, in_window, level, code in _history_rows(
            case, phones, ids, since, top_level
        ):
            if (
                in_window
                and role == PartyRole.APPLICANT
                and (
                    (phone and phone in applicant_phones) or (id_hash and id_hash in applicant_ids)
                )
            ):
                repeat_ids.add(case_id)
            if level == top_level:
                prior[case_id] = code
    if case.address_key:
        repeat_ids.update(
            Case.objects.filter(
                registered_at__gte=since,
                registered_at__lte=case.registered_at,
                address_key=case.address_key,
            )
            .exclude(pk=case.pk)
            .values_list("pk", flat=True)[:HISTORY_ROWS]
        )
    return History(repeat_count=len(repeat_ids), prior_top=sorted(prior.values())[:5])


def _category_factors(case: Case, weights: dict[str, Weight | None]) -> list[dict]:
    w = weights.get(RiskFactor.CATEGORY)
    if not (w and case.category_id):
        return []
    bases = _category_bases()
    for code in reversed([c for c in case.category.path.split("/") if c]):
        if code in bases:  # the most specific node that has a base risk
            if not bases[code] * w.weight:
                return []
            detail = _("分类“%(category)s”") % {"category": case.category.name}
            return [_factor(RiskFactor.CATEGORY, bases[code] * w.weight, detail)]
    return []


def _word_factors(case: Case, weights: dict[str, Weight | None]) -> list[dict]:
    w = weights.get(RiskFactor.WORDS)
    if not w:
        return []
    words = _risk_words()
    pattern = _word_pattern(tuple(sorted(words)))
    found = sorted(
        set(pattern.findall(f"{case.title}\n{case.description}")) if pattern else set(),
        key=lambda word: (-words[word][1], word),
    )
    factors, room = [], w.weight
    for word in found:
        if room <= 0:
            break
        group, weight = words[word]
        add = min(weight, room)
        room -= add
        detail = _("出现“%(word)s”（%(group)s）") % {
            "word": word,
            "group": RiskWordGroup(group).label,
        }
        factors.append(_factor(RiskFactor.WORDS, add, detail, label=_("风险词")))
    return factors


def _group_factors(case: Case, weights: dict[str, Weight | None]) -> list[dict]:
    large, group = weights.get(RiskFactor.LARGE_GROUP), weights.get(RiskFactor.GROUP)
    people = case.people_count or 1
    detail = _("涉及%(n)d人") % {"n": people}
    if large and people >= (large.threshold or 30):
        return [_factor(RiskFactor.LARGE_GROUP, large.weight, detail)]
    if group and people >= (group.threshold or 5):
        return [_factor(RiskFactor.GROUP, group.weight, detail)]
    return []


def _party_factors(parties: list[Party], weights: dict[str, Weight | None]) -> list[dict]:
    factors = []
    for code, attr in (
        (RiskFactor.ELDERLY, "is_elderly"),
        (RiskFactor.MINOR, "is_minor"),
        (RiskFactor.DISABLED, "is_disabled"),
    ):
        w = weights.get(code)
        names = [p.masked_name for p in parties if getattr(p, attr)]
        if w and names:
            factors.append(_factor(code, w.weight, "、".join(names)))
    return factors


def _repeat_factors(history: History, days: int, weights: dict[str, Weight | None]) -> list[dict]:
    w = weights.get(RiskFactor.REPEAT)
    if not (w and history.repeat_count):
        return []
    detail = _("近%(days)d天内同一电话、身份证号或地址已有%(n)d次诉求") % {
        "days": days,
        "n": history.repeat_count,
    }
    return [_factor(RiskFactor.REPEAT, w.weight * min(history.repeat_count, 3), detail)]


def _prior_factors(history: History, scheme: Scheme, weights: dict[str, Weight | None]) -> list:
    w = weights.get(RiskFactor.PRIOR_RED)
    if not (w and history.prior_top):
        return []
    detail = _("当事人曾有%(level)s案件：%(codes)s") % {
        "level": scheme.top.label,
        "codes": "、".join(history.prior_top),
    }
    return [_factor(RiskFactor.PRIOR_RED, w.weight, detail)]


def _handling_factors(case: Case, weights: dict[str, Weight | None]) -> list[dict]:
    factors = []
    # A case never dispatched nor resolved has no returns or reopenings to count.
    if case.pk and (case.dispatched_at or case.resolved_at or case.closed_at):
        w = weights.get(RiskFactor.RETURNED)
        returns = CaseAssignment.objects.filter(
            case_id=case.pk, status=AssignmentStatus.RETURNED
        ).count()
        if w and returns:
            detail = _("已被退回%(n)d次") % {"n": returns}
            factors.append(_factor(RiskFactor.RETURNED, w.weight * min(returns, 3), detail))
        w = weights.get(RiskFactor.REOPENED)
        reopened = CaseEvent.objects.filter(
            case_id=case.pk, action__in=[Action.REOPEN, Action.SEND_BACK]
        ).count()
        if w and reopened:
            detail = _("已重新办理或退回重办%(n)d次") % {"n": reopened}
            factors.append(_factor(RiskFactor.REOPENED, w.weight * min(reopened, 3), detail))
    w = weights.get(RiskFactor.OVERDUE)
    if w and case.is_overdue:
        factors.append(_factor(RiskFactor.OVERDUE, w.weight, _("办理已超期")))
    return factors


def grade_risk(case: Case, *, parties: list[Party] | None = None) -> RiskAssessment:
    """Score a case and give its level in the active scheme, with every factor that fired
    and its weight. ``parties`` grades a case being registered (not saved yet)."""
    scheme = active_scheme()
    weights = _weights()
    parties = list(case.parties.all()) if parties is None else parties
    w = weights.get(RiskFactor.REPEAT)
    days = w.threshold if w and w.threshold else 90
    history = applicant_history(case, days=days, top_level=scheme.top.code, parties=parties)
    factors = [
        *_category_factors(case, weights),
        *_word_factors(case, weights),
        *_group_factors(case, weights),
        *_repeat_factors(history, days, weights),
        *_party_factors(parties, weights),
        *_prior_factors(history, scheme, weights),
        *_handling_factors(case, weights),
    ]
    score = sum(f["weight"] for f in factors)
    level = scheme.for_score(score)
    return RiskAssessment(
        level=level.code,
        score=score,
        factors=factors,
        label=level.label,
        colour=level.colour,
        tier_level=level.tier_level,
        needs_leader=level.needs_leader,
        repeat_count=history.repeat_count,
    )


def with_floor(assessment: RiskAssessment, floor: str | None) -> RiskAssessment:
    """Keep a level set by a person (the receptionist's judgement) as a floor."""
    scheme = active_scheme()
    floor_info = scheme.get(floor or "")
    if floor_info is None or floor_info.rank <= scheme.rank(assessment.level):
        return assessment
    factors = [
        *assessment.factors,
        _factor(
            RiskFactor.MANUAL,
            0,
            _("受理人员研判为%(level)s") % {"level": floor_info.label},
        ),
    ]
    return RiskAssessment(
        level=floor_info.code,
        score=assessment.score,
        factors=factors,
        label=floor_info.label,
        colour=floor_info.colour,
        tier_level=floor_info.tier_level,
        needs_leader=floor_info.needs_leader,
        repeat_count=assessment.repeat_count,
    )

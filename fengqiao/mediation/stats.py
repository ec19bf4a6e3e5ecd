"""Mediation statistics, computed from sessions: success rate, duration and satisfaction per
mediator, organization, category and level, with the same span a year earlier.

What is counted (so that the rates are honest):

- a *mediation* is a case's round that ended it: outcome 成功, 部分成功 or 失败, held in the
  period (rounds that ended in 继续调解 are counted as rounds, not as mediations);
- success rate = 成功 / mediations; agreement rate = (成功 + 部分成功) / mediations;
- duration = from the mediation's first round to the round that ended it, in days (the
  mean; each session stores its duration when the outcome is recorded);
- satisfaction = 满意 / rated, over the mediations' cases the citizen rated (visits back);
  the number rated is given beside it, since few ratings make a rate say little.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Satisfaction
from fengqiao.core.i18n import pick_name
from fengqiao.mediation.choices import FINAL_OUTCOMES, Outcome
from fengqiao.mediation.models import Session
from fengqiao.regions.models import Level

DIMENSIONS = ("mediator", "organization", "category", "level")


@dataclass
class Figures:
    key: str
    label: str
    mediations: int = 0
    success: int = 0
    partial: int = 0
    failed: int = 0
    rounds: int = 0
    rated: int = 0
    satisfied: int = 0
    timed: int = 0  # mediations with a duration
    seconds: int = 0  # their durations, summed

    @property
    def success_rate(self) -> float | None:
        return round(self.success / self.mediations, 4) if self.mediations else None

    @property
    def agreement_rate(self) -> float | None:
        done = self.success + self.partial
        return round(done / self.mediations, 4) if self.mediations else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.rated, 4) if self.rated else None

    @property
    def mean_days(self) -> float | None:
        return round(self.seconds / self.timed / 86400, 1) if self.timed else None

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(
            success_rate=self.success_rate,
            agreement_rate=self.agreement_rate,
            satisfaction_rate=self.satisfaction_rate,
            mean_days=self.mean_days,
        )
        return out


@dataclass
class Row:
    """One group this period, and the same group a year earlier."""

    now: Figures
    before: Figures

    @property
    def success_change(self) -> float | None:
        """Change of the success rate in percentage points."""
        if self.now.success_rate is None or self.before.success_rate is None:
            return None
        return round((self.now.success_rate - self.before.success_rate) * 100, 1)

    @property
    def count_change(self) -> float | None:
        """Change of the number of mediations, in per cent."""
        if not self.before.mediations:
            return None
        return round((self.now.mediations / self.before.mediations - 1) * 100, 1)

    def as_dict(self) -> dict:
        return {
            "now": self.now.as_dict(),
            "before": self.before.as_dict(),
            "success_change_pp": self.success_change,
            "count_change_pct": self.count_change,
        }


@dataclass
class Report:
    by: str
    start: dt.date
    end: dt.date
    total: Row
    rows: list[Row]

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "previous": {
                "start": _year_before(self.start).isoformat(),
                "end": _year_before(self.end).isoformat(),
            },
            "total": self.total.as_dict(),
            "rows": [r.as_dict() for r in self.rows],
        }


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_of(year: int | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """A calendar year; the current one up to today (compared with the same span before)."""
    today = today or timezone.localdate()
    year = year or today.year
    start = dt.date(year, 1, 1)
    end = min(dt.date(year + 1, 1, 1), today + dt.timedelta(days=1))
    return start, end


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tz), dt.datetime.combine(end, dt.time.min, tz))


GROUPS = {
    "mediator": ("mediator_id", "mediator__name"),
    "organization": ("organization_id", "organization__name"),
    "category": ("case__category_id", "case__category__name"),
    # (the English name is read beside it: see _collect)
    "level": ("center__region__level", None),
}


def _label(by: str, key, name) -> str:
    if key is None:
        return str(_("未注明组织") if by == "organization" else _("未分类"))
    if by == "level":
        return str(Level(key).label) if key in Level.values else str(key)
    return name or str(key)


def _collect(sessions: QuerySet[Session], by: str, start: dt.date, end: dt.date) -> dict:
    """The period's mediations counted in the database: one GROUP BY (group, outcome,
    satisfaction), a few rows per group, whatever the number of sessions."""
    lo, hi = _bounds(start, end)
    key_field, name_field = GROUPS[by]
    fields = [key_field] + ([name_field] if name_field else [])
    if by == "category":
        fields.append("case__category__name_en")
    rows = (
        sessions.filter(outcome__in=FINAL_OUTCOMES, held_at__gte=lo, held_at__lt=hi)
        .order_by()
        .values(*fields, "outcome", "case__satisfaction")
        .annotate(n=Count("id"), rounds=Sum("round"), timed=Count("duration_seconds"),
                  seconds=Sum("duration_seconds"))
    )  # fmt: skip
    groups: dict[str, Figures] = {}
    total = Figures(key="all", label=str(_("合计")))
    for row in rows:
        raw = row[key_field]
        key = "-" if raw is None else str(raw)
        fig = groups.get(key)
        if fig is None:
            name = row.get(name_field or "", "")
            if by == "category":
                name = pick_name(name or "", row["case__category__name_en"] or "")
            fig = groups[key] = Figures(key, _label(by, raw, name))
        for f in (fig, total):
            n = row["n"]
            f.mediations += n
            f.rounds += row["rounds"] or 0
            f.timed += row["timed"] or 0
            f.seconds += row["seconds"] or 0
            if row["outcome"] == Outcome.SUCCESS:
                f.success += n
            elif row["outcome"] == Outcome.PARTIAL:
                f.partial += n
            else:
                f.failed += n
            if row["case__satisfaction"]:
                f.rated += n
                f.satisfied += n if row["case__satisfaction"] == Satisfaction.SATISFIED else 0
    return {"groups": groups, "total": total}


def report(
    sessions: QuerySet[Session],
    *,
    by: str = "mediator",
    year: int | None = None,
    today: dt.date | None = None,
) -> Report:
    """The figures of ``sessions`` (already scoped to the user) grouped ``by`` a dimension."""
    if by not in DIMENSIONS:
        by = "mediator"
    start, end = period_of(year, today)
    now = _collect(sessions, by, start, end)
    before = _collect(sessions, by, _year_before(start), _year_before(end))
    keys = list(now["groups"]) + [k for k in before["groups"] if k not in now["groups"]]
    rows = []
    for key in keys:
        a = now["groups"].get(key)
        b = before["groups"].get(key)
        label = (a or b).label
        rows.append(Row(a or Figures(key, label), b or Figures(key, label)))
    rows.sort(key=lambda r: (-r.now.mediations, -r.before.mediations, r.now.label))
    return Report(by, start, end, Row(now["total"], before["total"]), rows)


def mediator_ratings(mediator_ids: list[int]) -> dict[int, Figures]:
    """All-time figures per mediator (the directory's ratings), one GROUP BY."""
    out: dict[int, Figures] = defaultdict(lambda: Figures("", ""))
    rows = (
        Session.objects.filter(mediator_id__in=mediator_ids, outcome__in=FINAL_OUTCOMES)
        .order_by()
        .values("mediator_id", "outcome", "case__satisfaction")
        .annotate(n=Count("id"))
    )
    for row in rows:
        f = out[row["mediator_id"]]
        n = row["n"]
        f.mediations += n
        f.success += n if row["outcome"] == Outcome.SUCCESS else 0
        f.partial += n if row["outcome"] == Outcome.PARTIAL else 0
        if row["case__satisfaction"]:
            f.rated += n
            f.satisfied += n if row["case__satisfaction"] == Satisfaction.SATISFIED else 0
    return dict(out)

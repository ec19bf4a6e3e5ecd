"""Monthly assessment (考核) of the units handling a center's cases, and its Excel export.

Each indicator is a ratio in [0, 1], weighted by :class:`AssessmentWeight` (admin-edited;
defaults on_time 30, returns 15, supervision 15, satisfaction 25, standard 15):

- ``on_time``: cases the unit led and resolved in the month without going overdue, over those
  it resolved (1 when it resolved none);
- ``returns``: 1 − its returned assignments over its assignments of the month;
- ``supervision``: 1 − 督办 orders against it (挂牌 counts 3, 重点 2, 一般 1) over its led cases,
  floored at 0;
- ``satisfaction``: 满意 and 基本满意 over the rated cases it led (1 when none was rated);
- ``standard``: for a center, its checklist points met over the points that apply; for a
  department, its 不稳定因素 reports of the month submitted on time over those asked.

The score is Σ weight × ratio (one decimal). A 一票否决 of the month sets the score to 0.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fengqiao.cases.models import CaseAssignment
from fengqiao.centers import selectors
from fengqiao.centers.choices import NoticeKind, ReportStatus
from fengqiao.centers.models import AssessmentNotice, AssessmentWeight, FactorReport
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit
from fengqiao.supervision.models import SupervisionOrder

GRADE_WEIGHT = {"general": 1, "key": 2, "listed": 3}
INDICATORS = ("on_time", "returns", "supervision", "satisfaction", "standard")


def month_bounds(period: dt.date) -> tuple[dt.date, dt.date]:
    start = period.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


@dataclass
class Row:
    unit: Unit
    ratios: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    score: float = 0.0
    vetoed: bool = False
    rank: int = 0


def weights() -> dict[str, int]:
    return {w.code: w.weight for w in AssessmentWeight.objects.filter(is_active=True)}


def _case_figures(center: Unit, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    cases = selectors.cases_of(center)
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    resolved = (
        cases.filter(
            resolved_at__date__gte=start, resolved_at__date__lt=end, lead_unit__isnull=False
        )
        .values("lead_unit_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(is_overdue=True)))
    )
    for r in resolved:
        figures[r["lead_unit_id"]]["resolved"] = r["n"]
        figures[r["lead_unit_id"]]["late"] = r["late"]
    rated = (
        cases.filter(closed_at__date__gte=start, closed_at__date__lt=end, lead_unit__isnull=False)
        .exclude(satisfaction="")
        .values("lead_unit_id")
        .annotate(
            n=Count("id"), good=Count("id", filter=Q(satisfaction__in=["satisfied", "basic"]))
        )
    )
    for r in rated:
        figures[r["lead_unit_id"]]["rated"] = r["n"]
        figures[r["lead_unit_id"]]["good"] = r["good"]
    assigned = (
        CaseAssignment.objects.filter(
            case__in=cases.values("pk"), assigned_at__date__gte=start, assigned_at__date__lt=end
        )
        .values("unit_id")
        .annotate(n=Count("id"), back=Count("id", filter=Q(status="returned")))
    )
    for r in assigned:
        figures[r["unit_id"]]["assigned"] = r["n"]
        figures[r["unit_id"]]["returned"] = r["back"]
    for r in (
        SupervisionOrder.objects.filter(
            case__in=cases.values("pk"), issued_at__date__gte=start, issued_at__date__lt=end
        )
        .values("unit_id", "grade")
        .annotate(n=Count("id"))
    ):
        figures[r["unit_id"]]["supervision"] += GRADE_WEIGHT.get(r["grade"], 1) * r["n"]
    return figures


def _standard(units: list[Unit], start: dt.date) -> dict[int, float]:
    out: dict[int, float] = {}
    centers = [u for u in units if u.kind == UnitKind.CENTER]
    _items, rows = selectors.compliance(centers)
    for r in rows:
        out[r.center.pk] = r.points / r.total if r.total else 0.0
    asked: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, status in FactorReport.objects.filter(
        unit__in=[u.pk for u in units], period=start
    ).values_list("unit_id", "status"):
        asked[unit_id][0] += 1
        asked[unit_id][1] += 1 if status == ReportStatus.SUBMITTED else 0
    for u in units:
        if u.kind != UnitKind.CENTER:
            a, ok = asked.get(u.pk, (0, 0))
            out[u.pk] = ok / a if a else 1.0
    return out


def ranking(center: Unit, period: dt.date) -> list[Row]:
    """The month's ranking of the units that handled the center's cases, best first."""
    start, end = month_bounds(period)
    figures = _case_figures(center, start, end)
    units = list(Unit.objects.filter(pk__in=list(figures)).select_related("region"))
    standard = _standard(units, start)
    vetoed = set(
        AssessmentNotice.objects.filter(
            kind=NoticeKind.VETO, period=start, unit__in=[u.pk for u in units]
        ).values_list("unit_id", flat=True)
    )
    w = weights()
    rows = []
    for u in units:
        f = figures[u.pk]
        led = max(f["resolved"], 1)
        ratios = {
            "on_time": (f["resolved"] - f["late"]) / f["resolved"] if f["resolved"] else 1.0,
            "returns": 1 - f["returned"] / f["assigned"] if f["assigned"] else 1.0,
            "supervision": max(0.0, 1 - f["supervision"] / led),
            "satisfaction": f["good"] / f["rated"] if f["rated"] else 1.0,
            "standard": standard.get(u.pk, 1.0),
        }
        score = round(sum(w.get(k, 0) * v for k, v in ratios.items()), 1)
        row = Row(u, ratios, dict(f), 0.0 if u.pk in vetoed else score, u.pk in vetoed)
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, r.unit.name))
    for i, r in enumerate(rows, 1):
        r.rank = i
    return rows


def export_xlsx(center: Unit, period: dt.date, rows: list[Row]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{period:%Y-%m}"
    names = {w.code: w.display_name for w in AssessmentWeight.objects.all()}
    ws.append([f"{center.name} {period:%Y-%m} " + _("考核排名")])
    ws.append(
        [_("名次"), _("单位"), *[names.get(k, k) for k in INDICATORS], _("得分"), _("一票否决")]
    )
    for r in rows:
        ws.append(
            [
                r.rank,
                r.unit.name,
                *[round(100 * r.ratios[k], 1) for k in INDICATORS],
                r.score,
                _("是") if r.vetoed else "",
            ]
        )
    notices = AssessmentNotice.objects.filter(issued_by=center, period=month_bounds(period)[0])
    ns = wb.create_sheet(_("通报约谈"))
    ns.append([_("类别"), _("单位"), _("内容"), _("涉及案件"), _("约谈对象")])
    for n in notices.select_related("unit"):
        ns.append([n.get_kind_display(), n.unit.name, n.text, "、".join(n.cases), n.talked_with])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""The monthly report of a region (月度研判报告): the month's figures by place against the month
before and the same month a year ago, top categories, the regions below, the 平安稳定指数 with
its components, and the month's warnings. As Excel (openpyxl, with a chart) and as PDF
(``core.pdf``, the Chinese font embedded, the charts drawn as inline SVG). Everything comes
from the cells and the index, so a report costs a few reads whatever the region's size."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from fengqiao.analytics import stability, warning
from fengqiao.analytics.models import RollupCell, StabilityIndex, WarningAlert
from fengqiao.analytics.selectors import Figures, _figures, _months_back, _sums
from fengqiao.cases.models import Category
from fengqiao.core.i18n import pick_name
from fengqiao.core.pdf import render_pdf
from fengqiao.notifications.services import notify
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, Unit
from fengqiao.regions.models import Level, Region

BAR_WIDTH = 360


@dataclass
class MonthReport:
    region: Region
    month: dt.date
    figures: Figures
    previous: Figures
    last_year: Figures
    categories: list[tuple[str, int]]
    children: list[tuple[Region, Figures, float | None]]
    index: StabilityIndex | None
    parts: list[stability.Contribution]
    alerts: list[WarningAlert]

    @property
    def title(self) -> str:
        return _("%(region)s %(month)s 月度研判报告") % {
            "region": self.region.full_name,
            "month": f"{self.month:%Y-%m}",
        }


def _month_cells(paths: list[str], month: dt.date):
    return RollupCell.objects.filter(path__in=paths, month=month).order_by()


def month_report(region: Region, month: dt.date) -> MonthReport:
    month = month.replace(day=1)
    rows = _sums(_month_cells([region.path], month), "category")
    cats = Category.objects.in_bulk([r["category"] for r in rows if r["category"]])
    categories = sorted(
        (
            (pick_name(cats[r["category"]].name, cats[r["category"]].name_en)
             if r["category"] in cats else "—", r["total"])
            for r in rows if r["total"]
        ),
        key=lambda x: -x[1],
    )[:10]  # fmt: skip
    children = list(region.children.order_by("code")[:100])
    by_child: dict[str, list[dict]] = {}
    for r in _sums(_month_cells([c.path for c in children], month), "path"):
        by_child.setdefault(r["path"], []).append(r)
    scores = dict(
        StabilityIndex.objects.filter(path__in=[c.path for c in children], month=month)
        .values_list("path", "score")
    )  # fmt: skip
    index = StabilityIndex.objects.filter(path=region.path, month=month).first()
    return MonthReport(
        region=region,
        month=month,
        figures=_figures(rows),
        previous=_figures(_sums(_month_cells([region.path], _months_back(month, 1)), "path")),
        last_year=_figures(_sums(_month_cells([region.path], _months_back(month, 12)), "path")),
        categories=categories,
        children=sorted(
            ((c, _figures(by_child.get(c.path, [])), scores.get(c.path)) for c in children),
            key=lambda x: (-x[1].total, x[0].code),
        ),
        index=index,
        parts=stability.explain(index) if index else [],
        alerts=warning.alerts_for(region, month),
    )


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _summary_rows(r: MonthReport) -> list[tuple[str, object, object, object]]:
    f, p, y = r.figures, r.previous, r.last_year
    return [
        (_("案件数"), f.total, p.total, y.total),
        (_("红色风险"), f.red, p.red, y.red),
        (_("超期"), f.overdue, p.overdue, y.overdue),
        (_("重复信访"), f.repeat, p.repeat, y.repeat),
        (_("化解率"), _pct(f.resolution_rate), _pct(p.resolution_rate), _pct(y.resolution_rate)),
        (_("按时办结率"), _pct(f.on_time_rate), _pct(p.on_time_rate), _pct(y.on_time_rate)),
        (_("满意率"), _pct(f.satisfaction_rate), _pct(p.satisfaction_rate),
         _pct(y.satisfaction_rate)),
        (_("小事不出村"), _pct(f.village_share), _pct(p.village_share), _pct(y.village_share)),
        (_("大事不出镇"), _pct(f.township_share), _pct(p.township_share),
         _pct(y.township_share)),
    ]  # fmt: skip


def to_excel(r: MonthReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("概况")
    ws.append([r.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("指标"), _("本月"), _("上月"), _("去年同月")])
    for row in _summary_rows(r):
        ws.append(list(row))
    if r.index:
        ws.append([])
        ws.append([_("平安稳定指数"), round(r.index.score, 1)])
        ws.append([_("指标"), _("数值"), _("权重"), _("扣分")])
        for c in r.parts:
            ws.append([c.label, c.value, c.weight, c.points])
    ws.column_dimensions["A"].width = 24
    cats = wb.create_sheet(_("主要类别"))
    cats.append([_("分类"), _("案件数")])
    for name, n in r.categories:
        cats.append([name, n])
    if r.categories:
        chart = BarChart()
        chart.title = _("主要类别")
        chart.add_data(Reference(cats, min_col=2, min_row=1, max_row=len(r.categories) + 1),
                       titles_from_data=True)  # fmt: skip
        chart.set_categories(Reference(cats, min_col=1, min_row=2, max_row=len(r.categories) + 1))
        cats.add_chart(chart, "D2")
    below = wb.create_sheet(_("下级区域"))
    below.append([_("区域"), _("案件数"), _("红色"), _("超期"), _("化解率"), _("指数")])
    for region, f, score in r.children:
        below.append([region.name, f.total, f.red, f.overdue, _pct(f.resolution_rate),
                      None if score is None else round(score, 1)])  # fmt: skip
    alerts = wb.create_sheet(_("预警"))
    alerts.append([_("区域"), _("分类"), _("本月件数"), _("基线"), _("显著性")])
    for a in r.alerts:
        alerts.append([a.region.name, pick_name(a.category.name, a.category.name_en), a.observed,
                       a.expected, round(a.p_value, 5)])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bars(items: list[tuple[str, int]]) -> list[dict]:
    top = max((n for _name, n in items), default=0) or 1
    return [{"name": name, "n": n, "width": round(BAR_WIDTH * n / top)} for name, n in items]


def to_pdf(r: MonthReport) -> bytes:
    return render_pdf(
        "analytics/report_pdf.html",
        {
            "r": r,
            "summary": _summary_rows(r),
            "category_bars": _bars(r.categories),
            "child_bars": _bars([(c.name, f.total) for c, f, _s in r.children if f.total][:15]),
            "bar_width": BAR_WIDTH,
        },
    )


def announce_monthly_reports(today: dt.date) -> int:
    """On schedule: tell the directors and leaders of every county-and-above center that last
    month's report is ready (once per center and month); returns the messages written."""
    month = warning.last_complete_month(today)
    sent = 0
    for center in Unit.objects.filter(kind=UnitKind.CENTER, region__level__lte=Level.COUNTY):
        users = [
            m.user
            for m in Membership.objects.filter(
                unit=center, role__in=(Role.DIRECTOR, Role.LEADER), is_active=True
            ).select_related("user")
        ]
        if not users:
            continue
        link = reverse("analytics:report") + f"?region={center.region_id}&month={month:%Y-%m}"
        sent += len(
            notify(
                recipients=users,
                title=_("%(month)s 月度研判报告已生成") % {"month": f"{month:%Y-%m}"},
                body=center.name,
                link=link,
                kind="analytics_report",
                dedupe_key=f"report:{center.pk}:{month:%Y-%m}",
            )
        )
    return sent

"""Monthly ranking, notices, the Excel export, reports and emergency plans."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from fengqiao.cases.models import Case
from fengqiao.centers import assessment, services
from fengqiao.centers.choices import NoticeKind, PlanStatus, ReportStatus
from fengqiao.centers.models import FactorReport, PlanTemplate
from fengqiao.core.errors import Conflict, ValidationFailed
from fengqiao.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_ranking_scores_units_and_a_veto_sets_zero(cw):
    w = cw.world
    a = w.register(status="resolved", lead_unit=w.justice)
    b = w.register(status="resolved", lead_unit=w.police)
    Case.objects.filter(pk=b.pk).update(is_overdue=True)
    period = timezone.localdate()
    rows = {r.unit: r for r in assessment.ranking(w.county_center, period)}
    assert rows[w.justice].ratios["on_time"] == 1.0 and rows[w.police].ratios["on_time"] == 0.0
    assert rows[w.justice].score - rows[w.police].score == pytest.approx(30.0)
    assert rows[w.justice].rank == 1
    services.issue_notice(
        kind=NoticeKind.VETO,
        unit=w.justice,
        issued_by=w.county_center,
        period=period,
        text="瞒报群体性事件",
        cases=[a.code],
        actor=w.director,
    )
    rows = {r.unit: r for r in assessment.ranking(w.county_center, period)}
    assert rows[w.justice].score == 0 and rows[w.justice].vetoed
    with pytest.raises(ValidationFailed):
        services.issue_notice(
            kind=NoticeKind.INTERVIEW,
            unit=w.police,
            issued_by=w.county_center,
            period=period,
            text="超期",
            actor=w.director,
        )


def test_the_excel_export_has_the_ranking(cw):
    w = cw.world
    w.register(status="resolved", lead_unit=w.justice)
    c = Client()
    c.login(username="director", password=PASSWORD)
    r = c.get(
        "/centers/assessment/", {"month": timezone.localdate().strftime("%Y-%m"), "format": "xlsx"}
    )
    assert r["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(3, 2).value == "云梦县司法局" and ws.cell(3, 1).value == 1


def test_reports_are_asked_submitted_late_and_reminded_once(cw):
    w = cw.world
    today = timezone.localdate()
    made = services.open_report_round(
        center=w.county_center, period=today, due_date=today, actor=w.director
    )
    assert {r.unit for r in made} == {w.police, w.justice}
    assert services.sweep().reminded == 2 and services.sweep().reminded == 0
    report = FactorReport.objects.get(unit=w.justice)
    later = timezone.now() + dt.timedelta(days=2)
    services.submit_report(
        report=report, content="某小区业主维权苗头", actor=w.justice_handler, now=later
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.LATE
    with pytest.raises(Conflict):
        services.submit_report(report=report, content="x", actor=w.justice_handler)


def test_a_red_case_opens_a_plan_with_timed_tasks_and_a_summary(cw):
    w = cw.world
    template = PlanTemplate.objects.get(code="wage_arrears")
    blue = w.register()
    with pytest.raises(ValidationFailed):
        services.open_plan(case=blue, template=template, roster={}, actor=w.director)
    red = w.register(risk_level="red", title="工地欠薪")
    plan = services.open_plan(
        case=red, template=template, roster={"总指挥": "王志强"}, actor=w.leader
    )
    tasks = list(plan.items.all())
    assert len(tasks) == 4 and tasks[0].due_at == plan.opened_at + dt.timedelta(minutes=60)
    assert plan.roster[0] == {"post": "总指挥", "name": "王志强"}
    with pytest.raises(Conflict):
        services.open_plan(case=red, template=template, roster={}, actor=w.leader)
    services.finish_plan_task(task=tasks[0], actor=w.leader)
    services.close_plan(plan=plan, summary="已支付欠薪，人员散去。", actor=w.leader)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED

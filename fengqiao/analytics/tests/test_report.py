"""The monthly report: the same figures as Excel (with a chart) and PDF (Chinese embedded);
the scheduled notice is sent once per center and month."""

import io
import re
import zlib

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fengqiao.analytics import report, rollups, stability
from fengqiao.cases.choices import Status
from fengqiao.notifications.models import Message

pytestmark = pytest.mark.django_db


def _embeds_cjk_font(pdf: bytes) -> bool:
    """A font file is embedded and it is the CJK one (objects are compressed in streams)."""
    text = pdf
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(raw)
        except zlib.error:
            continue
    return b"/FontFile" in text and b"CJK" in text


def test_report_as_excel_and_pdf(world, client):
    world.register(status=Status.ARCHIVED)
    world.register(status=Status.HANDLING, risk_level="red")
    rollups.rebuild()
    stability.compute_dirty()
    month = timezone.localdate().replace(day=1)
    r = report.month_report(world.county, month)
    assert r.figures.total == 2 and r.figures.red == 1 and r.index is not None
    assert r.children[0][0] == world.township and r.children[0][1].total == 2
    client.force_login(world.leader)
    query = {"region": world.county.code, "month": f"{month:%Y-%m}"}
    page = client.get("/analytics/report/", query).content.decode()
    assert "月度研判报告" in page and 'id="xlsx"' in page
    xlsx = client.get("/analytics/report/", {**query, "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(xlsx.content))
    summary = wb.worksheets[0]
    assert summary["A3"].value == "案件数" and summary["B3"].value == 2
    assert wb.worksheets[1]._charts  # the categories sheet carries its bar chart
    pdf = client.get("/analytics/report/", {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _embeds_cjk_font(pdf.content)
    # Out of scope.
    assert client.get("/analytics/report/", {"region": "420902"}).status_code == 404


def test_monthly_notice_once_per_center(world):
    sent = report.announce_monthly_reports(timezone.localdate())
    assert sent >= 1
    n = Message.objects.filter(kind="analytics_report").count()
    report.announce_monthly_reports(timezone.localdate())
    assert Message.objects.filter(kind="analytics_report").count() == n
    assert Message.objects.filter(kind="analytics_report", recipient=world.leader).exists()

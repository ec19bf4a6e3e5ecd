"""Bulk import: the template, a dry run with a report per row, the batch that resumes."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from fengqiao.cases.models import Case
from fengqiao.intake.types import Door
from fengqiao.integrations.choices import ImportStatus, RowStatus
from fengqiao.integrations.models import ImportJob
from fengqiao.integrations.services import imports

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in imports.COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def row(world, n: int, **change) -> list[str]:
    values = {
        "registered_at": f"2025-03-{n % 28 + 1:02d} 09:30",
        "title": f"历史纠纷{n}",
        "description": "双方因宅基地界址发生争执，村委会调解未果。",
        "region": world.village.code,
        "category": "dispute.neighbor",
        "channel": "window",
        "applicant": "赵六",
        "phone": "13600000000",
        "id_number": "",
        "address": "",
        "people_count": "2",
        "risk_level": "",
        "original_code": f"OLD-{n}",
        **change,
    }
    return [values[c.key] for c in imports.COLUMNS]


def test_template_is_a_workbook_with_the_columns():
    wb = load_workbook(io.BytesIO(imports.template_workbook()))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == [c.header for c in imports.COLUMNS] and wb.sheetnames[1] == "说明"


def test_dry_run_reports_each_bad_row_and_registers_nothing(world):
    content = csv_bytes(
        [
            row(world, 1),
            row(world, 2, region="999999999999"),
            row(world, 3, registered_at="明天"),
            row(world, 4, phone="123"),
            row(world, 5, title=""),
        ]
    )
    job = imports.check_file(name="old.csv", content=content, center=world.county_center,
                             actor=world.receptionist, membership=None)  # fmt: skip
    assert (job.total, job.valid, job.status) == (5, 1, ImportStatus.FAILED)
    report = {r.number: r.errors for r in job.rows.all()}
    assert report[2] == []
    assert "999999999999" in report[3][0] and "登记时间" in report[4][0]
    assert "手机" in report[5][0] or "电话" in report[5][0]
    assert "标题" in report[6][0]
    assert not Case.objects.exists()


def test_import_registers_valid_rows_once_and_resumes(world):
    content = csv_bytes([row(world, n) for n in range(1, 8)])
    job = imports.check_file(name="old.csv", content=content, center=world.county_center,
                             actor=world.receptionist, membership=None)  # fmt: skip
    imports.start_job(job)
    imports.BATCH, old = 3, imports.BATCH
    try:
        assert imports.run_batch(job) == 3  # then the worker "dies"
    finally:
        imports.BATCH = old
    job.refresh_from_db()
    assert job.imported == 3 and job.progress == 43
    # a row marked valid again (as if its save was lost after registering) is not doubled
    first = job.rows.get(number=2)
    first.status = RowStatus.VALID
    first.save()
    assert imports.run_job(job.pk) == {"imported": 7, "failed": 0}
    assert Case.objects.count() == 7
    case = Case.objects.get(title="历史纠纷1")
    data = case.events.get(seq=1).data
    assert case.registered_at.year == 2025 and data["channel"] == "window"
    assert data["historical_import"] is True and data["import_original_code"] == "OLD-1"
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert {k.door for k in case.appealkey_set.all()} == {Door.IMPORT}


def test_xlsx_and_the_pages(world, commits):
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in imports.COLUMNS])
    ws.append(row(world, 1))
    ws.append(row(world, 2, region=""))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "old.xlsx"
    c = Client()
    c.force_login(world.receptionist)
    assert c.get("/integrations/imports/template.xlsx").status_code == 200
    r = c.post("/integrations/imports/", {"file": out})
    assert r.status_code == 302
    job = ImportJob.objects.get()
    page = c.get(r.url).content.decode()
    assert "区划代码" in page and job.valid == 1
    with commits():
        c.post(f"/integrations/imports/{job.pk}/run/")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported == 1
    bad = io.BytesIO(b"\x00\x01garbage")
    bad.name = "x.xlsx"
    r = c.post("/integrations/imports/", {"file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "template" in r.content.decode()
    c.force_login(world.justice_handler)
    assert c.get("/integrations/imports/").status_code == 403

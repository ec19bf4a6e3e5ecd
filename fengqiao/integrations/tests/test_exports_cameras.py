"""Export respects scope and masks personal data; cameras are cited by cases."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from fengqiao.cases.choices import Status
from fengqiao.core.errors import ValidationFailed
from fengqiao.integrations.models import ExportLog
from fengqiao.integrations.services import cameras

pytestmark = pytest.mark.django_db


def test_export_is_the_filtered_list_in_scope_masked(world):
    mine = world.register(status=Status.HANDLING, phone="13811112222")
    other = world.register(status=Status.REGISTERED, title="另一个未分流的纠纷")
    c = Client()
    c.force_login(world.justice_handler)  # a department: its own cases only
    body = b"".join(c.get("/integrations/export/cases.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "案件编号" and [r[0] for r in rows[1:]] == [mine.code]
    assert "138****2222" in body and "13811112222" not in body and "张*" in body
    c.force_login(world.director)
    filtered = b"".join(
        c.get("/integrations/export/cases.csv", {"status": "registered"}).streaming_content
    ).decode("utf-8-sig")
    assert other.code in filtered and mine.code not in filtered
    xlsx = c.get("/integrations/export/cases.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    ws = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    codes = {r[0].value for r in ws.iter_rows(min_row=2)}
    assert codes == {mine.code, other.code}
    assert [log.rows for log in ExportLog.objects.order_by("id")] == [1, 1, 2]
    assert c.get("/integrations/export/cases.pdf").status_code == 404


def test_cases_cite_cameras_with_a_window(world):
    cam = cameras.register_camera(
        code="YM-CG-0001", name="城关镇解放路口", center=world.county_center, region=world.village
    )
    case = world.register()
    start = timezone.now() - dt.timedelta(hours=2)
    end = start + dt.timedelta(hours=1)
    cameras.cite_camera(
        case=case, camera=cam, starts_at=start, ends_at=end, actor=world.receptionist
    )
    assert case.events.order_by("-seq").first().data["camera"] == "YM-CG-0001"
    with pytest.raises(ValidationFailed):
        cameras.cite_camera(case=case, camera=cam, starts_at=start, ends_at=start,
                            actor=world.receptionist)  # fmt: skip
    with pytest.raises(ValidationFailed):
        cameras.register_camera(code="X", name="外县", center=world.township_center,
                                region=world.county)  # fmt: skip
    c = Client()
    c.force_login(world.receptionist)
    page = c.get(f"/integrations/cases/{case.code}/cameras/").content.decode()
    assert "城关镇解放路口" in page
    r = c.post(f"/integrations/cases/{case.code}/cameras/", {
        "camera": "YM-CG-0001", "starts_at": "2026-01-01T10:00", "ends_at": "2026-01-01T09:00",
    })  # fmt: skip
    assert "结束时间应晚于开始时间" in r.content.decode()
    assert "城关镇解放路口" in c.get("/integrations/cameras/").content.decode()
    c.force_login(world.other_dispatcher)
    assert c.get(f"/integrations/cases/{case.code}/cameras/").status_code == 404

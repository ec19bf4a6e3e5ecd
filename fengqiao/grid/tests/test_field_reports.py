"""Field reports from the grid worker's phone: a case or resolved on the spot, once per key,
the location checked against the grid."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Attachment, Case
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.grid.choices import LocationCheck, ReportOutcome
from fengqiao.grid.models import FieldReport, Patrol, WorkLog
from fengqiao.grid.services import field as field_services

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def submit(gw, **kw):
    args = {
        "reporter": gw.worker,
        "grid": gw.grid,
        "key": "key-0000001",
        "category": "dispute",
        "title": "两户因排水沟发生争执",
        "text": "两户村民因排水沟堵塞争吵，需要调解。",
        "latitude": "31.010000",
        "longitude": "113.705000",
    }
    args.update(kw)
    return field_services.submit_field_report(**args)


def test_a_report_becomes_a_grid_case_in_the_workers_grid(gw):
    result = submit(gw, photos=[SimpleUploadedFile("a.png", PNG, content_type="image/png")])
    report = result.report
    assert result.created and report.location_check == LocationCheck.INSIDE
    case = report.case
    assert case.channel == Channel.GRID and case.grid == gw.grid and case.region == gw.world.village
    assert case.center == gw.world.village_center and case.registered_by == gw.worker
    assert float(case.latitude) == 31.01
    assert report.photos.count() == 1 and Attachment.objects.filter(case=case).count() == 1


def test_the_same_key_twice_is_one_report_and_one_case(gw):
    first = submit(gw)
    again = submit(gw, title="重发的标题")
    assert again.report.pk == first.report.pk and not again.created
    assert (
        FieldReport.objects.count() == 1 and Case.objects.filter(channel=Channel.GRID).count() == 1
    )


def test_a_point_outside_the_grid_is_flagged_not_refused(gw):
    report = submit(gw, longitude="113.715").report  # in the east grid
    assert report.location_check == LocationCheck.OUTSIDE
    assert "不在本网格内" in report.case.events.first().note


def test_a_point_in_another_county_is_refused_and_nothing_is_stored(gw):
    with pytest.raises(ValidationFailed) as exc:
        submit(gw, latitude="30.5", longitude="114.3")  # 武汉
    assert "不在云梦县范围内" in str(exc.value.message) and exc.value.details["field"] == "location"
    assert not FieldReport.objects.exists() and not Case.objects.exists()


def test_resolved_on_the_spot_is_recorded_without_a_case(gw):
    with pytest.raises(ValidationFailed):
        submit(gw, outcome=ReportOutcome.ON_THE_SPOT)  # needs what was done
    report = submit(gw, outcome=ReportOutcome.ON_THE_SPOT, resolution="现场调解，双方和解。").report
    assert report.case is None and report.outcome == ReportOutcome.ON_THE_SPOT
    assert not Case.objects.exists()


def test_only_the_grids_own_worker_may_report_for_it(gw):
    with pytest.raises(PermissionDenied):
        submit(gw, grid=gw.east)
    with pytest.raises(ValidationFailed):
        submit(gw, key="short")
    with pytest.raises(ValidationFailed):
        submit(
            gw,
            photos=[SimpleUploadedFile("a.png", b"GIF89a-not-allowed", content_type="image/gif")],
        )
    assert not FieldReport.objects.exists()


def test_the_phone_endpoint_answers_json_and_replays_the_key(gw, client):
    client.force_login(gw.worker)
    data = {
        "grid": gw.grid.code,
        "category": "hazard",
        "title": "电线杆倾斜",
        "text": "村道旁电线杆倾斜。",
        "outcome": "case",
        "latitude": "31.01",
        "longitude": "113.705",
        "key": "k-abcdefgh",
    }
    first = client.post("/grid/report/submit/", data)
    assert first.status_code == 201 and first.json()["case"]
    second = client.post("/grid/report/submit/", data)
    assert second.status_code == 200 and second.json()["case"] == first.json()["case"]
    assert second.json()["created"] is False
    bad = client.post("/grid/report/submit/", {**data, "key": "k-other-key", "title": "a\x00b"})
    assert bad.status_code == 422 and "非法字符" in bad.json()["message"]
    other = client.post(
        "/grid/report/submit/", {**data, "key": "k-other-key", "grid": gw.east.code}
    )
    assert other.status_code == 403
    page = client.get("/grid/report/")
    assert page.status_code == 200 and "电线杆倾斜" in page.content.decode()


def test_work_log_is_one_per_day_and_patrols_once_per_key(gw, client):
    client.force_login(gw.worker)
    r = client.post(
        "/grid/worklog/", {"grid": gw.grid.code, "content": "走访三户", "households_visited": "3"}
    )
    assert r.status_code == 302
    client.post(
        "/grid/worklog/", {"grid": gw.grid.code, "content": "走访五户", "households_visited": "5"}
    )
    assert WorkLog.objects.get().households_visited == 5
    patrol = {
        "grid": gw.grid.code,
        "key": "p-12345678",
        "started_at": "2026-01-01T08:00",
        "ended_at": "2026-01-01T09:00",
        "findings": "无异常",
        "route": '{"type":"LineString","coordinates":[[113.701,31.001],[113.709,31.001]]}',
    }
    client.post("/grid/patrol/", patrol)
    client.post("/grid/patrol/", patrol)
    p = Patrol.objects.get()
    assert 0.7 < p.distance_km < 0.8
    r = client.post(
        "/grid/patrol/", {**patrol, "key": "p-87654321", "ended_at": "2026-01-01T07:00"}
    )
    assert Patrol.objects.count() == 1
    page = client.get("/grid/worklog/").content.decode()
    assert "走访五户" in page and "无异常" in page


def test_photo_bytes_are_checked_by_content(gw):
    fake = SimpleUploadedFile("a.jpg", io.BytesIO(b"<html>").read(), content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as exc:
        submit(gw, photos=[fake])
    assert "a.jpg" in str(exc.value.message)

"""The 五有/五规范 checklist with evidence, inspections and the compliance dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fengqiao.centers import selectors, services
from fengqiao.centers.models import ChecklistItem
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_met_needs_evidence_and_counts_the_items_points(cw):
    w = cw.world
    sign = ChecklistItem.objects.get(code="have_sign")
    with pytest.raises(ValidationFailed):
        services.set_check(
            center=w.county_center, item=sign, met=True, evidence="", actor=w.director
        )
    photo = SimpleUploadedFile("sign.png", b"\x89PNG....", content_type="image/png")
    services.set_check(
        center=w.county_center,
        item=sign,
        met=True,
        evidence="门口挂牌",
        file=photo,
        actor=w.director,
    )
    _items, rows = selectors.compliance([w.county_center])
    assert rows[0].points == 10 and rows[0].total == 100
    with pytest.raises(PermissionDenied):
        services.set_check(
            center=w.county_center, item=sign, met=False, evidence="", actor=w.receptionist
        )


def test_an_item_for_some_levels_does_not_count_elsewhere(cw):
    w = cw.world
    _items, rows = selectors.compliance([w.village_center])
    assert rows[0].total == 90  # 指挥调度区 and 研判分析区 are for county and above


def test_an_inspection_is_recorded_by_a_center_above_with_deadlines(cw):
    w = cw.world
    day = dt.date(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            center=w.township_center,
            inspected_on=day,
            inspector="自查",
            result="passed",
            note="",
            findings=[],
            actor=w.township_director,
        )
    with pytest.raises(ValidationFailed):
        services.record_inspection(
            center=w.township_center,
            inspected_on=day,
            inspector="县检查组",
            result="rectify",
            note="",
            findings=[],
            actor=w.director,
        )
    insp = services.record_inspection(
        center=w.township_center,
        inspected_on=day,
        inspector="县检查组",
        result="rectify",
        note="",
        findings=[services.FindingIn("未设调解室", day + dt.timedelta(days=30))],
        actor=w.director,
    )
    finding = insp.findings.get()
    services.rectify(finding=finding, text="已改造一间调解室", actor=w.township_director)
    finding.refresh_from_db()
    assert finding.rectified_at is not None


def test_the_dashboard_drills_down_and_hides_other_counties(cw):
    w = cw.world
    sign = ChecklistItem.objects.get(code="have_sign")
    services.set_check(
        center=w.township_center, item=sign, met=True, evidence="挂牌", actor=w.director
    )
    c = Client()
    c.login(username="director", password=PASSWORD)
    body = c.get("/centers/compliance/").content.decode()
    assert w.township_center.name in body and w.other_county_center.name not in body
    assert "乡镇级" in body
    body = c.get(f"/centers/compliance/?region={w.township.code}").content.decode()
    assert w.township_center.name in body and w.other_township_center.name not in body

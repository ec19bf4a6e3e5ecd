"""Staff against the norm, seconded staff, residency and the 入驻率."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from fengqiao.centers import selectors, services
from fengqiao.centers.choices import StaffKind
from fengqiao.centers.models import StaffingNorm
from fengqiao.core.errors import ValidationFailed
from fengqiao.org.choices import Residency
from fengqiao.testing.factories import PASSWORD, make_department

pytestmark = pytest.mark.django_db


def test_full_time_staff_are_counted_against_the_norm_of_the_level(cw):
    w = cw.world
    c = w.county_center
    for n in range(4):
        services.add_staff(center=c, name=f"专职{n}", kind=StaffKind.FULL_TIME, actor=w.director)
    row = selectors.staffing([c], timezone.localdate())[0]
    assert row.full_time == 4 and row.norm.min_full_time == 5 and not row.meets_norm
    services.add_staff(center=c, name="专职4", kind=StaffKind.FULL_TIME, actor=w.director)
    assert selectors.staffing([c], timezone.localdate())[0].meets_norm
    StaffingNorm.objects.filter(level=3).update(min_full_time=6)  # an admin raises the norm
    assert not selectors.staffing([c], timezone.localdate())[0].meets_norm


def test_seconded_staff_need_a_home_unit(cw):
    w = cw.world
    with pytest.raises(ValidationFailed):
        services.add_staff(
            center=w.county_center, name="派驻民警", kind=StaffKind.SECONDED, actor=w.director
        )
    s = services.add_staff(
        center=w.county_center,
        name="派驻民警",
        kind=StaffKind.SECONDED,
        home_unit=w.police,
        actor=w.director,
    )
    board = selectors.day_board(w.county_center, timezone.localdate())
    assert s in board.seconded


def test_residency_rate_counts_resident_and_rotating_departments(cw):
    w = cw.world
    c = w.county_center
    health = make_department(w.county, "health", "云梦县卫生健康局", c)
    services.set_residency(
        center=c, unit=health, residency=Residency.ON_CALL, weekdays=[], actor=w.director
    )
    row = selectors.staffing([c], timezone.localdate())[0]
    assert (row.in_center, row.departments) == (2, 3) and row.residency_rate == 66.7
    with pytest.raises(ValidationFailed):
        services.set_residency(
            center=c, unit=health, residency=Residency.ROTATING, weekdays=[], actor=w.director
        )
    levels = selectors.residency_by_level(selectors.staffing([c], timezone.localdate()))
    assert levels[0]["rate"] == 66.7


def test_the_staffing_page_adds_staff_and_shows_the_rotation_calendar(cw):
    c = Client()
    c.login(username="director", password=PASSWORD)
    r = c.post(
        "/centers/staffing/", {"action": "add", "name": "李专职", "kind": "full_time"}, follow=True
    )
    body = r.content.decode()
    assert "李专职" in body and "轮驻日历" in body and "云梦县司法局" in body
    r = c.post(
        "/centers/staffing/", {"action": "add", "name": "", "kind": "full_time"}, follow=True
    )
    assert "请填写姓名" in r.content.decode()

"""Admin pages for the calendar, the time-limit rules and the supervision grades."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_admin_pages_and_the_missing_year_warning(admin_client):
    response = admin_client.get("/admin/deadlines/calendaryear/")
    assert response.status_code == 200
    next_year = timezone.localdate().year + 1
    if next_year >= 2027:  # the package covers up to 2026
        assert f"{next_year}年的法定节假日安排尚未录入" in response.content.decode()
    rules = admin_client.get("/admin/deadlines/timelimitrule/")
    assert rules.status_code == 200
    assert "矛盾纠纷（红色·市级统）" in rules.content.decode()
    assert admin_client.get("/admin/deadlines/calendaryear/add/").status_code == 200
    grades = admin_client.get("/admin/supervision/gradesetting/")
    assert grades.status_code == 200 and "挂牌督办" in grades.content.decode()


def test_admin_enters_a_year_with_its_days(admin_client):
    from fengqiao.deadlines.calendar import load_calendar
    from fengqiao.deadlines.models import CalendarYear

    response = admin_client.post(
        "/admin/deadlines/calendaryear/add/",
        {
            "year": "2027",
            "source": "国办发明电（测试）",
            "days-TOTAL_FORMS": "2",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2027-01-01",
            "days-0-kind": "holiday",
            "days-0-name": "元旦",
            "days-1-date": "2028-01-01",
            "days-1-kind": "holiday",
            "days-1-name": "错误",
        },
    )
    assert response.status_code == 200  # the 2028 date is refused
    assert not CalendarYear.objects.exists()
    response = admin_client.post(
        "/admin/deadlines/calendaryear/add/",
        {
            "year": "2027",
            "source": "国办发明电（测试）",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2027-01-01",
            "days-0-kind": "holiday",
            "days-0-name": "元旦",
        },
    )
    assert response.status_code == 302
    assert not load_calendar().is_workday(dt.date(2027, 1, 1))

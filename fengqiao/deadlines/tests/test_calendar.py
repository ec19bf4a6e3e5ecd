"""The working-day calendar across the 2025 and 2026 holidays and make-up days (调休), the
2027 fallback and an admin-entered 2027."""

import datetime as dt

import pytest

from fengqiao.deadlines.calendar import WorkCalendar, load_calendar
from fengqiao.deadlines.choices import DayKind
from fengqiao.deadlines.selectors import missing_calendar_years
from fengqiao.deadlines.services import DayInput, enter_calendar_year

from .helpers import cst, local

D = dt.date


def test_2025_spring_festival_and_make_up_days():
    cal = WorkCalendar()
    assert cal.is_workday(D(2025, 1, 26))  # Sunday, make-up working day
    assert not cal.is_workday(D(2025, 1, 28))  # 除夕 holiday
    assert not cal.is_workday(D(2025, 2, 4))
    assert cal.is_workday(D(2025, 2, 8))  # Saturday, make-up working day
    # Dispatched on Monday 27 Jan: the first working day after is 5 Feb.
    assert local(cal.deadline_after(cst(2025, 1, 27), 1)).date() == D(2025, 2, 5)
    assert cal.note() == ""


def test_2025_national_day_counts_the_sunday_make_up_day():
    cal = WorkCalendar()
    # Friday 26 Sep + 1 working day = Sunday 28 Sep (调休上班).
    assert local(cal.deadline_after(cst(2025, 9, 26), 1)).date() == D(2025, 9, 28)
    # Tuesday 30 Sep + 1 = Thursday 9 Oct (1–8 Oct off); + 3 = Saturday 11 Oct (调休上班).
    assert local(cal.deadline_after(cst(2025, 9, 30), 1)).date() == D(2025, 10, 9)
    assert local(cal.deadline_after(cst(2025, 9, 30), 3)).date() == D(2025, 10, 11)
    deadline = local(cal.deadline_after(cst(2025, 9, 30), 10))
    assert deadline.date() == D(2025, 10, 21)
    assert (deadline.hour, deadline.minute) == (23, 59)


def test_2026_spring_festival_mid_autumn_and_national_day():
    cal = WorkCalendar()
    assert cal.is_workday(D(2026, 2, 14))  # Saturday before the festival
    assert not cal.is_workday(D(2026, 2, 23))
    assert cal.is_workday(D(2026, 2, 28))  # Saturday after it
    # Friday 13 Feb + 2 working days = Tuesday 24 Feb (14 Feb is a working Saturday).
    assert local(cal.deadline_after(cst(2026, 2, 13), 2)).date() == D(2026, 2, 24)
    assert not cal.is_workday(D(2026, 9, 25))  # 中秋
    assert cal.is_workday(D(2026, 9, 20))  # Sunday make-up day
    # Wednesday 30 Sep + 1 = Thursday 8 Oct; + 3 = Saturday 10 Oct (调休上班).
    assert local(cal.deadline_after(cst(2026, 9, 30), 1)).date() == D(2026, 10, 8)
    assert local(cal.deadline_after(cst(2026, 9, 30), 3)).date() == D(2026, 10, 10)
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_same_working_day_and_natural_days():
    cal = WorkCalendar()
    assert local(cal.deadline_after(cst(2026, 10, 3), 0)).date() == D(2026, 10, 8)
    assert local(cal.deadline_after(cst(2026, 10, 3), 60, "natural")).date() == D(2026, 12, 2)


def test_working_time_skips_holidays():
    cal = WorkCalendar()
    # From Wednesday 30 Sep 12:00 to Thursday 8 Oct 12:00: one working day of time.
    assert cal.elapsed(cst(2026, 9, 30, 12), cst(2026, 10, 8, 12)) == 86400
    assert cal.advance(cst(2026, 9, 30, 12), 86400) == cst(2026, 10, 8, 12)


def test_2027_falls_back_to_monday_to_friday_and_says_so():
    cal = WorkCalendar()
    assert cal.source(2027) == "fallback"
    # 2027 New Year's Day (a Friday) is counted as a working day: nobody entered 2027.
    deadline = cal.deadline_after(cst(2026, 12, 31), 1)
    assert local(deadline).date() == D(2027, 1, 1)
    assert cal.note() == "2027年节假日未录入，按周一至周五计算"
    # Across the weekend: Friday 8 Jan 2027 + 1 = Monday 11 Jan.
    assert local(cal.deadline_after(cst(2027, 1, 8), 1)).date() == D(2027, 1, 11)


@pytest.mark.django_db
def test_admin_entered_2027_is_used_and_the_warning_goes(world):
    assert missing_calendar_years(today=D(2026, 11, 23)) == [2027]
    enter_calendar_year(
        year=2027,
        days=[
            DayInput(D(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
            DayInput(D(2027, 2, 5), DayKind.HOLIDAY, "春节"),
            DayInput(D(2027, 2, 6), DayKind.WORKDAY, "春节"),  # a Saturday
        ],
        actor=world.director,
        source="国务院办公厅通知（测试）",
    )
    cal = load_calendar()
    assert cal.source(2027) == "entered"
    assert local(cal.deadline_after(cst(2026, 12, 31), 1)).date() == D(2027, 1, 4)
    assert local(cal.deadline_after(cst(2027, 2, 4), 1)).date() == D(2027, 2, 6)
    assert cal.note() == ""
    assert missing_calendar_years(today=D(2026, 11, 23)) == []


@pytest.mark.django_db
def test_entered_days_must_lie_in_the_year(world):
    from fengqiao.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        enter_calendar_year(
            year=2027, days=[DayInput(D(2028, 1, 1), DayKind.HOLIDAY)], actor=world.director
        )


@pytest.mark.django_db
def test_admins_are_reminded_daily_until_the_year_is_entered(world):
    from fengqiao.deadlines.services import remind_missing_calendar
    from fengqiao.notifications.models import Message
    from fengqiao.org.choices import Role
    from fengqiao.testing.factories import staff

    admin = staff(world.county_center, Role.ADMIN, "calendar_admin")
    assert remind_missing_calendar(now=cst(2026, 11, 23, 9)) == [2027]
    remind_missing_calendar(now=cst(2026, 11, 23, 15))  # same day: no second reminder
    assert Message.objects.filter(recipient=admin, kind="calendar_missing").count() == 1
    remind_missing_calendar(now=cst(2026, 11, 24, 9))
    assert Message.objects.filter(recipient=admin, kind="calendar_missing").count() == 2
    assert not Message.objects.filter(recipient=world.dispatcher, kind="calendar_missing").exists()
    enter_calendar_year(year=2027, days=[], actor=admin)
    assert remind_missing_calendar(now=cst(2026, 11, 25, 9)) == []

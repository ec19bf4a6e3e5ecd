"""One case filter and one paginator: the workbench list and the API's GET /cases narrow a
user's cases the same way and page through them without losing or repeating a case."""

from __future__ import annotations

import datetime as dt

import pytest

from fengqiao.api import selectors as api_selectors
from fengqiao.cases.choices import Channel, Status
from fengqiao.cases.filters import CaseFilter, paginate
from fengqiao.org.selectors import active_memberships
from fengqiao.workbench import selectors as wb

pytestmark = pytest.mark.django_db


def _codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_the_workbench_and_the_api_filter_alike(world):
    world.register(title="宅基地纠纷", channel=Channel.PHONE)
    world.register(title="欠薪", status=Status.HANDLING)
    world.register(title="物业", status=Status.HANDLING, channel=Channel.PHONE)
    world.register(title="噪音", status=Status.RESOLVED)
    user = world.director
    membership = active_memberships(user)[0]
    today = dt.date.today()
    for fields in (
        {},
        {"status": Status.HANDLING},
        {"channel": Channel.PHONE},
        {"status": Status.HANDLING, "channel": Channel.PHONE},
        {"region": world.township},
        {"unit_id": world.justice.pk},
        {"q": "欠薪"},
        {"date_from": today - dt.timedelta(days=1), "date_to": today + dt.timedelta(days=1)},
        {"date_to": today - dt.timedelta(days=30)},
    ):
        in_workbench = _codes(wb.filter_cases(user, membership, wb.CaseFilter(**fields)))
        status = fields.pop("status", None)
        api_filter = CaseFilter(statuses=(status,) if status else (), **fields)
        assert in_workbench == _codes(api_selectors.filter_cases(user, api_filter)), fields
    handling = wb.filter_cases(user, membership, wb.CaseFilter(status=Status.HANDLING))
    assert {c.title for c in handling} == {"欠薪", "物业"}


def test_pages_by_cursor_and_by_number_cover_every_case_once(world):
    for i in range(7):
        world.register(title=f"案件{i}")
    qs = api_selectors.filter_cases(world.director, CaseFilter())
    seen, cursor = [], ""
    while True:
        page = paginate(qs, limit=3, cursor=cursor)
        seen += [c.code for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == qs.count() == 7
    numbered = [c.code for n in (1, 2, 3) for c in paginate(qs, limit=3, page=n).items]
    assert numbered == seen
    last = paginate(qs, limit=3, page=3)
    assert (last.has_previous, last.has_next, last.start, last.end) == (True, False, 7, 7)

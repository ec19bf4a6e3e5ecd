"""Participation's pages through the test client: the citizen signs in by SMS code, links to
a grid, reports a clue; staff review it; the 议事厅 in both; English pages."""

from __future__ import annotations

import pytest
from django.test import Client

from fengqiao.participation.choices import ClueStatus
from fengqiao.participation.models import Citizen, Clue
from fengqiao.participation.services import deliberation
from fengqiao.participation.testing import last_code

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, phone: str) -> None:
    client.post("/p/participation/login/", {"phone": phone, "send": "1"})
    r = client.post(
        "/p/participation/login/", {"phone": phone, "code": last_code(phone), "verify": "1"}
    )
    assert r.status_code == 302


def test_a_citizen_signs_in_links_a_grid_and_reports_a_clue(pw):
    c = Client()
    assert "用手机号登录" in c.get("/p/participation/").content.decode()
    assert c.get("/p/participation/report/").status_code == 302
    _sign_in(c, "13700000007")
    v = pw.village
    codes = v.ancestor_codes
    r = c.post(
        "/p/participation/place/",
        {"county": codes[-3], "township": codes[-2], "village": codes[-1], "grid": pw.gw.grid.code,
         "nickname": "王五", "save": "1"},
    )  # fmt: skip
    assert r.status_code == 302
    me = Citizen.objects.get(phone_masked="137****0007")
    assert me.grid == pw.gw.grid
    r = c.post("/p/participation/report/", {"kind": "hazard", "text": "短"})
    assert "至少5个字" in r.content.decode()
    r = c.post(
        "/p/participation/report/",
        {"kind": "hazard", "text": "村口电线杆倾斜，随时可能倒下", "grid": pw.gw.grid.code},
    )
    assert r.status_code == 302
    page = c.get("/p/participation/points/").content.decode()
    assert "村口电线杆倾斜" in page and "待审核" in page
    staff = Client()
    staff.force_login(pw.gw.worker)
    clue = Clue.objects.get()
    assert "村口电线杆倾斜" in staff.get("/participation/").content.decode()
    r = staff.post(f"/participation/clues/{clue.pk}/", {"decision": "case", "note": "已核实"})
    assert r.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CASE
    assert "+8" in c.get("/p/participation/points/").content.decode()


def test_a_wrong_code_says_so_in_english(pw):
    c = Client(headers={"Accept-Language": "en"})
    c.post("/p/participation/login/", {"phone": "13700000008", "send": "1"})
    code = last_code("13700000008")
    wrong = "000000" if code != "000000" else "111111"
    r = c.post("/p/participation/login/", {"phone": "13700000008", "code": wrong, "verify": "1"})
    assert "Wrong code" in r.content.decode()


def test_deliberation_pages(pw):
    topic = deliberation.open_topic(
        actor=pw.director, region=pw.village, title="修建停车场", body="是否修建？"
    )
    c = Client()
    _sign_in(c, "13800000001")  # alice
    c.post(f"/p/participation/topics/{topic.pk}/", {"text": "赞成，停车太难"})
    staff = Client()
    staff.force_login(pw.director)
    staff.post(f"/participation/topics/{topic.pk}/", {"action": "advance"})
    c.post(f"/p/participation/topics/{topic.pk}/", {"vote": "yes"})
    staff.post(f"/participation/topics/{topic.pk}/", {"action": "publish", "outcome": "通过"})
    page = c.get(f"/p/participation/topics/{topic.pk}/").content.decode()
    assert "结果已公布" in page and "通过" in page and "赞成，停车太难" in page
    en = Client(headers={"Accept-Language": "en"})
    en.force_login(pw.director)
    for url in ("/participation/", "/participation/topics/", f"/participation/topics/{topic.pk}/",
                "/participation/meetings/", "/participation/notices/", "/participation/creation/",
                "/participation/points/"):  # fmt: skip
        r = en.get(url)
        assert r.status_code == 200, url
        assert "Citizen participation" in r.content.decode(), url

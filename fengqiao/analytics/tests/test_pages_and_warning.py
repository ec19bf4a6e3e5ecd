"""The pages (figures by place with drill-down, the index with its weights, the warnings) and
the spike detection with its notices."""

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.analytics import rollups, stability, warning
from fengqiao.analytics.models import WarningAlert
from fengqiao.cases.choices import Channel, Status
from fengqiao.notifications.models import Message
from fengqiao.org.choices import Role
from fengqiao.testing.factories import grant

pytestmark = pytest.mark.django_db


def test_dashboard_shows_figures_by_place_with_links_to_the_cases(world, client):
    world.register(status=Status.ARCHIVED, channel=Channel.PHONE)
    world.register(status=Status.HANDLING)
    rollups.rebuild()
    client.force_login(world.leader)
    page = client.get("/analytics/", {"region": world.county.code, "channel": "phone"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "按发生地统计" in html and "下级区域对比" in html
    assert "/cases/?region=420923" in html and "channel=phone" in html
    data = client.get("/analytics/level.json", {"region": world.county.code}).json()
    assert data["figures"]["total"] == 2 and data["figures"]["settled"] == 1
    names = {c["code"]: c["total"] for c in data["children"]}
    assert names[world.township.code] == 2
    # Bad filters fall back to the defaults instead of failing.
    assert (
        client.get("/analytics/", {"region": world.county.code, "months": "x"}).status_code == 200
    )


def test_index_page_explains_the_score_and_weights_can_be_edited(world, client, admin_user):
    world.register(status=Status.HANDLING, risk_level="red")
    rollups.rebuild()
    stability.compute_dirty()
    client.force_login(world.leader)
    page = client.get("/analytics/index/", {"region": world.county.code}).content.decode()
    assert "平安稳定指数" in page and "红色风险占比" in page
    # Only those allowed may change the weights.
    assert client.post("/analytics/index/weights/", {"red": "50"}).status_code == 404
    client.force_login(admin_user)
    answer = client.post(
        "/analytics/index/weights/", {"red": "abc", "region": world.county.code}, follow=True
    )
    assert "权重必须是0到100之间的数" in answer.content.decode()
    client.post("/analytics/index/weights/", {"red": "60", "region": world.county.code})
    assert stability.weights()["red"] == 60.0
    data = client.get("/analytics/index/data.json", {"region": world.county.code}).json()
    assert data["weights"]["red"] == 60.0 and data["months"][0]["total"] == 1


def test_poisson_tail():
    assert warning.poisson_tail(0, 2.0) == 1.0
    assert warning.poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353, abs=1e-3)
    assert warning.poisson_tail(8, 1.0) < 1e-4


def test_a_spike_in_one_township_alerts_its_center_once(world, client):
    month = warning.last_complete_month(timezone.localdate())
    base = timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=3), dt.time(10)))
    category = world.register(now=base - dt.timedelta(days=95)).category  # one case 3 months ago
    for i in range(6):
        world.register(now=base + dt.timedelta(hours=i), category=category, phone=f"1390000000{i}")
    grant(world.leader, world.township_center, Role.LEADER)
    rollups.rebuild()
    scan = warning.scan(month)
    alert = WarningAlert.objects.get(path=world.township.path, category=category)
    assert alert.observed == 6 and alert.expected == 0.5 and alert.p_value < warning.ALPHA
    assert alert.center == world.township_center
    assert scan.tests >= 2 and scan.expected_false_alarms >= 0
    assert Message.objects.filter(recipient=world.leader, kind="analytics_warning").count() >= 1
    sent = Message.objects.count()
    warning.scan(month)  # a second run sends nothing new
    assert Message.objects.count() == sent
    client.force_login(world.leader)
    page = client.get(
        "/analytics/warnings/", {"region": world.county.code, "month": f"{month:%Y-%m}"}
    ).content.decode()
    assert "重难点问题清单" in page and world.township.name in page
    query = {"region": world.county.code, "month": f"{month:%Y-%m}"}
    data = client.get("/analytics/warnings/data.json", query).json()
    assert any(a["region"] == world.township.code and a["observed"] == 6 for a in data["alerts"])

"""排查 campaigns: sent down to grids; findings become cases or rectifications, tracked to the
end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases.choices import Channel
from fengqiao.core.errors import PermissionDenied, ValidationFailed
from fengqiao.grid import selectors as sel
from fengqiao.grid.models import CampaignTask
from fengqiao.grid.services import campaigns
from fengqiao.notifications.models import Message

pytestmark = pytest.mark.django_db


def launch(gw):
    return campaigns.launch_campaign(
        actor=gw.world.director,
        region=gw.world.county,
        title="“民转刑”风险隐患排查",
        description="排查婚恋家庭、邻里纠纷中的风险。",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )


def test_a_campaign_reaches_every_grid_and_its_workers(gw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = launch(gw)
    assert set(c.tasks.values_list("grid_id", flat=True)) == {gw.grid.pk, gw.east.pk}
    assert Message.objects.filter(kind="grid_campaign", recipient=gw.worker).exists()
    with pytest.raises(PermissionDenied):
        campaigns.launch_campaign(
            actor=gw.worker,
            region=gw.world.county,
            title="x",
            description="",
            due_on=timezone.localdate(),
        )


def test_findings_become_cases_or_rectifications_tracked_to_completion(gw):
    c = launch(gw)
    task = CampaignTask.objects.get(campaign=c, grid=gw.grid)
    with pytest.raises(ValidationFailed):
        campaigns.report_task(
            actor=gw.worker, task=task, findings=[campaigns.FindingIn("围墙倾斜", "rectify")]
        )  # no deadline
    campaigns.report_task(
        actor=gw.worker,
        task=task,
        findings=[
            campaigns.FindingIn("两户因宅基地积怨较深，有激化苗头", "case"),
            campaigns.FindingIn(
                "学校门口护栏缺失", "rectify", timezone.localdate() + dt.timedelta(days=10)
            ),
        ],
    )
    findings = list(sel.campaign_findings(gw.world.director, c))
    case = next(f.case for f in findings if f.case)
    assert case.channel == Channel.GRID and case.grid == gw.grid
    progress = sel.campaign_progress(gw.world.director, c)
    assert progress == {
        "tasks": 2,
        "reported": 1,
        "pending": 1,
        "findings": 2,
        "cases": 1,
        "rectify_open": 1,
        "rectify_done": 0,
    }
    with pytest.raises(PermissionDenied):
        campaigns.report_task(
            actor=gw.worker, task=CampaignTask.objects.get(campaign=c, grid=gw.east), findings=[]
        )
    rect = next(f for f in findings if f.outcome == "rectify")
    campaigns.finish_rectification(actor=gw.worker, finding=rect, note="已安装护栏")
    assert sel.campaign_progress(gw.world.director, c)["rectify_done"] == 1


def test_campaign_pages(gw, client):
    c = launch(gw)
    client.force_login(gw.worker)
    listing = client.get("/grid/campaigns/").content.decode()
    assert "民转刑" in listing
    task = CampaignTask.objects.get(campaign=c, grid=gw.grid)
    r = client.post(
        f"/grid/campaigns/tasks/{task.pk}/",
        {
            "text-0": "路灯损坏",
            "outcome-0": "rectify",
            "rectify_by-0": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert r.status_code == 302
    page = client.get(f"/grid/campaigns/{c.pk}/").content.decode()
    assert "路灯损坏" in page and "整改完成" in page
    other = CampaignTask.objects.get(campaign=c, grid=gw.east)
    assert client.get(f"/grid/campaigns/tasks/{other.pk}/").status_code == 404

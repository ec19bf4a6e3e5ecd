"""English grid pages: no Chinese is left but what people typed or named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.grid.models import (
    Campaign,
    CampaignFinding,
    FieldReport,
    GridWorker,
    KeyPerson,
    KeyPersonReveal,
    Resident,
)
from fengqiao.grid.services import basedata, campaigns, keypop
from fengqiao.grid.services import field as field_services
from fengqiao.testing.cjk import chinese_left, typed_data, visible_text

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def _typed() -> set[str]:
    values = typed_data()
    for model, names in (
        (GridWorker, ("name", "duties")),
        (FieldReport, ("title", "text", "resolution")),
        (Resident, ("name", "household_no", "relation", "address")),
        (KeyPerson, ("name_mask",)),
        (Campaign, ("title", "description")),
        (CampaignFinding, ("text", "rectify_note")),
        (KeyPersonReveal, ("reason",)),
    ):
        for row in model.objects.values_list(*names):
            values.update(v for v in row if v)
    from fengqiao.regions.models import Grid

    for row in Grid.objects.values_list("party_branch", "party_secretary", "description"):
        values.update(v for v in row if v)
    return values


@pytest.fixture
def filled(gw):
    field_services.submit_field_report(
        reporter=gw.worker,
        grid=gw.grid,
        key="en-key-0001",
        category="dispute",
        title="两户争执",
        text="两户因排水沟争执。",
        latitude="31.01",
        longitude="113.705",
    )
    basedata.add_resident(
        actor=gw.worker,
        grid=gw.grid,
        name="张三",
        kind="registered",
        id_number="420923199001011231",
    )
    person = keypop.register_key_person(
        actor=gw.worker, grid=gw.grid, category="released", name="李大强", risk="high"
    )
    keypop.reveal(actor=gw.worker, person=person, fields=["name"], reason="走访前核对")
    c = campaigns.launch_campaign(
        actor=gw.world.director,
        region=gw.world.county,
        title="校园周边排查",
        description="排查学校周边",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    task = c.tasks.get(grid=gw.grid)
    campaigns.report_task(
        actor=gw.worker,
        task=task,
        findings=[
            campaigns.FindingIn("护栏缺失", "rectify", timezone.localdate() + dt.timedelta(days=5))
        ],
    )
    return gw, person, c, task


def test_english_grid_pages_leave_no_chinese_but_typed_data(client, filled):
    gw, person, c, task = filled
    w = gw.world
    pages = [
        (w.township_director, f"/grid/?region={w.township.code}"),
        (w.township_director, f"/grid/g/{gw.grid.code}/"),
        (w.township_director, f"/grid/g/{gw.grid.code}/cases/"),
        (w.township_director, f"/grid/map/?region={w.township.code}"),
        (w.township_director, f"/grid/data/?region={w.township.code}"),
        (w.township_director, f"/grid/data/import/?region={w.township.code}"),
        (w.township_director, "/grid/people/"),
        (w.township_director, f"/grid/people/{person.pk}/"),
        (w.township_director, "/grid/people/reveals/"),
        (w.township_director, "/grid/campaigns/"),
        (w.township_director, f"/grid/campaigns/{c.pk}/"),
        (gw.worker, "/grid/"),
        (gw.worker, "/grid/report/"),
        (gw.worker, "/grid/worklog/"),
        (gw.worker, f"/grid/campaigns/tasks/{task.pk}/"),
        (None, f"/grid/public/{gw.grid.code}/"),
    ]
    typed = _typed()
    problems = {}
    for user, url in pages:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url, headers=EN)
        assert response.status_code == 200, url
        left = chinese_left(visible_text(response.content.decode()), typed)
        if left:
            problems[url] = left[:8]
    assert not problems, problems

"""The dispatch picker: suggested units first, the rest grouped by level and kind, and
co-handlers as grouped checkboxes with a hint on what co-handling asks of them."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _dispatch_form(client, world, case) -> str:
    client.force_login(world.dispatcher)
    body = client.get(f"/cases/{case.code}/").content.decode()
    start = body.index('id="action-dispatch"')
    return body[start : body.index("</details>", start)]


def test_lead_unit_list_starts_with_suggestions_then_groups_by_level_and_kind(client, world):
    case = world.register()
    form = _dispatch_form(client, world, case)
    groups = re.findall(r'<optgroup label="([^"]+)">', form)
    assert groups[0] == "建议单位"
    assert "县级 · 职能部门" in groups and "乡镇级 · 综治中心" in groups
    assert groups.index("县级 · 职能部门") < groups.index("乡镇级 · 综治中心")
    suggested = form[form.index('label="建议单位"') : form.index("</optgroup>")]
    # The neighbour dispute goes to justice: suggested, with why, and not listed twice.
    assert f'value="{world.justice.pk}"' in suggested and "在办" in suggested
    assert form.count(f'<option value="{world.justice.pk}"') == 1
    assert "data-filterable" in form


def test_co_handlers_are_grouped_checkboxes_with_a_hint(client, world):
    case = world.register()
    form = _dispatch_form(client, world, case)
    assert "multiple" not in form.split('name="dispatch-co_units"')[0].rsplit("<", 1)[-1]
    boxes = re.findall(r'<input type="checkbox" name="dispatch-co_units" value="(\d+)"', form)
    assert str(world.police.pk) in boxes and str(world.township_center.pk) in boxes
    assert "主办单位才能办结" in form
    assert "<legend>乡镇级 · 综治中心</legend>" in form


def test_a_refused_dispatch_keeps_the_ticked_co_handlers(client, world):
    case = world.register()
    client.force_login(world.dispatcher)
    response = client.post(
        f"/cases/{case.code}/act/dispatch/",
        {"dispatch-co_units": [world.police.pk], "dispatch-expected_version": case.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择主办单位" in body
    assert f'value="{world.police.pk}" checked' in body


def test_a_mistyped_code_in_the_search_says_so_and_offers_the_case_meant(client, world):
    case = world.register()
    client.force_login(world.dispatcher)
    slip = case.code[:12] + case.code[13] + case.code[12] + case.code[14:]
    if slip == case.code:  # equal neighbours: change one digit instead
        slip = case.code[:12] + str((int(case.code[12]) + 1) % 10) + case.code[13:]
    body = client.get("/cases/", {"q": slip}).content.decode()
    assert "校验位" in body and slip in body
    assert f'href="/cases/{case.code}/"' in body
    # A right code gives no such hint.
    assert "校验位" not in client.get("/cases/", {"q": case.code}).content.decode()

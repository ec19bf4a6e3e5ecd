"""Staff forms answer with our own messages, named after the field, never Django's wording
("确保该变量包含不超过 20000 字符")."""

from __future__ import annotations

import pytest

from fengqiao.cases.models import Case
from fengqiao.workbench.forms import ActionForm, CaseFilterForm, RegisterCaseForm
from fengqiao.workbench.tests.test_views import login, register_payload

pytestmark = pytest.mark.django_db
DJANGO_WORDING = ("确保该变量", "Ensure this value", "选择一个有效的选项", "Select a valid choice")


def _post_long_description(client, world, language: str) -> str:
    login(client, world.receptionist)
    response = client.post(
        "/cases/new/",
        register_payload(world, description="长" * 20001),
        headers={"Accept-Language": language},
    )
    assert response.status_code == 400
    assert not Case.objects.exists()
    return response.content.decode()


def test_a_too_long_description_is_refused_with_our_message_in_chinese(client, world):
    body = _post_long_description(client, world, "zh-hans")
    assert "诉求内容不能超过20000个字（现有20001个字）。" in body
    assert not any(w in body for w in DJANGO_WORDING)
    assert "长" * 20001 in body  # what was typed is kept in the form


def test_a_too_long_description_is_refused_with_our_message_in_english(client, world):
    body = _post_long_description(client, world, "en")
    assert "“Description” must be at most 20000 characters (it has 20001)." in body
    assert not any(w in body for w in DJANGO_WORDING)


def test_every_field_error_of_the_registration_form_is_ours():
    form = RegisterCaseForm(
        {
            "channel": "nonsense",
            "title": "t",
            "description": "d",
            "region": "4" * 13,
            "address": "a" * 256,
            "people_count": "x",
            "risk_level": "purple",
            "applicant_name": "n" * 121,
            "applicant_phone": "13912345678",
            "respondent_kind": "alien",
            "note": "n" * 2001,
        }
    )
    assert not form.is_valid()
    errors = {name: " ".join(msgs) for name, msgs in form.errors.items()}
    assert errors["channel"] == "来源渠道的选项无效，请重新选择。"
    assert errors["region"] == "发生地不能超过12个字（现有13个字）。"  # remark in brackets dropped
    assert errors["address"] == "详细地址不能超过255个字（现有256个字）。"
    assert errors["people_count"] == "请输入整数。"  # the field's own message stays
    assert errors["note"] == "受理备注不能超过2000个字（现有2001个字）。"
    for text in errors.values():
        assert not any(w in text for w in DJANGO_WORDING), text


def test_fields_added_in_init_get_our_messages_too():
    form = ActionForm({"lead_unit": "7", "note": "x" * 5001}, requires={"lead_unit"}, units=[])
    assert not form.is_valid()
    assert form.errors["lead_unit"] == ["主办单位的选项无效，请重新选择。"]
    assert form.errors["note"] == ["说明不能超过5000个字（现有5001个字）。"]


def test_a_bad_date_in_the_filter_names_the_field():
    form = CaseFilterForm({"date_from": "2026-13-45", "q": "q" * 101})
    assert not form.is_valid()
    assert form.errors["date_from"] == ["日期格式应为 年-月-日。"]  # declared by the field
    assert form.errors["q"] == ["搜索不能超过100个字（现有101个字）。"]

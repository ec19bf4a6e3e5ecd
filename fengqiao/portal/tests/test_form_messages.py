"""The citizen's form answers with our own messages in both languages."""

from __future__ import annotations

import pytest

from fengqiao.cases.models import Case
from fengqiao.portal.forms import AppealForm, RatingForm, TrackForm
from fengqiao.portal.tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_a_too_long_description_gets_our_message_in_chinese(client, world):
    html = submit(client, world, description="长" * 2001).content.decode()
    assert Case.objects.count() == 0
    assert "具体情况不能超过2000个字。" in html
    assert "确保该变量" not in html


def test_a_too_long_description_gets_our_message_in_english(client, world):
    client.cookies["django_language"] = "en"
    html = submit(client, world, description="x" * 2001).content.decode()
    assert Case.objects.count() == 0
    assert "The description may have at most 2000 characters." in html
    assert "Ensure this value" not in html


def test_every_portal_field_error_is_ours():
    form = AppealForm({"kind": "alien", "description": "0123456789", "phone": "1" * 21})
    assert not form.is_valid()
    assert form.errors["kind"] == ["反映事项类型的选项无效，请重新选择。"]
    assert form.errors["phone"] == ["联系电话不能超过20个字（现有21个字）。"]
    track = TrackForm({"code": "c" * 41, "phone_last4": "12"})
    assert not track.is_valid()
    assert track.errors["code"] == ["案件编号不能超过40个字（现有41个字）。"]
    rating = RatingForm({"satisfaction": "ecstatic"})
    assert not rating.is_valid()
    assert rating.errors["satisfaction"] == ["您对办理结果是否满意的选项无效，请重新选择。"]

"""Our own form messages: named after the label, in the active language, declared ones kept."""

from __future__ import annotations

from django import forms
from django.utils import translation

from fengqiao.core.forms import OwnMessagesForm


class _Form(OwnMessagesForm):
    text = forms.CharField(label="增长率%（选填）", max_length=3, required=False)
    count = forms.IntegerField(label="人数", min_value=1, max_value=9)
    kept = forms.CharField(label="备注", max_length=2, error_messages={"max_length": "太长了"})
    when = forms.DateField(label="日期", required=False)


def test_messages_name_the_field_and_keep_declared_ones():
    form = _Form({"text": "abcd", "count": "0", "kept": "xyz", "when": "soon"})
    assert not form.is_valid()
    assert form.errors["text"] == ["增长率%不能超过3个字（现有4个字）。"]
    assert form.errors["count"] == ["人数不能小于1。"]
    assert form.errors["kept"] == ["太长了"]
    assert form.errors["when"] == ["日期的日期格式应为 年-月-日。"]
    assert _Form({}).errors["count"] == ["请填写人数。"]


def test_messages_follow_the_active_language():
    with translation.override("en"):
        form = _Form({"count": "x", "text": "abcd"})
        assert form.errors["count"] == ["“人数” must be a whole number."]
        assert form.errors["text"] == ["“增长率%” must be at most 3 characters (it has 4)."]
    assert _Form({"count": "x"}).errors["count"] == ["人数请填写整数。"]

"""Supervision grades have an English name, shown when English is active (issue 11)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as live_apps
from django.utils import translation

from fengqiao.supervision.grades import grade_label
from fengqiao.supervision.models import GradeSetting

pytestmark = pytest.mark.django_db


def test_default_grades_have_english_names():
    assert dict(GradeSetting.objects.values_list("grade", "name_en")) == {
        "general": "General supervision",
        "key": "Key supervision",
        "listed": "Listed supervision",
    }
    assert grade_label("key") == "重点督办"
    with translation.override("en"):
        assert grade_label("key") == "Key supervision"


def test_a_renamed_grade_shows_its_own_names():
    GradeSetting.objects.filter(grade="key").update(name="黄牌", name_en="Yellow card")
    GradeSetting.objects.filter(grade="listed").update(name="红牌", name_en="")
    assert grade_label("key") == "黄牌"
    with translation.override("en"):
        assert grade_label("key") == "Yellow card"
        assert grade_label("listed") == "红牌"  # no English name typed: the Chinese one


def test_the_migration_fills_only_default_names():
    GradeSetting.objects.update(name_en="")
    GradeSetting.objects.filter(grade="listed").update(name="红牌")
    importlib.import_module("fengqiao.supervision.migrations.0004_gradesetting_name_en").fill(
        live_apps, None
    )
    assert GradeSetting.objects.get(grade="general").name_en == "General supervision"
    assert GradeSetting.objects.get(grade="listed").name_en == ""

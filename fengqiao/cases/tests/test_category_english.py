"""Categories have an English name, shown when English is active (issue 11)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as live_apps
from django.utils import translation

from fengqiao.cases.models import Category
from fengqiao.cases.taxonomy import (
    ENGLISH_NAMES,
    default_names,
    ensure_default_categories,
    fill_english_names,
)
from fengqiao.testing.cjk import CJK

pytestmark = pytest.mark.django_db


def test_every_default_category_has_an_english_name():
    names = default_names()
    assert set(names) == set(ENGLISH_NAMES)
    assert all(ENGLISH_NAMES[c] and not CJK.search(ENGLISH_NAMES[c]) for c in names)


def test_the_default_categories_carry_their_english_names():
    ensure_default_categories()
    assert not Category.objects.filter(name_en="").exists()
    neighbour = Category.objects.select_related("parent").get(code="dispute.neighbor")
    assert (neighbour.display_name, neighbour.display_full_name) == (
        "邻里纠纷",
        "矛盾纠纷 / 邻里纠纷",
    )
    with translation.override("en"):
        assert neighbour.display_name == "Neighbour disputes"
        assert neighbour.display_full_name == "Disputes / Neighbour disputes"


def test_a_category_without_an_english_name_shows_its_chinese_name():
    ensure_default_categories()
    own = Category.objects.create(code="own", name="本地特色事项", kind="other")
    with translation.override("en"):
        assert own.display_name == "本地特色事项"


def test_renamed_categories_are_not_given_the_default_english_name():
    ensure_default_categories()
    Category.objects.filter(code="dispute.neighbor").update(name="邻里与物业纠纷", name_en="")
    Category.objects.filter(code="hazard.fire").update(name_en="")
    assert fill_english_names() == 1
    assert Category.objects.get(code="hazard.fire").name_en == "Fire hazards"
    assert Category.objects.get(code="dispute.neighbor").name_en == ""


def test_the_migration_fills_the_english_names():
    ensure_default_categories()
    Category.objects.update(name_en="")
    migration = importlib.import_module("fengqiao.cases.migrations.0010_category_name_en")
    migration.fill(live_apps, None)
    assert Category.objects.get(code="security.fraud").name_en == "Fraud and illegal fund-raising"

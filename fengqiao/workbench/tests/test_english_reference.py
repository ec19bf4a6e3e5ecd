"""English pages show reference data (categories, grades, risk levels, unit types, channels,
levels…) by its English name: no Chinese is left but what people typed (issue 11)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import timezone, translation

import fengqiao
from fengqiao.analytics import rollups
from fengqiao.cases.choices import Status
from fengqiao.cases.models import Category
from fengqiao.core import refcache
from fengqiao.supervision.services import issue_order
from fengqiao.testing.cjk import CJK, chinese_left, typed_data, visible_text

EN = {"Accept-Language": "en"}


@pytest.fixture
def cases(world):
    category = Category.objects.get(code="dispute.neighbor")
    handling = world.register(status=Status.HANDLING, category=category)
    registered = world.register(category=Category.objects.get(code="hazard.fire"))
    issue_order(
        case=handling,
        grade="key",
        requirement="请加快办理",
        reply_deadline=timezone.now() + timezone.timedelta(days=2),
        actor=world.supervisor,
    )
    return handling, registered


def _left(client, user, url: str) -> list[str]:
    client.force_login(user)
    response = client.get(url, headers=EN)
    assert response.status_code == 200, url
    return chinese_left(visible_text(response.content.decode()), typed_data())


@pytest.mark.django_db
def test_english_case_detail_has_no_chinese_but_typed_data(client, world, cases):
    handling, registered = cases
    assert _left(client, world.dispatcher, f"/cases/{handling.code}/") == []
    assert _left(client, world.dispatcher, f"/cases/{registered.code}/") == []


@pytest.mark.django_db
def test_english_case_list_has_no_chinese_but_typed_data(client, world, cases):
    assert _left(client, world.dispatcher, "/cases/") == []


@pytest.mark.django_db
def test_english_supervision_page_has_no_chinese_but_typed_data(client, world, cases):
    assert _left(client, world.supervisor, "/supervision/") == []


@pytest.mark.django_db
def test_english_analytics_dashboard_has_no_chinese_but_typed_data(client, world, cases):
    rollups.rebuild()
    assert _left(client, world.director, "/analytics/") == []
    body = client.get("/analytics/", headers=EN).content.decode()
    assert "Neighbour disputes" in body and "Fire hazards" in body  # the chart's data


@pytest.mark.django_db
def test_the_checker_finds_chinese_reference_data(client, world, cases):
    """Without English names, the same pages fail the checker (it does not trust
    translate="no", which the category cells carry)."""
    Category.objects.update(name_en="")
    refcache.invalidate()
    left = _left(client, world.dispatcher, "/cases/")
    assert "消防安全隐患" in left and "婚姻家庭纠纷" in left
    assert all("排水沟" not in line for line in left)  # the typed title is data


def _choices_classes() -> dict[str, type[models.Choices]]:
    found = {}
    for info in pkgutil.walk_packages(fengqiao.__path__, "fengqiao."):
        if any(p in info.name for p in (".tests", ".migrations", ".management", "wsgi")):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, models.Choices)
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


def test_every_choice_label_is_in_the_english_catalogues():
    classes = _choices_classes()
    assert "fengqiao.org.choices.UnitType" in classes and len(classes) > 20
    missing = []
    with translation.override("en"):
        for path, cls in classes.items():
            missing += [f"{path}.{c.name}: {c.label}" for c in cls if CJK.search(str(c.label))]
    assert not missing, missing


@pytest.mark.django_db
def test_display_name_filter_follows_the_language(world):
    template = Template("{% load workbench_tags %}{{ c|display_name }}|{{ '红色'|display_name }}")
    context = Context({"c": Category.objects.get(code="hazard.fire")})
    assert template.render(context) == "消防安全隐患|红色"
    with translation.override("en"):
        assert template.render(context) == "Fire hazards|Red"

"""Hot issues: appeals about one estate grouped, unrelated ones kept apart; the page."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache

from fengqiao.analytics.hotissues import Item, cluster

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "teddy2020"


def test_same_estate_grouped_unrelated_apart():
    items = [
        Item("1", "丽发新城小区附近建搅拌站噪音扰民", "丽发新城旁边建了搅拌站，噪音粉尘严重。"),
        Item("2", "投诉丽发新城违建搅拌站彻夜施工", "丽发新城小区侧面的搅拌站彻夜施工，严重扰民。"),
        Item("3", "丽发新城附近搅拌站噪音扰民", "丽发新城附近搅拌站粉尘很大，居民无法开窗。"),
        Item("4", "咨询人才购房补贴申请条件", "请问人才购房补贴需要哪些材料，多久发放？"),
        Item("5", "某某学校门口交通拥堵", "每天早上学校门口车辆乱停，孩子上学不安全。"),
    ]
    groups = cluster(items)
    assert [sorted(it.key for it in g.items) for g in groups] == [["1", "2", "3"]]
    assert "搅拌" in groups[0].label or "丽发" in groups[0].label


@pytest.mark.skipif(not (DATA / "messages_with_votes.jsonl").exists(), reason="no shared data")
def test_the_largest_real_hot_issue_is_one_estate():
    rows = [json.loads(line) for line in (DATA / "messages_with_votes.jsonl").open()][:1500]
    groups = cluster([Item(r["id"], r["title"], r["text"]) for r in rows])
    assert groups and groups[0].size >= 5
    top = groups[0]
    common = top.label[:2]
    assert sum(common in it.title + it.text for it in top.items) / top.size >= 0.8


@pytest.mark.django_db
def test_hot_page_lists_groups_with_links(world, client):
    cache.clear()
    for i in range(3):
        world.register(title=f"丽发新城搅拌站噪音扰民{i}", description="丽发新城小区旁边建搅拌站，"
                       "彻夜施工噪音粉尘严重。", phone=f"1380013800{i}")  # fmt: skip
    world.register(title="咨询人才购房补贴", description="人才购房补贴多久发放？")
    client.force_login(world.leader)
    page = client.get("/analytics/hot/", {"region": world.county.code}).content.decode()
    assert "3 件" in page and "丽发新城搅拌站噪音扰民0" in page and "人才购房" not in page
    assert "/cases/" in page

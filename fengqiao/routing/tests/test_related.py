"""Related cases: same party, same place, same grid, similar text — found by index probes
(a bounded number of queries), tested on real messages of the 2020 Teddy Cup data set."""

import datetime as dt
import hashlib
import json
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqiao.cases.choices import LinkKind
from fengqiao.cases.models import CaseLink
from fengqiao.intake.types import PartyIn
from fengqiao.regions.models import Grid
from fengqiao.routing import related
from fengqiao.routing.models import TextBand
from fengqiao.routing.selectors import related_links
from fengqiao.routing.services import link_related

pytestmark = pytest.mark.django_db
CST = zoneinfo.ZoneInfo("Asia/Shanghai")


def kinds(case):
    return {(link.other_id, link.kind) for link in CaseLink.objects.filter(case=case)}


def test_same_party_by_phone_or_id_number(route):
    a = route(phone="13900000011")
    b = route(parties=[PartyIn(name="王五", phone="13900000011")], title="另一件事")
    c = route(parties=[PartyIn(name="王五", phone="13900000099", id_number="11010519491231002X")])
    d = route(parties=[PartyIn(name="王五", id_number="11010519491231002X")])
    assert (a.pk, LinkKind.SAME_PARTY) in kinds(b)
    assert (b.pk, LinkKind.SAME_PARTY) in kinds(a)  # both ways
    assert (c.pk, LinkKind.SAME_PARTY) in kinds(d)
    assert (a.pk, LinkKind.SAME_PARTY) not in kinds(d)
    assert b.routing.repeat_count == 1


def test_with_queued_delivery_the_worker_links_them_after_registration(route):
    from fengqiao.cases.tasks import handle_case_events
    from fengqiao.testing.tasks import queued_delivery

    with queued_delivery():
        a = route(phone="13900000012")
        b = route(phone="13900000012", title="同一人的另一件事")
        # Registration answered before any search: the case is classified and graded, and
        # its related cases are left to the worker.
        assert b.risk_level and b.routing.repeat_count == 1
        assert kinds(b) == set()
        handle_case_events.call(a.pk, 1)
        handle_case_events.call(b.pk, 1)
    assert (a.pk, LinkKind.SAME_PARTY) in kinds(b)
    assert (b.pk, LinkKind.SAME_PARTY) in kinds(a)


def test_same_address_and_same_grid(route, world):
    grid = Grid.objects.create(
        code=f"{world.village.code}001", name="第一网格", region=world.village
    )
    a = route(address="幸福路 8 号", phone="13900000021")
    b = route(address="幸福路8号", phone="13900000022", title="另一件事")
    c = route(grid=grid, phone="13900000023")
    d = route(grid=grid, phone="13900000024", title="再一件事")
    links = {(x.other_id, x.kind): x.score for x in CaseLink.objects.filter(case=b)}
    assert links[(a.pk, LinkKind.SAME_PLACE)] == 1.0
    links = {(x.other_id, x.kind): x.score for x in CaseLink.objects.filter(case=d)}
    assert links[(c.pk, LinkKind.SAME_PLACE)] == 0.5
    assert (a.pk, LinkKind.SAME_PLACE) not in links


def test_similar_text_links_near_duplicates_and_not_unrelated_text(route):
    a = route(
        title="丽发新城小区旁边建搅拌站",
        description="丽发新城小区旁边违规建设搅拌站，日夜施工，噪音和粉尘严重影响居民生活，请求取缔。",
        phone="13900000031",
    )
    b = route(
        title="投诉丽发新城附近建搅拌站扰民",
        description="丽发新城小区旁边违规建设的搅拌站日夜施工，噪音粉尘严重影响居民生活，请取缔。",
        phone="13900000032",
    )
    c = route(
        title="学校门口交通拥堵",
        description="每天早上学校门口车辆乱停，孩子过马路很危险，希望安排交警疏导。",
        phone="13900000033",
    )
    [link] = CaseLink.objects.filter(case=b, kind=LinkKind.SIMILAR_TEXT)
    assert link.other_id == a.pk and link.score >= 0.4
    assert not CaseLink.objects.filter(case=c, kind=LinkKind.SIMILAR_TEXT).exists()


def test_find_related_is_a_bounded_number_of_index_probes(route, world):
    grid = Grid.objects.create(
        code=f"{world.village.code}002", name="第二网格", region=world.village
    )
    for i in range(12):
        route(
            phone="13900000041",
            address="幸福路8号",
            grid=grid,
            title=f"丽发新城搅拌站噪音第{i}次投诉",
            description="丽发新城小区旁边违规建设搅拌站，日夜施工，噪音和粉尘严重影响居民生活。",
        )
    case = route(
        phone="13900000041",
        address="幸福路8号",
        grid=grid,
        title="丽发新城搅拌站噪音投诉",
        description="丽发新城小区旁边违规建设搅拌站，日夜施工，噪音和粉尘严重影响居民生活。",
    )
    with CaptureQueriesContext(connection) as ctx:
        found = related.find_related(case)
    assert {k for _o, k, _s in found} == {
        LinkKind.SAME_PARTY,
        LinkKind.SAME_PLACE,
        LinkKind.SIMILAR_TEXT,
    }
    assert len({o.pk for o, _k, _s in found}) == 12
    # parties, party hashes, address, grid, band keys, signatures, the cases: 7 at most,
    # however many cases there are.
    assert len(ctx.captured_queries) <= 7
    band_queries = [q["sql"] for q in ctx.captured_queries if "routing_textband" in q["sql"]]
    assert band_queries and all(
        '"key" IN' in q or "key IN" in q.replace('"', "") for q in band_queries
    )


def test_text_index_follows_edits(route, world, django_capture_on_commit_callbacks):
    from fengqiao.cases import services as case_services

    case = route(description="楼上住户装修噪音扰民，多次协商未果。")
    keys = set(TextBand.objects.filter(case=case).values_list("key", flat=True))
    assert len(keys) == related.BANDS + related.TITLE_BANDS
    with django_capture_on_commit_callbacks(execute=True):
        case_services.update_case(
            case=case,
            changes={"description": "小区门口修路，车辆无法通行。"},
            actor=world.dispatcher,
        )
    assert set(TextBand.objects.filter(case=case).values_list("key", flat=True)) != keys


def test_related_links_respect_the_viewers_scope(route, world):
    a = route(phone="13900000051")
    b = route(
        phone="13900000051",
        actor=world.township_dispatcher,
        center=world.township_center,
    )
    assert {link.other_id for link in related_links(b, world.dispatcher)} == {a.pk}
    # The township dispatcher does not see the county center's case.
    assert list(related_links(b, world.township_dispatcher)) == []


def test_link_related_is_idempotent(route):
    a = route(phone="13900000061")
    b = route(phone="13900000061")
    before = CaseLink.objects.count()
    found = link_related(case=b)
    assert (a.pk, LinkKind.SAME_PARTY) in {(o.pk, k) for o, k, _s in found}
    assert CaseLink.objects.count() == before


# -- real messages ----------------------------------------------------------------------


def _phone(user: str) -> str:
    digits = int(hashlib.sha256(user.encode()).hexdigest(), 16) % 10**8
    return f"139{digits:08d}"


def _when(text: str) -> dt.datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CST)
        except ValueError:
            continue
    raise ValueError(text)


def test_related_cases_on_real_messages(shared_data, route):
    rows = [
        json.loads(line)
        for line in (shared_data / "teddy2020" / "messages_with_votes.jsonl").open(encoding="utf-8")
    ]
    topics = {"丽发新城": [], "伊景园": [], "other": []}
    for row in rows:
        body = row["title"] + row["text"]
        key = next((k for k in ("丽发新城", "伊景园") if k in body), "other")
        topics[key].append(row)
    chosen = topics["丽发新城"][:25] + topics["伊景园"][:25] + topics["other"][:60]
    chosen.sort(key=lambda r: _when(r["time"]))
    cases = {}
    for row in chosen:
        cases[row["id"]] = route(
            title=row["title"][:200],
            description=row["text"][:20000],
            phone=_phone(row["user"]),
            now=_when(row["time"]),
        )
    topic_of = {cases[r["id"]].pk: k for k, rs in topics.items() for r in rs if r["id"] in cases}
    similar = CaseLink.objects.filter(
        kind=LinkKind.SIMILAR_TEXT, case_id__in=[c.pk for c in cases.values()]
    )
    pairs = {(link.case_id, link.other_id) for link in similar}
    # No similar-text link joins the two estates' stories.
    crossing = [p for p in pairs if {topic_of[p[0]], topic_of[p[1]]} == {"丽发新城", "伊景园"}]
    assert crossing == []
    # Most messages about each estate find another one about the same estate.
    for topic in ("丽发新城", "伊景园"):
        members = [pk for pk, t in topic_of.items() if t == topic]
        found = [pk for pk in members if any(topic_of[o] == topic for c, o in pairs if c == pk)]
        assert len(found) >= 0.5 * len(members), (topic, len(found), len(members))
    # Every pair whose texts overlap strongly (exact Jaccard ≥ 0.5) is linked.
    shingles = {c.pk: related.shingles(f"{c.title}\n{c.description}") for c in cases.values()}
    strong = []
    ids = sorted(shingles)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            sa, sb = shingles[a], shingles[b]
            if sa and sb and len(sa & sb) / len(sa | sb) >= 0.5:
                strong.append((a, b))
    assert strong, "the sample should hold near-duplicate messages"
    assert all((b, a) in pairs or (a, b) in pairs for a, b in strong)
    # Repeated appeals by the same user (phone) are linked and counted.
    by_user = {}
    for row in chosen:
        by_user.setdefault(row["user"], []).append(cases[row["id"]])
    repeats = [cs for cs in by_user.values() if len(cs) > 1]
    assert repeats
    for cs in repeats:
        later = cs[-1]
        linked = {link.other_id for link in CaseLink.objects.filter(case=later, kind="same_party")}
        assert {c.pk for c in cs[:-1]} <= linked

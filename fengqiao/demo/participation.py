"""The demo county's citizen participation, in the first township's villages: residents
(the demo citizen signs in with :data:`DEMO_PHONE`), clues and hazards with photos, some
reviewed into cases and points, rewards and one redemption, 议事厅 topics from opening to a
published outcome, offline 说事/恳谈 meetings, notices with reads, 普法 activities, a 平安家庭
campaign with its evaluation, and a 知晓率 survey.

Written through the participation services; every step skips what is already there, so the
section can be interrupted and run again.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import mobile, person
from fengqiao.grid.selectors import own_grid_ids
from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.participation.models import (
    Citizen,
    Clue,
    LegalActivity,
    Meeting,
    Notice,
    Redemption,
    Reward,
    SafetyCampaign,
    Survey,
    Topic,
)
from fengqiao.participation.services import (
    clues,
    creation,
    deliberation,
    identity,
    notices,
    points,
)
from fengqiao.regions.models import Grid, Level, Region

Log = Callable[[str], None]
DEMO_PHONE = "13800001234"  # the demo citizen: sign in at /p/participation/ (code on the page)
VILLAGES = 3
RESIDENTS = 24  # per village

CLUES = [
    ("hazard", "村口石桥栏杆松动，学生上下学经过很危险，建议尽快加固。", "case"),
    ("hazard", "沿河路段护栏缺失约二十米，夜间没有路灯。", "case"),
    ("report", "有人在河滩夜间非法采砂，运砂车压坏了村道。", "case"),
    ("hazard", "老旧小区三号楼楼道堆放杂物，堵塞消防通道。", "useful"),
    ("report", "两户村民因宅基地边界争吵多次，情绪激动。", "case"),
    ("hazard", "村头变压器旁杂草丛生，有火灾隐患。", "useful"),
    ("report", "有人上门推销“养老理财”，疑似诈骗，多位老人已交钱。", "case"),
    ("hazard", "水塘边没有警示牌，暑假常有孩子玩水。", "pending"),
    ("report", "菜市场门口占道经营，早上交通拥堵。", "rejected"),
    ("hazard", "废弃厂房围墙开裂倾斜。", "pending"),
]
TOPICS = [
    (
        "村主干道安装太阳能路灯",
        "村主干道夜间照明不足，拟使用村集体资金安装太阳能路灯30盏，请大家发表意见并表决。",
        "published",
        "表决通过。村委会将于下月招标采购，安装位置在村务公开栏公示。",
    ),
    (
        "垃圾分类收集点选址",
        "拟在村东、村西各设一个垃圾分类收集点，选址有两个方案，欢迎提出意见。",
        "voting",
        "",
    ),
    (
        "修订村规民约（征求意见稿）",
        "村规民约修订稿已张贴，重点是红白喜事简办、邻里纠纷调解程序。",
        "open",
        "",
    ),
]
COMMENTS = [
    "支持，晚上出门太黑了，老人走路不安全。",
    "建议路灯先装在学校和卫生室附近。",
    "希望采购时公开招标，账目公示。",
    "同意，费用要控制好。",
    "收集点不要离住户太近，夏天有味道。",
]


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG (a stand-in for the citizen's photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def build(org: DemoOrg, *, log: Log) -> None:
    points.ensure_default_rules()
    township = Region.objects.get(code=min(org.township_centers))
    villages = [
        v
        for v in township.children.filter(level=Level.VILLAGE).order_by("code")
        if Grid.objects.filter(region=v).exists()
    ][:VILLAGES]
    director = org.staff.get((org.township_centers[township.code].pk, Role.DIRECTOR))
    if director is None or not villages:
        log("  participation: no township director or no villages with grids; skipped")
        return
    for i, village in enumerate(villages):
        people = _residents(village, first=i == 0)
        worker = _worker(org, village)
        made = _clues(village, people, worker or director, director)
        _topics(village, people, director)
        _meetings(village, director)
        _notices(village, people, director)
        log(f"  {village.name}: {len(people)} residents, {made} new clues")
    _rewards(org, villages[0], director)
    _creation(township, villages, director)
    log("  participation: topics, meetings, notices, 普法 activities, 平安创建, survey done")


def _worker(org: DemoOrg, village: Region) -> User | None:
    center = org.village_centers.get(village.code)
    return org.staff.get((center.pk, Role.GRID_WORKER)) if center else None


def _residents(village: Region, *, first: bool) -> list[Citizen]:
    rng = random.Random(f"participation:{village.code}")
    grids = list(Grid.objects.filter(region=village).order_by("code"))
    out = []
    phones = [DEMO_PHONE] if first else []
    phones += [mobile(rng) for _ in range(RESIDENTS)]
    for n, phone in enumerate(phones):
        citizen = identity.resident_for_phone(phone)
        if citizen.region_id is None:
            name = "张建华" if phone == DEMO_PHONE else person(rng, dt.date(2026, 1, 1)).name
            identity.set_place(
                resident=citizen, region=village, grid=grids[n % len(grids)], nickname=name
            )
        out.append(citizen)
    return out


def _clues(village: Region, people: list[Citizen], worker: User, director: User) -> int:
    if Clue.objects.filter(region=village).exists():
        return 0
    rng = random.Random(f"participation-clues:{village.code}")
    now = timezone.now()
    made = 0
    for n, (kind, text, decision) in enumerate(CLUES):
        who = people[n % len(people)]
        photo = SimpleUploadedFile(
            "photo.png",
            solid_png(96, 64, (rng.randrange(80, 200), rng.randrange(80, 200), 90)),
            content_type="image/png",
        )
        clue = clues.submit_clue(
            resident=who,
            kind=kind,
            text=text,
            region=village,
            grid=who.grid,
            photo=photo if n % 3 != 2 else None,
            address=f"{village.name}{rng.choice(['村口', '河边', '东组', '西组', '学校旁'])}",
            anonymous=n == 6,
            now=now - dt.timedelta(days=30 - n * 3, hours=rng.randrange(8)),
        )
        made += 1
        if decision == "pending":
            continue
        reviewer = worker if clue.grid_id in own_grid_ids(worker) else director
        note = "不属实，已核实为正常经营" if decision == "rejected" else "经现场核实属实"
        clues.review_clue(actor=reviewer, clue=clue, decision=decision, note=note)
    return made


def _topics(village: Region, people: list[Citizen], director: User) -> None:
    rng = random.Random(f"participation-topics:{village.code}")
    for title, body, status, outcome in TOPICS:
        if Topic.objects.filter(region=village, title=title).exists():
            continue
        topic = deliberation.open_topic(actor=director, region=village, title=title, body=body)
        for c in rng.sample(COMMENTS, 3):
            deliberation.comment(resident=rng.choice(people), topic=topic, text=c)
        spam = deliberation.comment(
            resident=rng.choice(people), topic=topic, text="低息贷款，加微信办理"
        )
        deliberation.moderate(actor=director, comment=spam, hide=True, reason="广告信息")
        if status == "open":
            continue
        topic = deliberation.advance(actor=director, topic=topic)
        for p in rng.sample(people, min(len(people), 15)):
            choice = rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1])[0]
            deliberation.vote(resident=p, topic=topic, choice=choice)
        if status == "published":
            deliberation.publish_outcome(actor=director, topic=topic, outcome=outcome)


def _meetings(village: Region, director: User) -> None:
    if Meeting.objects.filter(region=village).exists():
        return
    today = timezone.localdate()
    for n, (kind, subject, outcome) in enumerate(
        [
            ("shuoshi", "春耕用水调配", "确定按组轮灌，每组每周两天。"),
            ("kentan", "村道拓宽占地补偿", "补偿标准公示七天，无异议后签约。"),
            ("joint", "河道采砂联合整治", "派出所、水利站联合夜查，每周两次。"),
        ]
    ):
        deliberation.record_meeting(
            actor=director,
            region=village,
            kind=kind,
            held_on=today - dt.timedelta(days=10 + n * 14),
            place="村委会会议室",
            subject=subject,
            attendance=18 + n * 7,
            attendees="村两委成员、网格员、村民代表",
            outcome=outcome,
        )


def _notices(village: Region, people: list[Citizen], director: User) -> None:
    if Notice.objects.filter(region=village).exists():
        return
    first = notices.send_notice(
        actor=director,
        region=village,
        title="防范电信诈骗提醒",
        body="近期有冒充客服退款的诈骗电话，请勿透露验证码，不向陌生账户转账。",
        by_sms=True,
    )
    grid = people[0].grid
    notices.send_notice(
        actor=director,
        region=village,
        grid=grid,
        title="本网格周六停水通知",
        body="因管网维修，本周六8:00-14:00停水，请提前储水。",
    )
    for p in people[1::2]:
        notices.mark_read(resident=p, notice=first)


def _rewards(org: DemoOrg, village: Region, director: User) -> None:
    center = org.township_centers[village.code[:9]]
    if Reward.objects.filter(center=center).exists():
        return
    towel = Reward.objects.create(center=center, name="毛巾", cost=5, stock=50)
    Reward.objects.create(center=center, name="洗衣液", cost=15, stock=30)
    Reward.objects.create(center=center, name="应急手电筒", cost=30, stock=10)
    for citizen in Citizen.objects.filter(region=village).order_by("id"):
        if points_balance(citizen) >= towel.cost and not Redemption.objects.exists():
            points.redeem(actor=director, resident=citizen, reward=towel)
            break


def points_balance(citizen: Citizen) -> int:
    return sum(citizen.points.values_list("delta", flat=True))


def _creation(township: Region, villages: list[Region], director: User) -> None:
    today = timezone.localdate()
    if not LegalActivity.objects.filter(region__in=villages).exists():
        kinds = ["stall", "lecture", "visit", "school", "online"]
        for n, village in enumerate(villages * 2):
            creation.record_activity(
                actor=director,
                region=village,
                kind=kinds[n % len(kinds)],
                title=["民法典进农村", "防范电信诈骗", "未成年人保护法宣讲"][n % 3],
                held_on=today - dt.timedelta(days=5 + n * 9),
                place="村文化广场",
                audience=60 + n * 25,
                materials=200 + n * 50,
                materials_note="宣传折页、手册",
            )
    if not SafetyCampaign.objects.filter(region=township).exists():
        camp = creation.create_campaign(
            actor=director,
            region=township,
            title_kind="family",
            year=today.year,
            criteria="全年无治安、刑事案件；无矛盾纠纷上行；遵守村规民约；积极参与平安建设。",
            pass_score=85,
        )
        for name, score in (("张建华家", 93), ("李桂芳家", 88), ("王德明家", 76)):
            cand = creation.add_candidate(actor=director, campaign=camp, name=name)
            creation.evaluate(actor=director, candidate=cand, score=score, note="入户核查")
        village_camp = creation.create_campaign(
            actor=director,
            region=township,
            title_kind="village",
            year=today.year,
            criteria="矛盾纠纷化解率95%以上；无重大安全事故；网格全覆盖。",
        )
        for village in villages:
            creation.add_candidate(actor=director, campaign=village_camp, name=village.name)
    if not Survey.objects.filter(region=township).exists():
        survey = creation.create_survey(
            actor=director,
            region=township,
            title="平安建设知晓率调查",
            questions=[
                "您知道本镇综治中心的位置吗？",
                "您知道遇到矛盾纠纷可以到综治中心一站式解决吗？",
                "您知道本网格网格员的联系方式吗？",
            ],
        )
        rng = random.Random("participation-survey")
        for citizen in Citizen.objects.filter(region__in=villages).exclude(
            phone_hash=identity.resident_for_phone(DEMO_PHONE).phone_hash
        )[:40]:
            creation.answer_survey(
                resident=citizen,
                survey=survey,
                answers=[rng.random() < p for p in (0.85, 0.7, 0.6)],
            )

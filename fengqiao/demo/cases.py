# ruff: noqa: E501 - lines of Chinese notes read better unbroken
"""The demo's cases: a year of appeals in 云梦县, written only through the services.

Each case is drawn from a seeded random generator by its index, so a run is reproducible and
a second run skips what exists. Its life is simulated with ``now=`` advancing in working
hours — registered, routed, dispatched hours later, signed within a day, handled for days,
resolved, closed, visited and archived — and stops at the run's anchor (the moment the demo
was first built), which leaves the recent and the slow cases open, some of them overdue.
Every status change goes through :func:`fengqiao.cases.services.transition`, so every event
follows the transition table and the hash chain verifies.

The steps that belong to other apps (risk grading, deadlines and overdue marking,
supervision, visits, related cases) are in :mod:`fengqiao.demo.steps`, each calling that
app's public services.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import (
    Action,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    PartyKind,
    PartyRole,
    Status,
)
from fengqiao.cases.models import Case, Category
from fengqiao.demo import clock, steps, texts
from fengqiao.demo.models import DemoCase, DemoRun
from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import Person, person
from fengqiao.intake.types import AppealIn, PartyIn
from fengqiao.org.choices import Role, UnitType
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import Region

DEFAULT_SEED = 20260101
DAYS = 365

# How busy each township is (城关镇 is the county seat).
TOWNSHIP_WEIGHTS = {
    "420923100": 3.2,
    "420923101": 1.6,
    "420923102": 1.0,
    "420923103": 0.9,
    "420923104": 1.1,
    "420923105": 1.3,
    "420923106": 0.8,
    "420923107": 1.3,
    "420923108": 0.7,
    "420923200": 0.6,
    "420923201": 0.7,
    "420923202": 0.5,
}
MONTH_FACTOR = {1: 1.1, 2: 0.85, 3: 1.05, 4: 1.0, 5: 1.0, 6: 1.05, 7: 1.15, 8: 1.1,
                9: 0.95, 10: 0.9, 11: 1.0, 12: 1.05}  # fmt: skip
WEEKDAY_FACTOR = (1.25, 1.1, 1.1, 1.05, 1.0, 0.45, 0.35)
SPRING_FESTIVAL = {
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}
# The 征地拆迁 cluster: one township, one project, some weeks about seven months back.
EXPROPRIATION_TOWNSHIP = "420923102"  # 曾店镇
EXPROPRIATION_PROJECT = "云梦经济开发区扩区项目"
WAGE_SITE = "城南安置小区"

CHANNELS = [
    (Channel.WINDOW, 30),
    (Channel.PHONE, 17),
    (Channel.GRID, 15),
    (Channel.WEB, 7),
    (Channel.QR, 5),
    (Channel.LETTER, 3),
    (Channel.TRANSFER_12345, 14),
    (Channel.TRANSFER_110, 6),
    (Channel.TRANSFER_COURT, 3),
]

# What the dispatcher writes when a unit sends a case back, and why cases are refused.
RETURN_REASONS = [
    "经核实，该事项不属于本单位职责范围，请重新分流。",
    "事发地不在本辖区，建议转属地处理。",
    "涉及多个部门职能，建议由综治中心牵头协调。",
    "当事人反映的问题已进入诉讼程序，建议由法院处理。",
]
REJECT_REASONS = [
    "该事项已进入诉讼程序，依法不予受理，已告知当事人向县人民法院咨询。",
    "反映的问题已经依法处理终结，无新的事实和理由，不予受理，已向当事人解释。",
    "诉求不属于本中心受理范围，已告知当事人向相关行政机关申请复议。",
    "当事人未提供基本事实和联系方式，无法核实，已告知补充材料后再来登记。",
]
WITHDRAW_REASONS = [
    "双方已自行协商解决，申请人申请撤回。",
    "申请人表示问题已由村里处理好，不再需要调处。",
    "申请人决定直接向法院起诉，撤回调解申请。",
    "对方已主动赔偿，申请人撤回。",
]
SEND_BACK_REASONS = [
    "办理结果未附调解协议书，请补充后重新办结。",
    "经电话核实，当事人对处理结果不认可，请重新办理。",
    "办结报告过于简单，未说明处理依据，请补充完善。",
]
REOPEN_REASONS = [
    "回访时当事人表示对方未按协议履行，要求重新处理。",
    "当事人对处理结果不满意，认为问题没有根本解决。",
    "回访中了解到问题反弹，需重新办理。",
]
MEDIATION_FAILED = [
    "经先行调解，双方分歧较大，未能达成协议，转职能部门办理。",
    "对方拒不到场参加调解，调解终止，转交办。",
]
VISIT_NOTES = ["电话回访，当事人对处理结果表示满意。", "上门回访，当事人表示满意。",
               "短信回访，当事人回复满意。"]  # fmt: skip


# Where the cases still in the works wait (the others end where the anchor cuts them).
WAITING = [
    (Status.REGISTERED, 0, 3),
    (Status.MEDIATING, 1, 12),
    (Status.DISPATCHED, 0, 3),
    (Status.HANDLING, 1, 20),
    (Status.HANDLING, 30, 80),
    (Status.RESOLVED, 3, 10),
    (Status.CLOSED, 4, 10),
]  # (status, from and to how many days before the anchor it came in)
WAITING_EVERY = 16  # one case in 16 came in during the last weeks and is still in the works


class Stop(Exception):
    """The next step would happen after the anchor: the case stays where it is."""


@dataclass
class Plan:
    """What one case is, before it is written: drawn from the seed and the index."""

    index: int
    at: dt.datetime
    channel: str
    township: Region
    village: Region
    story: texts.Story
    applicant: Person
    parties: list[PartyIn]
    address: str = ""
    target: str = ""  # for a case still in the works: the status where it waits now
    applicant_key: str = ""
    cluster: str = ""


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the library does not know yet
        return day.weekday() < 5


def working_time(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """The moment itself if it falls in office hours of a working day, else the next
    opening (08:30–12:00, 14:30–17:30) plus a few minutes."""
    local = timezone.localtime(moment)
    for _ in range(30):
        day = local.date()
        minutes = local.hour * 60 + local.minute
        if is_workday(day):
            if 510 <= minutes < 720 or 870 <= minutes < 1050:
                return local
            if minutes < 510:
                return local.replace(hour=8, minute=30 + rng.randrange(0, 25))
            if 720 <= minutes < 870:
                return local.replace(hour=14, minute=30 + rng.randrange(0, 25))
        local = (local + dt.timedelta(days=1)).replace(hour=0, minute=0)
    return local


class Calendar:
    """The registration rhythm over the year before the anchor."""

    def __init__(self, anchor: dt.datetime):
        self.anchor = anchor
        end = timezone.localdate(anchor)
        self.days = [end - dt.timedelta(days=n) for n in range(DAYS, -1, -1)]
        weights = []
        for i, day in enumerate(self.days):
            w = MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()]
            if not is_workday(day) and day.weekday() < 5:
                w *= 0.35  # public holidays
            w *= 0.85 + 0.3 * i / len(self.days)  # more cases as the platform spreads
            weights.append(w)
        self.weights = weights
        festivals = [d for d in SPRING_FESTIVAL.values() if self.days[0] <= d <= end]
        self.spring_festival = festivals[0] if festivals else None
        self.expropriation_start = end - dt.timedelta(days=215)

    def day(self, rng: random.Random) -> dt.date:
        return rng.choices(self.days, self.weights)[0]

    def wage_day(self, rng: random.Random) -> dt.date | None:
        if self.spring_festival is None:
            return None
        day = self.spring_festival - dt.timedelta(days=int(rng.triangular(2, 40, 12)))
        return day if day <= self.days[-1] else None

    def expropriation_day(self, rng: random.Random) -> dt.date:
        return self.expropriation_start + dt.timedelta(days=int(rng.triangular(0, 50, 12)))


def _clock(day: dt.date, channel: str, rng: random.Random) -> dt.datetime:
    if channel in (Channel.WINDOW, Channel.LETTER, Channel.TRANSFER_COURT):
        minute = rng.choice([rng.randint(510, 719), rng.randint(870, 1049)])
    elif channel == Channel.GRID:
        minute = rng.randint(480, 1110)
    else:
        minute = int(rng.triangular(420, 1320, 630))
    naive = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)))
    return timezone.make_aware(naive)


class Builder:
    """Draws plans and plays them out against the services."""

    def __init__(self, org: DemoOrg, run: DemoRun, step_runner: steps.Steps):
        self.org = org
        self.run = run
        self.seed = run.seed
        self.anchor = run.anchor
        self.calendar = Calendar(run.anchor)
        self.steps = step_runner
        self.clock = step_runner.clock
        self.townships = list(org.county.children.order_by("code"))
        self.villages: dict[str, list[Region]] = {}
        for region in Region.objects.filter(path__startswith=org.county.path, level=5).order_by(
            "code"
        ):
            self.villages.setdefault(region.parent_id, []).append(region)
        self.townships = [t for t in self.townships if self.villages.get(t.code)]
        self.categories = {c.code: c for c in Category.objects.all()}
        self.categories_by_id = {c.pk: c for c in self.categories.values()}
        self.center_levels = dict(
            Unit.objects.filter(kind="center").values_list("pk", "region__level")
        )
        self.centers_by_region: dict[str, Unit] = {
            self.org.county.code: org.county_center,
            **org.township_centers,
            **org.village_centers,
        }
        self.repeaters = self._repeaters()

    # ---- drawing ---------------------------------------------------------------------

    def rng(self, index: int, salt: str = "") -> random.Random:
        return random.Random(f"{self.seed}:{index}:{salt}")

    def _repeaters(self) -> list[tuple[Person, Region, Callable]]:
        """People who come back again and again (same phone across cases)."""
        out = []
        rng = random.Random(f"{self.seed}:repeaters")
        themes = [texts.petition, texts.land, texts.housing, texts.labor, texts.neighbor,
                  texts.expropriation]  # fmt: skip
        for _ in range(40):
            township = rng.choices(
                self.townships, [TOWNSHIP_WEIGHTS.get(t.code, 1) for t in self.townships]
            )[0]
            village = rng.choice(self.villages[township.code])
            who = person(rng, timezone.localdate(self.anchor), min_age=45, max_age=78)
            out.append((who, village, rng.choice(themes)))
        return out

    def registration_time(self, index: int) -> tuple[dt.datetime, str]:
        """When case ``index`` comes in, and which cluster it belongs to (if any)."""
        rng = self.rng(index, "when")
        roll = rng.random()
        cluster = ""
        day = None
        if roll < 0.03:
            day, cluster = self.calendar.wage_day(rng), "wage"
        elif roll < 0.045:
            day, cluster = self.calendar.expropriation_day(rng), "expropriation"
        if index % WAITING_EVERY == 7:  # a case still in the works, come in a while ago
            _status, lo, hi = WAITING[(index // WAITING_EVERY) % len(WAITING)]
            day, cluster = self.calendar.days[-1 - int(rng.triangular(lo, hi, lo))], ""
        if day is None:
            day, cluster = self.calendar.day(rng), ""
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        if not is_workday(day) and channel in (Channel.WINDOW, Channel.LETTER):
            channel = rng.choice([Channel.PHONE, Channel.WEB, Channel.GRID, Channel.TRANSFER_12345])
        at = _clock(day, channel, rng)
        if at >= self.anchor:
            at = self.anchor - dt.timedelta(minutes=rng.randint(5, 600))
        return at, f"{cluster}|{channel}"

    def plan(self, index: int) -> Plan:
        at, key = self.registration_time(index)
        cluster, channel = key.split("|")
        rng = self.rng(index, "plan")
        day = timezone.localdate(at)
        applicant_key = ""
        scenario = None
        kwargs = {}
        if cluster == "expropriation":
            township = next(t for t in self.townships if t.code == EXPROPRIATION_TOWNSHIP)
            village = rng.choice(self.villages[township.code][:6])
            applicant = person(rng, day)
            scenario, kwargs = texts.expropriation, {"project": EXPROPRIATION_PROJECT}
        elif cluster == "wage":
            township = self.townships[0]
            village = rng.choice(self.villages[township.code])
            applicant = person(rng, day, min_age=24, max_age=58)
            scenario, kwargs = (
                texts.labor,
                {"site": WAGE_SITE, "company": "云梦县鑫达建筑工程有限公司"},
            )
        elif index % WAITING_EVERY == 13 or rng.random() < 0.06:
            # People who come back: every 16th case (ten in a row of them each) and a few
            # more at random.
            if index % WAITING_EVERY == 13:
                k = (index // (WAITING_EVERY * 10)) % len(self.repeaters)
            else:
                k = rng.randrange(len(self.repeaters))
            applicant, village, scenario = self.repeaters[k]
            township = next(t for t in self.townships if t.code == village.parent_id)
            applicant_key = f"r{k}"
        else:
            township = rng.choices(
                self.townships, [TOWNSHIP_WEIGHTS.get(t.code, 1) for t in self.townships]
            )[0]
            village = rng.choice(self.villages[township.code])
            roll = rng.random()
            if roll < 0.12:
                applicant = person(rng, day, min_age=65, max_age=90)
            else:
                applicant = person(rng, day)
        village_name = village.name.removesuffix("委员会").removesuffix("委会")
        village_name = village_name.removesuffix("居").removesuffix("村") + (
            "" if "社区" in village_name else "村"
        )
        is_community = "社区" in village_name
        group = rng.randint(1, 12)
        if is_community:
            address = f"{rng.choice(texts.STREETS)}{rng.randint(1, 399)}号"
        else:
            address = f"{village_name}{texts.cn_num(group)}组{rng.randint(1, 80)}号"
        place = texts.Place(township.name, village_name, is_community, address, group)
        story = texts.write(rng, place, applicant, day, channel, scenario, **kwargs)
        parties = self._parties(rng, story, applicant, place, day)
        if cluster:
            story.people_count = max(story.people_count, rng.randint(3, 30))
        return Plan(
            index=index,
            at=at,
            channel=channel,
            township=township,
            village=village,
            story=story,
            applicant=applicant,
            parties=parties,
            address=f"{township.name}{address}",
            target=(
                WAITING[(index // WAITING_EVERY) % len(WAITING)][0]
                if index % WAITING_EVERY == 7
                else ""
            ),
            applicant_key=applicant_key,
            cluster=cluster,
        )

    def _parties(
        self, rng: random.Random, story: texts.Story, applicant: Person, place, day: dt.date
    ) -> list[PartyIn]:
        home = f"{place.township}{place.address}"
        age = applicant.age_on(day)
        parties = [
            PartyIn(
                name=applicant.name,
                role=PartyRole.APPLICANT,
                phone=applicant.phone,
                id_number=applicant.id_number if rng.random() < 0.8 else "",
                address=home,
                is_elderly=age >= 65,
                is_disabled=rng.random() < 0.02,
            )
        ]
        if story.respondent:
            if story.respondent_is_org:
                parties.append(
                    PartyIn(
                        name=story.respondent,
                        role=PartyRole.RESPONDENT,
                        kind=PartyKind.ORGANIZATION,
                    )
                )
            else:
                other = person(rng, day, surname=story.respondent[0])
                parties.append(
                    PartyIn(
                        name=other.name,
                        role=PartyRole.RESPONDENT,
                        phone=other.phone if rng.random() < 0.6 else "",
                        id_number=other.id_number if rng.random() < 0.3 else "",
                        is_elderly=other.age_on(day) >= 65,
                    )
                )
        if story.people_count >= 5:
            for _ in range(min(story.people_count - 1, rng.randint(3, 8))):
                p = person(rng, day, min_age=20, max_age=75)
                parties.append(
                    PartyIn(
                        name=p.name,
                        role=PartyRole.OTHER,
                        phone=p.phone,
                        id_number=p.id_number,
                        is_elderly=p.age_on(day) >= 65,
                    )
                )
        if story.category in ("dispute.damages", "dispute.marriage") and rng.random() < 0.15:
            child = person(rng, day, min_age=6, max_age=17, surname=applicant.name[0])
            parties.append(
                PartyIn(
                    name=child.name,
                    role=PartyRole.OTHER,
                    id_number=child.id_number,
                    is_minor=True,
                )
            )
        return parties

    # ---- playing out -----------------------------------------------------------------

    def staff_at(self, center: Unit, role: str) -> User:
        """The user acting in ``role`` for ``center``, or for the nearest center above it."""
        for code in reversed([c for c in center.region_path.split(".") if c]):
            unit = self.centers_by_region.get(code)
            if unit is not None and (unit.pk, role) in self.org.staff:
                return self.org.staff[(unit.pk, role)]
        return self.org.staff[(self.org.county_center.pk, role)]

    def handler_of(self, unit: Unit) -> User:
        return self.org.staff[(unit.pk, Role.HANDLER)]

    def category(self, code: str) -> Category | None:
        return self.categories.get(code) or self.categories.get(code.split(".")[0])

    def build(self, index: int) -> Case:
        plan = self.plan(index)
        rng = self.rng(index, "life")
        case = Life(self, plan, rng).play()
        DemoCase.objects.create(
            run=self.run,
            index=index,
            case=case,
            applicant_key=plan.applicant_key,
            cluster=plan.cluster,
        )
        self.steps.link(case, plan.applicant_key, plan.cluster, self.run)
        return case


class Life:
    """One case's path through the closed loop, in time."""

    stop_class = Stop

    def __init__(self, builder: Builder, plan: Plan, rng: random.Random):
        self.b = builder
        self.plan = plan
        self.r = rng
        self.t = plan.at.astimezone(dt.UTC)
        self.case: Case | None = None
        self.slow = rng.random() < 0.09  # handled past its deadline
        self.failed_mediation = ""

    # time

    def later(self, lo_hours: float, hi_hours: float, *, office: bool = True) -> dt.datetime:
        hours = self.r.uniform(lo_hours, hi_hours)
        moment = self.t + dt.timedelta(hours=hours)
        if office:
            moment = working_time(moment, self.r)
        return moment

    def at(self, moment: dt.datetime) -> None:
        if moment >= self.b.anchor:
            raise Stop
        # In UTC: an event's hash covers its time as written, and the database gives it
        # back in UTC.
        self.t = max(moment, self.t + dt.timedelta(seconds=1)).astimezone(dt.UTC)
        self.b.clock.set(self.t)

    def move(self, action: str, actor: User | None, moment: dt.datetime, **kw) -> None:
        self.at(moment)
        self.case = case_services.transition(
            case=self.case, action=action, actor=actor, now=self.t, **kw
        )
        if self.b.steps.flush(self.case):
            self.case = Case.objects.select_related("center", "lead_unit").get(pk=self.case.pk)
        if self.case.status == self.plan.target:
            raise Stop

    def level(self) -> int:
        """The region level of the case's center (3 county, 4 township, 5 village)."""
        return self.b.center_levels[self.case.center_id]

    def unit_types(self) -> list[str]:
        category = self.b.categories_by_id.get(self.case.category_id)
        return list(category.unit_types) if category else []

    # the story

    def play(self) -> Case:
        b, p = self.b, self.plan
        center, actor = self.first_center()
        category = b.category(p.story.category)
        b.clock.set(self.t)
        appeal = AppealIn(
            center=center,
            channel=p.channel,
            title=p.story.title,
            description=p.story.description,
            region=p.village,
            category=category,
            address=p.address,
            people_count=p.story.people_count,
            parties=tuple(p.parties),
        )
        self.case = b.steps.register(appeal=appeal, actor=actor, now=self.t)
        with contextlib.suppress(Stop):
            self.loop()
        return self.case

    def first_center(self) -> tuple[Unit, User | None]:
        b, p = self.b, self.plan
        org = b.org
        ch = p.channel
        township_center = org.township_centers[p.township.code]
        if ch == Channel.GRID:
            center = org.village_centers[p.village.code]
            return center, b.staff_at(center, Role.GRID_WORKER)
        if ch in (Channel.WEB, Channel.QR):
            center = org.county_center if self.r.random() < 0.5 else township_center
            return center, None
        if ch in (Channel.WINDOW, Channel.PHONE) and self.r.random() < 0.6:
            return township_center, b.staff_at(township_center, Role.RECEPTIONIST)
        return org.county_center, b.staff_at(org.county_center, Role.RECEPTIONIST)

    def loop(self) -> None:
        r = self.r
        story = self.plan.story
        case = self.case
        # The first hours: refuse, withdraw, answer on the spot, mediate or route.
        target = self.plan.target
        if target == Status.REGISTERED:
            raise Stop
        if target == Status.MEDIATING:
            self.move(Action.MEDIATE, self.staff(Role.MEDIATOR), self.later(0.5, 20))
        roll = r.random() if not target else 1.0
        if roll < 0.03:
            self.move(Action.REJECT, self.staff(Role.RECEPTIONIST), self.later(0.2, 3),
                      note=r.choice(REJECT_REASONS))  # fmt: skip
            return
        if roll < 0.055:
            self.move(Action.WITHDRAW, self.staff(Role.RECEPTIONIST), self.later(2, 60),
                      note=r.choice(WITHDRAW_REASONS))  # fmt: skip
            return
        level = case.risk_level
        if story.answerable and not target and r.random() < 0.75:
            self.move(Action.ANSWER, self.staff(Role.RECEPTIONIST), self.later(0.1, 2),
                      result=story.result)  # fmt: skip
            self.after_resolve()
            return
        center_level = self.level()
        mediable = story.mediable and not target
        village_mediation = level == "blue" and mediable and r.random() < 0.85
        if center_level == 5 and village_mediation and self.mediate():
            return
        if center_level == 5:
            note = (self.failed_mediation or "") + "超出村级调处能力，上报镇综治中心。"
            self.failed_mediation = ""
            self.move(Action.ESCALATE, self.staff(Role.DISPATCHER), self.later(2, 30),
                      note=note, target_center=self.parent_center())  # fmt: skip
        registered = self.case.status == Status.REGISTERED
        first_mediation = mediable and level != "red" and r.random() < 0.3
        if registered and first_mediation and self.mediate():
            return
        registered = self.case.status == Status.REGISTERED
        at_county = self.case.center_id == self.b.org.county_center.pk
        unit_types = self.unit_types()
        no_department = not any(t in self.b.org.departments for t in unit_types)
        local = level == "blue" and r.random() < 0.2
        if at_county and registered and level != "red" and (no_department or local):
            township_center = self.b.org.township_centers[self.plan.township.code]
            self.move(Action.DELEGATE, self.staff(Role.DISPATCHER), self.later(1, 8),
                      note="属地矛盾，交由镇综治中心办理。", target_center=township_center)  # fmt: skip
        self.dispatch_and_handle()

    def staff(self, role: str) -> User:
        return self.b.staff_at(self.case.center, role)

    def parent_center(self) -> Unit:
        code = [c for c in self.case.center.region_path.split(".") if c][-2]
        return self.b.centers_by_region[code]

    def mediate(self) -> bool:
        """先行调解: True when the case ends here (settled or withdrawn). A village center
        cannot pass a case sideways, so there a mediation that would fail is not started:
        the case goes up to the township instead."""
        r = self.r
        outcome = r.random()
        village = self.level() == 5
        if village and outcome >= 0.76:
            self.failed_mediation = "村级调解未果，"
            return False
        self.move(Action.MEDIATE, self.staff(Role.MEDIATOR), self.later(0.5, 20))
        if outcome < 0.68:
            self.move(Action.SETTLE, self.staff(Role.MEDIATOR), self.later(20, 24 * 8),
                      result=_agreement(self.plan.story))  # fmt: skip
            self.after_resolve()
            return True
        if outcome < 0.76:
            self.move(Action.WITHDRAW, self.staff(Role.RECEPTIONIST), self.later(24, 24 * 6),
                      note=r.choice(WITHDRAW_REASONS))  # fmt: skip
            return True
        self.at(self.later(24, 24 * 6))
        self.failed_mediation = r.choice(MEDIATION_FAILED)
        return False

    def lead_unit(self, exclude: Unit | None = None) -> Unit:
        """Who leads the handling: a department (county) or a station (township) of the
        category's unit types. Lower centers get a case by delegation, not by dispatch."""
        org = self.b.org
        unit_types = self.unit_types()
        if self.level() == 3:
            pool = org.departments
            fallback = [org.departments[UnitType.JUSTICE], org.departments[UnitType.PETITION]]
        else:
            pool = org.township_units[self.plan.township.code]
            fallback = [pool[UnitType.MEDIATION_COMMITTEE], pool[UnitType.JUSTICE]]
        candidates = [pool[t] for t in unit_types if t in pool and pool[t] != exclude]
        if not candidates:
            candidates = [u for u in fallback if u != exclude]
        weights = [4 if i == 0 else 1 for i in range(len(candidates))]
        return self.r.choices(candidates, weights)[0]

    def dispatch_and_handle(self) -> None:
        r = self.r
        case = self.case
        registered = case.status == Status.REGISTERED
        if registered and self.level() == 4 and case.risk_level == "red":
            self.move(Action.ESCALATE, self.staff(Role.DISPATCHER), self.later(1, 6),
                      note="风险等级高，上报县综治中心统筹。",
                      target_center=self.parent_center())  # fmt: skip
        level = self.level()
        unit_types = self.unit_types()
        stations = self.b.org.township_units[self.plan.township.code]
        local = any(t in stations for t in unit_types)
        registered = self.case.status == Status.REGISTERED
        if level == 4 and registered and not local and r.random() < 0.6:
            self.move(Action.ESCALATE, self.staff(Role.DISPATCHER), self.later(2, 24),
                      note="涉及县直部门职能，镇级无法办理，上报县综治中心。",
                      target_center=self.parent_center())  # fmt: skip
        co_units = []
        lead = self.lead_unit()
        if self.level() == 3 and r.random() < 0.15:
            others = [
                self.b.org.departments[t] for t in unit_types[1:] if t in self.b.org.departments
            ]
            co_units = [u for u in others if u != lead][:1]
        self.move(Action.DISPATCH, self.staff(Role.DISPATCHER), self.later(0.3, 5),
                  lead_unit=lead, co_units=co_units, note=self.failed_mediation)  # fmt: skip
        self.failed_mediation = ""
        self.handle()

    def handle(self) -> None:
        r = self.r
        b = self.b
        lead = self.case.lead_unit
        if r.random() < 0.06:
            self.move(Action.RETURN, b.handler_of(lead), self.later(1, 20),
                      note=r.choice(RETURN_REASONS))  # fmt: skip
            lead = self.lead_unit(exclude=lead)
            self.move(Action.DISPATCH, self.staff(Role.DISPATCHER), self.later(0.5, 6),
                      lead_unit=lead, note="重新分流。")  # fmt: skip
        sign_hours = r.uniform(0.2, 8) if r.random() < 0.9 else r.uniform(20, 60)
        self.move(Action.SIGN, b.handler_of(lead), self.later(sign_hours, sign_hours))
        if self.level() == 4 and r.random() < 0.03:
            self.at(self.later(24, 24 * 5))
            self.move(Action.ESCALATE, self.staff(Role.DISPATCHER), self.t,
                      note="案情复杂、涉及多部门，镇级难以化解，上报县综治中心。",
                      target_center=self.parent_center())  # fmt: skip
            self.dispatch_and_handle()
            return
        self.work_and_resolve()
        self.after_resolve()

    def work_and_resolve(self) -> None:
        r = self.r
        case = self.case
        days = {
            "legal": (0.5, 3), "hazard": (1, 5), "security": (1, 7), "livelihood": (2, 12),
            "petition": (8, 45),
        }.get(case.kind, {"red": (8, 28), "yellow": (3, 14)}.get(case.risk_level, (1.5, 9)))  # fmt: skip
        duration = r.uniform(*days) * 24
        if self.plan.target in (Status.RESOLVED, Status.CLOSED):
            duration = r.uniform(8, 40)  # a quick one, now waiting for review or a visit
        end = self.t + dt.timedelta(hours=duration)
        if self.slow and case.deadline:
            end = case.deadline + dt.timedelta(hours=r.uniform(24, 24 * 40))
        orders = self.b.steps.while_handling(self, end)
        self.co_handlers_report(end)
        self.move(Action.RESOLVE, self.b.handler_of(case.lead_unit), working_time(end, r),
                  result=self.plan.story.result)  # fmt: skip
        self.b.steps.close_orders(self, orders)

    def co_handlers_report(self, end: dt.datetime) -> None:
        """Each co-handling unit reports its part before the lead unit resolves (协办反馈)."""
        waiting = self.case.assignments.filter(
            role=AssignmentRole.CO, status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED]
        ).select_related("unit")
        for assignment in waiting:
            moment = self.t + (end - self.t) * self.r.uniform(0.3, 0.9)
            self.at(moment)
            case_services.report_co_handling(
                case=self.case,
                actor=self.b.handler_of(assignment.unit),
                unit=assignment.unit,
                report=self.r.choice(CO_REPORTS),
                now=self.t,
            )
            self.b.steps.flush(self.case)

    def after_resolve(self, *, final: bool = False) -> None:
        r = self.r
        director = self.staff(Role.DIRECTOR)
        if self.case.lead_unit_id and not final and r.random() < 0.05:
            self.move(
                Action.SEND_BACK, director, self.later(4, 40), note=r.choice(SEND_BACK_REASONS)
            )
            self.move(Action.RESOLVE, self.b.handler_of(self.case.lead_unit), self.later(24, 24 * 6),
                      result="已补充办理：" + self.plan.story.result)  # fmt: skip
        self.move(Action.CLOSE, director, self.later(2, 60))
        self.b.steps.visit(self, reopen=not final and r.random() < 0.04)


CO_REPORTS = [
    "已派员到场核实，情况属实，已配合主办单位做好当事人工作。",
    "已调取相关材料并出具意见，转主办单位统筹处理。",
    "已联合主办单位开展现场调查，依职责完成本单位部分。",
]


def _agreement(story: texts.Story) -> str:
    return story.result if "调解" in story.result else "经先行调解，双方达成协议：" + story.result


# ---- the run ---------------------------------------------------------------------------


def get_run(*, seed: int, now: dt.datetime | None = None) -> tuple[DemoRun, bool]:
    """The demo run of this database (created with this seed at first use)."""
    run = DemoRun.objects.order_by("id").first()
    if run is not None:
        return run, False
    # An hour back, so that what happens "at the anchor" (the last sweeps) is in the past too.
    now = now or timezone.now() - dt.timedelta(hours=1)
    anchor = now.replace(microsecond=0).astimezone(dt.UTC)  # event hashes cover times as UTC
    return DemoRun.objects.create(seed=seed, anchor=anchor), True


def build_cases(
    org: DemoOrg,
    *,
    count: int,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    batch: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the first ``count`` cases of the seeded sequence that do not exist yet, in
    batches of one transaction each (an interrupted run loses at most one batch and the next
    run continues). Returns how many cases were written."""
    run, _ = get_run(seed=seed, now=now)
    done = set(DemoCase.objects.filter(run=run, index__lt=count).values_list("index", flat=True))
    written = 0
    with clock.simulated() as sim, steps.own_event_handlers() as handlers:
        step_runner = steps.Steps(org, run.anchor, sim, handlers)
        builder = Builder(org, run, step_runner)
        todo = [i for i in range(count) if i not in done]
        todo.sort(key=lambda i: builder.registration_time(i)[0])
        for chunk in _chunks(todo, batch):
            with transaction.atomic():
                for index in chunk:
                    builder.build(index)
                    written += 1
            if progress:
                progress(len(done) + written, count)
        total = DemoCase.objects.filter(run=run).count()
        if total != run.swept_count:  # also after a run stopped before its last step
            with transaction.atomic():
                step_runner.final(run, random.Random(f"{run.seed}:final:{total}"))
                DemoRun.objects.filter(pk=run.pk).update(swept_count=total)
    return written


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

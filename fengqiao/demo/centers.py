"""The demo county's centers: the 五有/五规范 self-check of every center with evidence,
inspections, staff and seconded staff, rotation days, a duty roster around today, meetings
from agenda to tasks, 吹哨报到, departments' reports, an emergency plan and the month's
notices.

Every step writes through the centers' services and skips what is already there, so the
section can be interrupted and run again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from fengqiao.cases.choices import RiskLevel
from fengqiao.cases.models import Case
from fengqiao.centers import selectors, services
from fengqiao.centers.choices import DutyPost, InspectionResult, MeetingKind, NoticeKind
from fengqiao.centers.defaults import ensure_defaults
from fengqiao.centers.models import (
    AssessmentNotice,
    CenterCheck,
    CenterStaff,
    ChecklistItem,
    DutyShift,
    FactorReport,
    Inspection,
    Meeting,
    PlanActivation,
    PlanTemplate,
    RotationSlot,
    Summons,
)
from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import person
from fengqiao.org.choices import Residency, Role
from fengqiao.org.models import Unit, User

Log = Callable[[str], None]
SEED = 20261202
EVIDENCE = {
    "have_sign": "中心门口悬挂统一标识牌，附照片",
    "have_place": "办公场所面积达标，附平面图",
    "have_staff": "专职人员花名册",
    "have_mechanism": "首问负责、联席会议等制度汇编",
    "have_effect": "年度矛盾纠纷化解台账",
}
POSTS = ["受理窗口", "分流调度", "综合协调", "研判分析", "调解", "督办"]


def build(org: DemoOrg, *, log: Log) -> None:
    ensure_defaults()
    admin = org.users["admin"]
    centers = [org.county_center, *org.township_centers.values(), *org.village_centers.values()]
    log(f"  standardization checks: {sum(_checks(c, admin) for c in centers)} new")
    log(f"  inspections: {_inspections(org, admin)} new")
    log(f"  center staff: {sum(_staff(org, c, admin) for c in centers[:13])} new")
    log(f"  rotation days: {_rotation(org, admin)} new")
    log(f"  duty shifts: {_duty(org, admin)} new")
    log(f"  meetings: {_meetings(org)} new")
    log(f"  reports, plans, notices: {_later(org)} new")


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


@transaction.atomic
def _checks(center: Unit, admin: User) -> int:
    if CenterCheck.objects.filter(center=center).exists():
        return 0
    rng = _rng("check", center.pk)
    level = center.region.level
    share = {3: 0.95, 4: 0.75}.get(level, 0.55)
    made = 0
    for item in ChecklistItem.objects.filter(is_active=True):
        if not item.applies_to(level):
            continue
        met = rng.random() < share
        services.set_check(
            center=center,
            item=item,
            met=met,
            evidence=EVIDENCE.get(item.code, f"{item.name}建设情况说明") if met else "",
            actor=admin,
        )
        made += 1
    return made


@transaction.atomic
def _inspections(org: DemoOrg, admin: User) -> int:
    if Inspection.objects.filter(center__in=org.township_centers.values()).exists():
        return 0
    today = timezone.localdate()
    area = ChecklistItem.objects.get(code="area_mediation")
    made = 0
    for i, center in enumerate(list(org.township_centers.values())[:4]):
        day = today - dt.timedelta(days=40 - i * 7)
        rectify = i % 2 == 1
        findings = (
            [
                services.FindingIn(
                    "调解室未单独设置，与办公室混用", day + dt.timedelta(days=30), area
                )
            ]
            if rectify
            else []
        )
        services.record_inspection(
            center=center,
            inspected_on=day,
            inspector="县委政法委规范化建设检查组",
            result=InspectionResult.RECTIFY if rectify else InspectionResult.PASSED,
            note="对照“五有”“五规范”逐项检查",
            findings=findings,
            actor=admin,
        )
        made += 1
    return made


@transaction.atomic
def _staff(org: DemoOrg, center: Unit, admin: User) -> int:
    if CenterStaff.objects.filter(center=center).exists():
        return 0
    rng = _rng("staff", center.pk)
    level = center.region.level
    full = {3: 7, 4: rng.randint(2, 5)}.get(level, 1)
    start = dt.date(2025, 3, 1)
    for n in range(full):
        services.add_staff(
            center=center,
            name=person(rng, start).name,
            kind="full_time",
            post=POSTS[n % len(POSTS)],
            started_on=start,
            actor=admin,
        )
    homes = list(
        selectors.departments_of(center).filter(
            residency__in=[Residency.RESIDENT, Residency.ROTATING]
        )
    )
    for unit in homes[: 8 if level == 3 else 2]:
        services.add_staff(
            center=center,
            name=person(rng, start).name,
            kind="seconded",
            home_unit=unit,
            post="派驻",
            started_on=start,
            actor=admin,
        )
    return full + len(homes[: 8 if level == 3 else 2])


@transaction.atomic
def _rotation(org: DemoOrg, admin: User) -> int:
    made = 0
    for center in [org.county_center, *org.township_centers.values()]:
        rotating = selectors.departments_of(center).filter(residency=Residency.ROTATING)
        for i, unit in enumerate(rotating):
            if RotationSlot.objects.filter(unit=unit).exists():
                continue
            services.set_residency(
                center=center,
                unit=unit,
                residency=Residency.ROTATING,
                weekdays=[i % 5, (i + 2) % 5],
                actor=admin,
            )
            made += 1
    return made


def _duty_people(org: DemoOrg, center: Unit) -> dict[str, list[User]]:
    if center == org.county_center:
        u = org.users
        return {
            DutyPost.FIRST_DIRECTOR: [u["lingdao"]],
            DutyPost.SECOND_DIRECTOR: [u["zhuren"]],
            DutyPost.CHIEF_ON_DUTY: [u["lingdao2"], u["lingdao3"], u["duban"]],
            DutyPost.DUTY_DIRECTOR: [u["fenliu"], u["jiedai"], u["tiaojie"]],
        }
    s = org.staff
    return {
        DutyPost.FIRST_DIRECTOR: [s[(center.pk, Role.LEADER)]],
        DutyPost.SECOND_DIRECTOR: [s[(center.pk, Role.DIRECTOR)]],
        DutyPost.CHIEF_ON_DUTY: [s[(center.pk, Role.DIRECTOR)], s[(center.pk, Role.SUPERVISOR)]],
        DutyPost.DUTY_DIRECTOR: [s[(center.pk, Role.DISPATCHER)], s[(center.pk, Role.HANDLER)]],
    }


@transaction.atomic
def _duty(org: DemoOrg, admin: User) -> int:
    today = timezone.localdate()
    made = 0
    for center in [org.county_center, *org.township_centers.values()]:
        people = _duty_people(org, center)
        have = set(DutyShift.objects.filter(center=center).values_list("day", "post"))
        for offset in range(-14, 29):
            day = today + dt.timedelta(days=offset)
            for post, users in people.items():
                if (day, post) in have:
                    continue
                services.assign_shift(
                    center=center,
                    day=day,
                    post=post,
                    user=users[day.toordinal() % len(users)],
                    phone="0712-4321110",
                    actor=admin,
                )
                made += 1
    return made


@transaction.atomic
def _meetings(org: DemoOrg) -> int:
    center = org.county_center
    if Meeting.objects.filter(center=center).exists():
        return 0
    director = org.users["zhuren"]
    now = timezone.now()
    first = timezone.localdate().replace(day=1)
    last_start = (first - dt.timedelta(days=1)).replace(day=1)
    held = services.schedule_meeting(
        center=center,
        kind=MeetingKind.MONTHLY,
        title=f"{last_start:%Y年%m月}矛盾纠纷研判会",
        starts_at=now - dt.timedelta(days=2),
        place="县综治中心三楼会商室",
        period_start=last_start,
        period_end=first - dt.timedelta(days=1),
        actor=director,
    )
    parts = list(held.participants.select_related("unit"))
    services.record_attendance(
        meeting=held,
        attended={p.pk: f"{p.unit.name[2:6]}负责人" for p in parts[:-1]},
        actor=director,
    )
    agenda = list(held.agenda.select_related("case", "case__lead_unit")[:3])
    for a in agenda:
        owner = a.case.lead_unit or org.departments["justice"]
        services.add_task(
            meeting=held,
            text=f"牵头化解：{a.case.title[:40]}",
            owner=owner,
            workdays=5,
            agenda_item=a,
            actor=director,
        )
    services.hold_meeting(
        meeting=held,
        actor=director,
        minutes=f"研判{len(held.agenda.all())}件重点矛盾纠纷，明确牵头单位和化解时限。",
    )
    tasks = list(held.tasks.all())
    if tasks:
        type(tasks[0]).objects.filter(pk=tasks[0].pk).update(
            due_date=timezone.localdate() - dt.timedelta(days=1)
        )
    services.schedule_meeting(
        center=center,
        kind=MeetingKind.JOINT,
        title="第四季度综治工作联席会议",
        starts_at=now + dt.timedelta(days=3),
        place="县综治中心三楼会商室",
        period_start=first - dt.timedelta(days=90),
        period_end=timezone.localdate(),
        actor=director,
    )
    if not Summons.objects.filter(center=center).exists():
        red = Case.objects.filter(center=center, risk_level=RiskLevel.RED).first()
        s = services.summon(
            center=center,
            units=[
                org.departments["human_resources"],
                org.departments["housing"],
                org.departments["public_security"],
            ],
            site="城关镇建设工地",
            reason="务工人员聚集讨要工资",
            case=red,
            actor=director,
        )
        call = s.calls.get(unit=org.departments["public_security"])
        services.check_in(
            call=call, name="李明", actor=director, now=s.summoned_at + dt.timedelta(minutes=18)
        )
    services.sweep()
    return 2


@transaction.atomic
def _later(org: DemoOrg) -> int:
    center = org.county_center
    director = org.users["zhuren"]
    made = 0
    today = timezone.localdate()
    if not FactorReport.objects.filter(center=center).exists():
        reports = services.open_report_round(
            center=center, period=today, due_date=today + dt.timedelta(days=3), actor=director
        )
        for r in reports[:5]:
            user = org.staff.get((r.unit_id, Role.HANDLER))
            if user is not None:
                services.submit_report(
                    report=r, actor=user, content="本月排查发现：拖欠工资苗头1起，征地补偿信访1起。"
                )
        made += len(reports)
    red = Case.objects.filter(center=center, risk_level=RiskLevel.RED).order_by("-registered_at")
    if not PlanActivation.objects.exists() and red.exists():
        plan = services.open_plan(
            case=red.first(),
            template=PlanTemplate.objects.get(code="mass_petition"),
            roster={
                "总指挥": "孙立新",
                "副总指挥": "王志强",
                "现场处置组长": "李明",
                "舆情引导组长": "赵红梅",
            },
            actor=org.users["lingdao"],
        )
        services.finish_plan_task(task=plan.items.first(), actor=org.users["lingdao"])
        made += 1
    if not AssessmentNotice.objects.exists():
        period = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        late = list(
            Case.objects.filter(center=center, is_overdue=True).values_list("code", flat=True)[:3]
        )
        services.issue_notice(
            kind=NoticeKind.NOTICE,
            unit=org.departments["housing"],
            issued_by=center,
            period=period,
            cases=late,
            actor=director,
            text="上月超期办理案件较多，予以通报。",
        )
        services.issue_notice(
            kind=NoticeKind.INTERVIEW,
            unit=org.departments["housing"],
            issued_by=center,
            period=period,
            talked_with="分管副局长",
            actor=director,
            text="就超期案件整改进行约谈。",
        )
        made += 2
    return made

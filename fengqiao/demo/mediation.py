# ruff: noqa: E501 - lines of Chinese demo text read better unbroken
"""The demo's mediation: the directory of every center (mediators, chief legal experts, their
organizations, weekly hours, village pairings), rooms, and the mediation of the cases.

- cases whose mediation the case history already holds (先行调解 then 调解成功 or a dispatch)
  get their sessions entered as 补录 (``record_past_mediation``: held, with the agreement
  signed on paper for the settled ones); the case's status is not touched;
- cases still in 先行调解 are mediated now through the live services, at simulated moments
  after their last event and before the demo's anchor: 点单 and the center's decision, a
  session in a room, then an agreement signed on screen (the case is settled), another round,
  or a failure dispatched to a unit; a session after the anchor stays scheduled;
- a few police cases go to mediation (公调对接) and report back; some cases get a combined
  service package; some agreements go to the court for 司法确认.

Everything is written through :mod:`fengqiao.mediation.services`; every step checks what
exists first, so the section can be interrupted and run again.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Callable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, CaseEvent, Category
from fengqiao.core.errors import DomainError
from fengqiao.demo import clock, steps
from fengqiao.demo.models import DemoRun
from fengqiao.demo.organization import DemoOrg
from fengqiao.demo.people import person
from fengqiao.mediation import services
from fengqiao.mediation.choices import (
    OrganizationKind,
    Outcome,
    PairingRole,
    ProviderKind,
    Residency,
    TransferStatus,
)
from fengqiao.mediation.models import (
    Agreement,
    JudicialConfirmation,
    Mediator,
    Package,
    Room,
    Session,
    Transfer,
)
from fengqiao.mediation.selectors import path_ancestors
from fengqiao.mediation.services.packages import DEFAULT_DAYS, PRESET_BY_CODE
from fengqiao.org.choices import Role, UnitType
from fengqiao.org.models import Unit, User

Log = Callable[[str], None]
SEED = 20261213
TODAY = dt.date(2026, 1, 1)
DIALECTS = ["云梦话", "孝感话", "湖北话"]
COUNTY_ORGS = [
    ("云梦县人民调解委员会", OrganizationKind.PEOPLES_COMMITTEE),
    ("云梦县医疗纠纷人民调解委员会", OrganizationKind.PROFESSIONAL_COMMITTEE),
    ("云梦县道路交通事故纠纷人民调解委员会", OrganizationKind.PROFESSIONAL_COMMITTEE),
    ("云梦县劳动争议人民调解委员会", OrganizationKind.PROFESSIONAL_COMMITTEE),
    ("老周调解工作室", OrganizationKind.STUDIO),
    ("湖北楚梦律师事务所", OrganizationKind.LAW_FIRM),
]
# Which county committee takes which category (the others go to the people's committee).
COMMITTEE_OF = {"dispute.medical": 1, "dispute.traffic": 2, "dispute.labor": 3}
TITLES = [
    "专职人民调解员",
    "兼职人民调解员",
    "退休法官",
    "退休教师",
    "村（社区）干部",
    "乡贤调解员",
]
EXPERT_TITLES = ["执业律师", "高级律师", "法律顾问", "一级律师"]
TERMS = {
    "dispute.neighbor": "一、{r}于十日内自行清理堆放物，恢复通道通行；\n二、双方今后相互尊重，有事协商解决。",
    "dispute.family": "一、双方同意由{a}照顾老人起居，{r}每月支付赡养费600元；\n二、医疗费用双方各承担一半。",
    "dispute.labor": "一、{r}于本月底前一次性支付拖欠工资共计18600元；\n二、{a}收款后不再就此事主张权利。",
    "dispute.traffic": "一、{r}一次性赔偿{a}医疗费、误工费等共计23000元；\n二、本协议履行后双方再无其他纠纷。",
    "dispute.property": "一、物业公司于十五日内维修楼道照明和门禁；\n二、{a}补缴2025年度物业费。",
}
DEFAULT_TERMS = (
    "一、{r}向{a}赔偿损失3000元，于协议签订之日起十日内付清；\n二、双方就本纠纷再无其他争议。"
)


def signature_png(seed: int) -> bytes:
    """A small handwritten-looking stroke as a PNG (a signature pad's drawing)."""
    rng = random.Random(seed)
    w, h = 180, 60
    rows = [bytearray([255] * w) for _ in range(h)]
    y = h / 2
    for x in range(10, w - 10):
        y += rng.uniform(-2.2, 2.2)
        y = max(8, min(h - 8, y))
        for dy in (-1, 0, 1):
            rows[int(y) + dy][x] = 20
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- the directory -----------------------------------------------------------------------


def _specialties(rng: random.Random, leaves: list[Category], n: int) -> list[Category]:
    return rng.sample(leaves, k=min(n, len(leaves)))


def _entry(center: Unit, name: str, **kwargs) -> Mediator:
    found = Mediator.objects.filter(center=center, name=name).first()
    if found is not None:
        return found
    return services.save_mediator(
        data=services.MediatorIn(name=name, center=center, **kwargs), actor=None
    )


def _week(rng: random.Random, days: int) -> tuple:
    chosen = sorted(rng.sample(range(5), k=days))
    return tuple((d, dt.time(8, 30), dt.time(17, 30)) for d in chosen)


def build_directory(org: DemoOrg, log: Log) -> None:
    rng = random.Random(SEED)
    leaves = list(Category.objects.filter(kind="dispute", parent__isnull=False).order_by("code"))
    county = org.county_center
    orgs = [
        services.create_organization(center=county, name=n, kind=k, actor=None)
        for n, k in COUNTY_ORGS
    ]
    zhou = org.users.get("tiaojie")
    _entry(
        county,
        "周桂兰",
        user=zhou,
        organization=orgs[4],
        title="首席人民调解员",
        is_chief=True,
        bio="从事人民调解工作二十余年，擅长婚姻家庭、邻里纠纷，“老周调解工作室”负责人。",
        specialties=_specialties(rng, leaves, 3),
        languages=("普通话", "云梦话"),
        availability=_week(rng, 5),
        phone="13971230001",
    )
    for i in range(8):
        p = person(rng, TODAY)
        committee = orgs[i % 4]
        _entry(
            county,
            p.name,
            organization=committee,
            title=rng.choice(TITLES),
            specialties=_specialties(rng, leaves, rng.randint(1, 3)),
            languages=("普通话", rng.choice(DIALECTS)),
            residency=rng.choice([Residency.RESIDENT, Residency.ROTATING, Residency.ON_CALL]),
            schedule_note=rng.choice(["", "每周二、四坐班", "逢单周轮驻"]),
            availability=_week(rng, rng.randint(2, 5)),
            phone=p.phone,
        )
    experts = []
    for i in range(9):  # 泸水: nine chief legal experts
        p = person(rng, TODAY)
        experts.append(
            _entry(
                county,
                p.name,
                kind=ProviderKind.LEGAL_EXPERT,
                organization=orgs[5],
                title=rng.choice(EXPERT_TITLES),
                is_chief=True,
                specialties=_specialties(rng, leaves, 2),
                languages=("普通话",),
                residency=Residency.ROTATING,
                schedule_note=f"每月第{i % 4 + 1}周轮驻",
                availability=_week(rng, 1),
                phone=p.phone,
            )
        )
    for i, room_name in enumerate(["第一调解室", "第二调解室", "诉调对接调解室"]):
        services.create_room(
            center=county,
            name=room_name,
            capacity=8 + 4 * i,
            actor=None,
            equipment="同步录音录像、远程视频" if i else "同步录音录像",
        )
    for code, center in sorted(org.township_centers.items()):
        committee_unit = org.township_units.get(code, {}).get(UnitType.MEDIATION_COMMITTEE)
        committee = services.create_organization(
            center=center,
            name=f"{center.region.name}人民调解委员会",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            actor=None,
            unit=committee_unit,
        )
        staff = org.staff.get((center.pk, Role.MEDIATOR))
        if staff is not None:
            _entry(
                center,
                str(staff),
                user=staff,
                organization=committee,
                title="专职人民调解员",
                specialties=_specialties(rng, leaves, 3),
                languages=("普通话", "云梦话"),
                availability=_week(rng, 5),
            )
        for _i in range(2):
            p = person(rng, TODAY)
            _entry(
                center,
                p.name,
                organization=committee,
                title=rng.choice(TITLES),
                specialties=_specialties(rng, leaves, 2),
                languages=("云梦话",),
                residency=Residency.ON_CALL,
                availability=_week(rng, 2),
                phone=p.phone,
            )
        services.create_room(center=center, name="调解室", actor=None)
    for _code, center in sorted(org.village_centers.items()):
        staff = org.staff.get((center.pk, Role.MEDIATOR))
        if staff is not None:
            _entry(
                center,
                str(staff),
                user=staff,
                title="村（社区）人民调解员",
                specialties=_specialties(rng, leaves, 2),
                languages=("云梦话",),
                residency=Residency.RESIDENT,
                max_open_cases=5,
            )
    villages = sorted(org.village_centers)[:36]
    for i, code in enumerate(villages):
        role = PairingRole.DEPUTY_CHIEF if i % 2 == 0 else PairingRole.LEGAL_ADVISER
        services.pair_village(
            expert=experts[i % len(experts)],
            village=org.village_centers[code].region,
            role=role,
            since=dt.date(2025, 3, 1),
            actor=None,
        )
    log(
        f"  directory: {Mediator.objects.count()} mediators and experts, {Room.objects.count()} rooms"
    )


# --- mediating the cases -------------------------------------------------------------------


def _mediator_for(case: Case) -> Mediator | None:
    """The case's center's own mediator (a user), else the nearest center's entry."""
    path = case.center.region_path
    entries = list(
        Mediator.objects.filter(center=case.center, kind=ProviderKind.MEDIATOR).order_by(
            "-user_id", "id"
        )[:3]
    )
    if entries:
        return entries[0] if case.pk % 3 else entries[-1]
    ancestors = path_ancestors(path)
    return (
        Mediator.objects.filter(center_path__in=ancestors, kind=ProviderKind.MEDIATOR)
        .order_by("-center_path", "id")
        .first()
    )


def _terms(case: Case) -> services.AgreementIn:
    parties = list(case.parties.order_by("id"))
    a = parties[0].name if parties else "申请人"
    r = parties[1].name if len(parties) > 1 else "被申请人"
    code = case.category.code if case.category_id else ""
    text = TERMS.get(code, DEFAULT_TERMS).format(a=a, r=r)
    return services.AgreementIn(
        facts=case.description[:2000], terms=text, performance="自协议签订之日起十五日内履行完毕"
    )


def _after(events: list[CaseEvent], action_index: int) -> CaseEvent | None:
    for e in events[action_index + 1 :]:
        if e.action in (Action.SETTLE, Action.DISPATCH, Action.ESCALATE, Action.WITHDRAW):
            return e
    return None


def backfill(org: DemoOrg, log: Log) -> int:
    """Past mediations the case histories hold, entered as 补录."""
    mediated = (
        Case.objects.filter(
            Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action=Action.MEDIATE))
        )
        .exclude(status=Status.MEDIATING)
        .filter(~Exists(Session.objects.filter(case=OuterRef("pk"))))
    )
    done = 0
    for case in (
        mediated.select_related("center", "category").order_by("id").iterator(chunk_size=200)
    ):
        events = list(case.events.order_by("seq"))
        start = next(i for i, e in enumerate(events) if e.action == Action.MEDIATE)
        end = _after(events, start)
        mediator = _mediator_for(case)
        if end is None or mediator is None:
            continue
        began = events[start].created_at
        held = end.created_at
        starts = min(held, began + (held - began) / 3)
        if end.action == Action.SETTLE:
            outcome = Outcome.PARTIAL if case.pk % 11 == 0 else Outcome.SUCCESS
            agreement, scan = _terms(case), signature_png(case.pk)
        elif end.action == Action.WITHDRAW:
            continue
        else:
            outcome, agreement, scan = Outcome.FAILED, None, b""
        room = Room.objects.filter(center=case.center).order_by("id").first()
        services.record_past_mediation(
            case=case,
            mediator=mediator,
            starts_at=starts,
            held_at=held,
            outcome=outcome,
            actor=sweep_actor("demo_mediation"),
            agreement=agreement,
            scan=scan,
            room=room,
            failure_reason="" if agreement else (end.note or "双方分歧较大，未能达成协议。")[:500],
        )
        done += 1
        if done % 100 == 0:
            log(f"  past mediations entered: {done}")
    return done


def _staff(org: DemoOrg, center: Unit, role: str) -> User | None:
    """Who acts in ``role`` at this center or the nearest center above it."""
    unit: Unit | None = center
    while unit is not None:
        user = org.staff.get((unit.pk, role))
        if user is not None:
            return user
        unit = (
            Unit.objects.filter(
                pk__in=[
                    c.pk
                    for c in [*list(org.township_centers.values()), org.county_center]
                    if unit.region_path.startswith(c.region_path) and c.pk != unit.pk
                ]
            )
            .order_by("-region_path")
            .first()
        )
    return None


def _mediate_live(
    org: DemoOrg, case: Case, anchor: dt.datetime, sim: clock.Clock, rng: random.Random
) -> None:
    last = case.events.order_by("-seq").first().created_at
    mediator = _mediator_for(case)
    actor = _staff(org, case.center, Role.MEDIATOR)
    deciding = _staff(org, case.center, Role.DIRECTOR) or _staff(org, case.center, Role.DISPATCHER)
    if mediator is None or actor is None:
        return
    t = last + dt.timedelta(hours=1)
    if rng.random() < 0.5 and t < anchor:
        sim.set(t)
        request = services.request_mediator(case=case, mediator=mediator, by="citizen")
        if deciding is not None and t + dt.timedelta(hours=3) < anchor:
            sim.set(t + dt.timedelta(hours=3))
            services.decide_request(request=request, actor=deciding, confirm=True)
    day = timezone.localtime(last).date() + dt.timedelta(days=1)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    room = Room.objects.filter(center=case.center).order_by("id").first()
    sim.set(min(t + dt.timedelta(hours=4), anchor))
    session = services.schedule_session(
        case=case,
        mediator=mediator,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        mode="room" if room else "online",
        room=room,
        online_link="" if room else "https://meeting.yunmeng.gov.cn/m/" + case.code[-8:],
        actor=actor,
    )
    held = starts + dt.timedelta(hours=2)
    if held >= anchor:
        return  # still to come at the anchor
    sim.set(held)
    roll = rng.random()
    unit = next(iter(org.township_units.get(case.center.region_id, {}).values()), None)
    if roll < 0.65:
        services.record_outcome(
            session=session,
            outcome=Outcome.SUCCESS,
            actor=actor,
            notes="双方陈述事实，经调解员释法说理，自愿达成协议。",
            agreement=_terms(case),
        )
        agreement = Session.objects.get(pk=session.pk).agreement
        for role, party_id in services.missing_signers(agreement):
            sim.set(sim.now() + dt.timedelta(minutes=5))
            party = case.parties.filter(pk=party_id).first() if party_id else None
            services.sign_agreement(
                agreement=agreement,
                role=role,
                name=party.name if party else mediator.name,
                party=party,
                method="screen",
                image=signature_png(case.pk + (party_id or 0)),
                actor=actor,
            )
    elif roll < 0.85 or unit is None:
        services.record_outcome(
            session=session,
            outcome=Outcome.ADJOURNED,
            actor=actor,
            notes="双方分歧仍在赔偿数额，约定补充材料后再调。",
        )
    else:
        services.record_outcome(
            session=session,
            outcome=Outcome.FAILED,
            actor=actor,
            next_unit=unit,
            failure_reason="被申请人不认可责任划分，坚持诉讼解决。",
        )
        dispatcher = _staff(org, case.center, Role.DISPATCHER)
        if dispatcher is not None and held + dt.timedelta(hours=2) < anchor:
            sim.set(held + dt.timedelta(hours=2))
            services.dispatch_after(session=session, actor=dispatcher)


def live(
    org: DemoOrg, anchor: dt.datetime, sim: clock.Clock, flush: Callable[[Case], None], log: Log
) -> int:
    rng = random.Random(SEED + 1)
    cases = (
        Case.objects.filter(status=Status.MEDIATING)
        .filter(~Exists(Session.objects.filter(case=OuterRef("pk"))))
        .select_related("center", "category")
        .order_by("id")
    )
    done = 0
    for case in cases:
        try:
            _mediate_live(org, case, anchor, sim, rng)
        except DomainError as exc:  # a refusal is the demo's data, not its failure
            log(f"  {case.code}: {exc.message}")
        flush(case)
        done += 1
    return done


def transfers(org: DemoOrg, anchor: dt.datetime, sim: clock.Clock, log: Log) -> None:
    """公调对接: police cases in handling go to their center's mediation, and report back."""
    if Transfer.objects.exists():
        return
    cases = (
        Case.objects.filter(status=Status.HANDLING, lead_unit__unit_type=UnitType.PUBLIC_SECURITY)
        .select_related("lead_unit", "center")
        .order_by("id")[:8]
    )
    for i, case in enumerate(cases):
        handler = org.staff.get((case.lead_unit_id, Role.HANDLER))
        receiver = _staff(org, case.center, Role.MEDIATOR)
        mediator = _mediator_for(case)
        last = case.events.order_by("-seq").first().created_at
        t = last + min(dt.timedelta(hours=2), (anchor - last) / 3)
        if handler is None or receiver is None or t >= anchor:
            continue
        to_unit = next(
            (
                m.unit
                for m in receiver.memberships.filter(role=Role.MEDIATOR).select_related("unit")
                if case.scope_path.startswith(m.unit.region_path)
            ),
            None,
        )
        if to_unit is None:
            continue
        sim.set(t)
        transfer = services.send_transfer(
            case=case,
            kind="police",
            from_unit=case.lead_unit,
            to_unit=to_unit,
            reason="纠纷类警情，经现场处置后双方同意调解，移送人民调解。",
            actor=handler,
        )
        sim.set(t + (anchor - t) / 3)
        if i == 5:
            services.return_transfer(
                transfer=transfer, actor=receiver, reason="涉嫌违法犯罪，不属于人民调解范围。"
            )
            continue
        services.accept_transfer(transfer=transfer, actor=receiver)
        starts = t + dt.timedelta(days=1)
        if mediator is None or starts + dt.timedelta(hours=2) >= anchor:
            continue
        sim.set(t + dt.timedelta(hours=5))
        session = services.schedule_session(
            case=case,
            mediator=mediator,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            mode="online",
            online_link="https://meeting.yunmeng.gov.cn/m/" + case.code[-8:],
            actor=receiver,
        )
        sim.set(starts + dt.timedelta(hours=2))
        services.record_outcome(
            session=session,
            outcome=Outcome.SUCCESS if i % 3 else Outcome.FAILED,
            actor=receiver,
            agreement=_terms(case) if i % 3 else None,
            failure_reason="" if i % 3 else "一方拒绝调解。",
        )
    log(
        f"  transfers: {Transfer.objects.count()} ({Transfer.objects.filter(status=TransferStatus.CONCLUDED).count()} reported back)"
    )


def packages(org: DemoOrg, sim: clock.Clock, log: Log) -> None:
    if Package.objects.exists():
        return
    by_category = {
        "dispute.family": "family",
        "dispute.labor": "labor",
        "dispute.traffic": "traffic",
        "dispute.medical": "medical",
        "dispute.neighbor": "neighbor",
    }
    cases = (
        Case.objects.filter(
            status__in=[Status.MEDIATING, Status.HANDLING, Status.RESOLVED],
            category__code__in=list(by_category),
        )
        .select_related("category", "center")
        .order_by("-id")[:16]
    )
    for i, case in enumerate(cases):
        director = _staff(org, case.center, Role.DIRECTOR)
        if director is None:
            continue
        preset = PRESET_BY_CODE[by_category[case.category.code]]
        sim.set(None)
        today = timezone.localdate()
        chosen = []
        for kind in preset.services:
            unit = (services.units_for(case, kind) or [None])[0]
            if unit is not None:
                chosen.append(
                    services.ServiceIn(kind, unit, today + dt.timedelta(days=DEFAULT_DAYS[kind]))
                )
        if not chosen:
            continue
        package = services.choose_package(
            case=case, services=chosen, actor=director, preset=preset.code
        )
        for j, service in enumerate(package.services.order_by("id")):
            if (i + j) % 3 == 0:
                services.update_service(
                    service=service,
                    status="done",
                    actor=director,
                    outcome="已按期办结，当事人签收。",
                )
            elif (i + j) % 3 == 1:
                services.update_service(service=service, status="in_progress", actor=director)
    log(f"  packages: {Package.objects.count()}")


def judicial(org: DemoOrg, log: Log) -> None:
    court = org.departments.get(UnitType.COURT)
    if court is None or JudicialConfirmation.objects.exists():
        return
    agreements = Agreement.objects.filter(status="signed", case__center=org.county_center).order_by(
        "-id"
    )[:6]
    mediator = org.staff.get((org.county_center.pk, Role.MEDIATOR))
    judge = org.staff.get((court.pk, Role.HANDLER))
    for i, agreement in enumerate(agreements):
        confirmation = services.refer_to_court(agreement=agreement, court=court, actor=mediator)
        if judge is not None and i % 3 != 2:
            services.record_ruling(
                confirmation=confirmation,
                confirmed=i % 3 == 0,
                actor=judge,
                ruling_number=f"（2026）鄂0923民特{100 + i}号" if i % 3 == 0 else "",
                note="" if i % 3 == 0 else "协议内容涉及案外人权益，驳回申请。",
            )
    log(f"  judicial confirmations: {JudicialConfirmation.objects.count()}")


def build(org: DemoOrg, *, log: Log) -> None:
    build_directory(org, log)
    run = DemoRun.objects.order_by("id").first()
    anchor = run.anchor if run else timezone.now()
    # Later steps (deadline sweeps, supervision) may have written events after the anchor:
    # what happens next happens after them, up to now.
    limit = max(anchor, timezone.now())
    n = backfill(org, log)
    log(f"  past mediations entered: {n} (total sessions {Session.objects.count()})")
    with clock.simulated() as sim, steps.own_event_handlers() as handlers:
        runner = steps.Steps(org, anchor, sim, handlers)
        m = live(org, limit, sim, runner.flush, log)
        log(f"  cases in 先行调解 mediated now: {m}")
        transfers(org, limit, sim, log)
        sim.set(None)
        packages(org, sim, log)
        judicial(org, log)
    log(
        f"  sessions: {Session.objects.count()}, of them held {Session.objects.filter(status='held').count()}"
    )

"""Fill the database with realistic data over a real province's divisions (湖北省 by default).

    python -m bench.generate --cases 1000000          # PostgreSQL via DATABASE_URL, or SQLite

Cases are spread over three years in every status, with parties (encrypted), events (a valid
hash chain), lead/co assignments, supervision orders and visit tasks, in proportions like the
demo's. Uses COPY on PostgreSQL. Safe to interrupt: a re-run wipes the generated cases first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import os
import random
import sys
import time

PROVINCE = "420000"
STATUS_OLD = [  # cases older than 60 days
    ("archived", 0.80), ("closed", 0.03), ("rejected", 0.04), ("withdrawn", 0.04),
    ("resolved", 0.02), ("handling", 0.05), ("dispatched", 0.01), ("mediating", 0.01),
]  # fmt: skip
STATUS_RECENT = [
    ("archived", 0.30), ("closed", 0.12), ("resolved", 0.08), ("handling", 0.25),
    ("dispatched", 0.08), ("registered", 0.07), ("mediating", 0.04), ("rejected", 0.03),
    ("withdrawn", 0.03),
]  # fmt: skip
PATHS = {
    "registered": [],
    "mediating": ["mediate"],
    "dispatched": ["dispatch"],
    "handling": ["dispatch", "sign"],
    "resolved": ["dispatch", "sign", "resolve"],
    "closed": ["dispatch", "sign", "resolve", "close"],
    "archived": ["dispatch", "sign", "resolve", "close", "archive"],
    "rejected": ["reject"],
    "withdrawn": ["withdraw"],
}
NEXT = {
    "register": "registered", "mediate": "mediating", "dispatch": "dispatched",
    "sign": "handling", "resolve": "resolved", "close": "closed", "archive": "archived",
    "reject": "rejected", "withdraw": "withdrawn",
}  # fmt: skip
TITLES = [
    "{v}村民反映邻居占用通道", "{v}小区物业费纠纷", "{v}务工人员被拖欠工资", "{v}宅基地边界争议",
    "{v}道路积水影响出行", "{v}养殖场气味扰民", "{v}婚姻家庭矛盾求助", "{v}交通事故赔偿协商",
    "{v}征地补偿款发放问题", "{v}学校周边安全隐患", "{v}商户噪音扰民", "{v}医疗费用争议",
]  # fmt: skip
DETAILS = [
    "对方拒不退还押金，多次协商无果", "涉及金额约{n}万元，双方各执一词", "已持续{n}个月，影响正常生活",
    "村委会调解过一次但未达成协议", "请求有关部门尽快核实处理", "家中老人身体不好，情绪激动",
    "工地老板失联，{n}名工人工资未结", "夜间施工噪音超过十点仍未停止", "物业公司以欠费为由停水停电",
    "承包地流转合同到期后未续签", "事故责任认定后保险公司拖延赔付", "孩子上学接送路段缺少信号灯",
]  # fmt: skip
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀英", "桂英", "建华", "建国", "志强", "春梅", "海燕"]  # fmt: skip
DEPT_TYPES = ["public_security", "justice", "human_resources", "housing", "petition"]
# CaseEvent.payload() serialised with sort_keys and compact separators, for events with no
# actor, unit, note or data: the same bytes CaseEvent.compute_hash hashes, without building a
# model instance per event (a test checks both agree and that generated chains verify).
_EVENT_CANONICAL = (
    '{{"action":"{action}","actor":null,"actor_label":"{label}","at":"{at}","case":"{case}",'
    '"data":{{}},"from":"{frm}","note":"","prev":"{prev}","seq":{seq},"to":"{to}","unit":null}}'
)


def event_hash(*, code: str, seq: int, action: str, frm: str, to: str, at: dt.datetime,
               prev: str, label: str = "bench") -> str:  # fmt: skip
    """CaseEvent(...).compute_hash(code) for a system event with only these fields set."""
    canonical = _EVENT_CANONICAL.format(
        action=action, label=label, at=at.isoformat(), case=code, frm=frm, prev=prev, seq=seq,
        to=to,
    )  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def weighted(rng: random.Random, table):
    r = rng.random()
    acc = 0.0
    for value, weight in table:
        acc += weight
        if r < acc:
            return value
    return table[-1][0]


# The generator, the benchmark process and the gunicorn it starts must share these keys:
# party phones are encrypted and hashed with the field key, sessions signed with the secret.
BENCH_KEYS = {
    "FENGQIAO_FIELD_KEY": "q5Jw2fR0bYxkz2cQm8lq0k3yqzCw0xkqv8mQ5m3b6Yk=",
    "FENGQIAO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    os.environ.setdefault("FENGQIAO_DEBUG", "1")
    for name, value in BENCH_KEYS.items():
        if not os.environ.get(name):
            os.environ[name] = value
    import django

    django.setup()


def build_org():
    """Centers for the province, its cities, counties and townships; departments per county;
    one user per role that the benchmarks log in as."""
    from fengqiao.org.choices import Role, UnitKind, UnitType
    from fengqiao.org.models import Membership, Unit, User
    from fengqiao.org.naming import center_name_for
    from fengqiao.regions.models import Level, Region

    province = Region.objects.get(code=PROVINCE)
    regions = list(province.subtree().filter(level__lte=Level.TOWNSHIP))
    existing = {(u.region_id, u.name) for u in Unit.objects.filter(region__in=regions)}
    new = []
    for r in regions:
        name = center_name_for(r)
        if (r.code, name) not in existing:
            new.append(Unit(region=r, name=name, kind=UnitKind.CENTER, unit_type="center",
                            region_path=r.path))  # fmt: skip
    Unit.objects.bulk_create(new, batch_size=2000)
    centers = {u.region_id: u for u in Unit.objects.filter(region__in=regions, kind="center")}
    counties = [r for r in regions if r.level == Level.COUNTY]
    new = []
    for c in counties:
        for t in DEPT_TYPES:
            name = f"{c.name}{UnitType(t).label}"
            if (c.code, name) not in existing:
                new.append(Unit(region=c, name=name, kind=UnitKind.DEPARTMENT, unit_type=t,
                                center=centers[c.code], region_path=c.path))  # fmt: skip
    Unit.objects.bulk_create(new, batch_size=2000)
    departments: dict[str, list] = {}
    for u in Unit.objects.filter(region__in=counties, kind=UnitKind.DEPARTMENT):
        departments.setdefault(u.region_id, []).append(u)

    def user(username, unit, role):
        u, created = User.objects.get_or_create(
            username=username, defaults={"display_name": username}
        )
        if created:
            u.set_password("bench-Pass-2026")
            u.save()
        Membership.objects.get_or_create(user=u, unit=unit, role=role)
        return u

    yunmeng = Region.objects.get(code="420923")
    township = yunmeng.children.order_by("code").first()
    user("bench_province_leader", centers[PROVINCE], Role.LEADER)
    user("bench_dispatcher", centers[yunmeng.code], Role.DISPATCHER)
    user("bench_receptionist", centers[yunmeng.code], Role.RECEPTIONIST)
    user("bench_township", centers[township.code], Role.DISPATCHER)
    justice = next(u for u in departments[yunmeng.code] if u.unit_type == "justice")
    user("bench_handler", justice, Role.HANDLER)
    return province, regions, centers, departments


def generate(n_cases: int, seed: int = 2026, now: dt.datetime | None = None) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bulk import Writer, reset_sequences
    from fengqiao.cases.codes import make_code
    from fengqiao.cases.models import (
        Case,
        CaseAssignment,
        CaseEvent,
        Category,
        CodeSequence,
        Party,
    )  # fmt: skip
    from fengqiao.core import crypto
    from fengqiao.deadlines.models import CaseTimer
    from fengqiao.followup.models import VisitTask
    from fengqiao.regions.models import Level, Region
    from fengqiao.supervision.models import SupervisionOrder

    rng = random.Random(seed)
    now = now or timezone.now()
    started = time.monotonic()
    _province, regions, centers, departments = build_org()
    townships = [r for r in regions if r.level == Level.TOWNSHIP]
    by_code = {r.code: r for r in regions}
    villages = list(Region.objects.subtree(by_code["420923"]).filter(level=Level.VILLAGE))
    categories = list(Category.objects.filter(parent__isnull=False))
    if not categories:
        sys.exit("no categories: run migrate first")
    county_of = {t.code: by_code[t.parent_id] for t in townships}
    # Some counties are busier than others.
    township_cum = list(itertools.accumulate(rng.paretovariate(1.5) for _ in townships))

    with transaction.atomic():
        wipe()
    first_id = 1
    writers = {
        m: Writer(m) for m in (Case, Party, CaseEvent, CaseAssignment, SupervisionOrder, CaseTimer)
    }
    writers[VisitTask] = Writer(VisitTask)
    seqs: dict[tuple[str, dt.date], int] = {}
    phone_pool = [
        f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        for _ in range(max(1000, n_cases // 3))
    ]
    enc_cache: dict[str, tuple[str, str]] = {}
    span = dt.timedelta(days=365 * 3)
    event_id = 1
    assignment_id = 1
    order_id = 1
    task_id = 1
    timer_id = 1
    last_sweep = now - dt.timedelta(days=1)
    counts = {"cases": 0, "events": 0, "parties": 0, "orders": 0, "visit_tasks": 0, "timers": 0}

    def enc(phone):
        hit = enc_cache.get(phone)
        if hit is None:
            hit = enc_cache[phone] = (crypto.encrypt(phone), crypto.phone_hash(phone))
        return hit

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # for this transaction (superuser only; a plain user just loads more slowly).
            with connection.cursor() as cursor:
                try:
                    with transaction.atomic():
                        cursor.execute("SET LOCAL session_replication_role = replica")
                except Exception:  # not a superuser
                    pass
        for i in range(n_cases):
            case_id = first_id + i
            # Registration time: three years, growing a little, a weekly rhythm.
            age = span * (rng.random() ** 1.2)
            registered_at = now - age
            if registered_at.weekday() >= 5 and rng.random() < 0.6:
                registered_at -= dt.timedelta(days=2)
            township = rng.choices(townships, cum_weights=township_cum)[0]
            county = county_of[township.code]
            in_yunmeng = county.code == "420923" and villages
            region = rng.choice(villages) if in_yunmeng and rng.random() < 0.7 else township
            status = weighted(rng, STATUS_OLD if age.days > 60 else STATUS_RECENT)
            if i < len(PATHS):  # every status, however few the cases
                status = list(PATHS)[i]
            dept = rng.choice(departments.get(county.code) or [None])
            # Township centers settle what they can themselves; what goes to a county
            # department is in the county center's charge.
            dispatched = dept is not None and status not in (
                "registered",
                "mediating",
                "rejected",
                "withdrawn",
            )
            center = (
                centers[county.code] if dispatched or rng.random() < 0.5 else centers[township.code]
            )
            day = timezone.localdate(registered_at)
            key = (center.region.county_code, day)
            seqs[key] = seqs.get(key, 0) + 1
            code = make_code(key[0], day, seqs[key])
            category = rng.choice(categories)
            risk = weighted(rng, [("blue", 0.8), ("yellow", 0.15), ("red", 0.05)])
            t = registered_at
            events = [("register", "", "registered", t)]
            state = "registered"
            dispatched_at = resolved_at = closed_at = None
            for action in PATHS[status]:
                t = t + dt.timedelta(hours=rng.uniform(1, 24 * (6 if action == "resolve" else 2)))
                if t > now:
                    t = now - dt.timedelta(minutes=rng.randrange(1, 600))
                events.append((action, state, NEXT[action], t))
                state = NEXT[action]
                if action == "dispatch":
                    dispatched_at = t
                elif action == "resolve":
                    resolved_at = t
                elif action == "close":
                    closed_at = t
            deadline = dispatched_at + dt.timedelta(days=15) if dispatched_at else None
            # As the periodic sweep left it when it last ran, a day ago.
            overdue = bool(
                deadline and status in ("handling", "dispatched") and deadline <= last_sweep
            )
            title = rng.choice(TITLES).format(v=region.name)
            detail = rng.choice(DETAILS).format(n=rng.randrange(2, 30))
            Case_row = {
                "id": case_id, "code": code, "channel": rng.choice(["window", "phone", "web", "qr", "grid"]),
                "title": title, "description": f"{title}。{detail}。群众来访反映情况，请求协调处理。",
                "category_id": category.pk, "kind": category.kind, "region_id": region.code,
                "region_path": region.path, "address": f"{region.name}{rng.randrange(1, 300)}号",
                "people_count": 1 if rng.random() < 0.9 else rng.randrange(5, 60),
                "risk_level": risk, "risk_score": {"blue": 10, "yellow": 40, "red": 80}[risk],
                "risk_factors": [], "tier_level": dept.region.level if dept and dispatched_at else None,
                "center_id": center.pk, "scope_path": center.region_path, "first_unit_id": center.pk,
                "lead_unit_id": dept.pk if dept and dispatched_at else None, "status": status,
                "version": len(events), "deadline": deadline,
                "sign_deadline": dispatched_at + dt.timedelta(days=1) if dispatched_at else None,
                "is_overdue": overdue, "result": "已办结" if resolved_at else "",
                "public_result": "已办结" if resolved_at else "",
                "settled_level": 3 if resolved_at else None,
                "satisfaction": "satisfied" if status == "archived" else "",
                "registered_at": registered_at, "updated_at": t, "dispatched_at": dispatched_at,
                "resolved_at": resolved_at, "closed_at": closed_at,
            }  # fmt: skip
            writers[Case].add(Case_row)
            phone = rng.choice(phone_pool)
            enc_phone, hash_phone = enc(phone)
            writers[Party].add({
                "case_id": case_id, "role": "applicant", "kind": "person",
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone_encrypted": enc_phone, "phone_hash": hash_phone, "phone_last4": phone[-4:],
            })  # fmt: skip
            counts["parties"] += 1
            prev = ""
            for seq, (action, frm, to, at) in enumerate(events, start=1):
                digest = event_hash(code=code, seq=seq, action=action, frm=frm, to=to, at=at,
                                    prev=prev)  # fmt: skip
                writers[CaseEvent].add({
                    "id": event_id, "case_id": case_id, "seq": seq, "action": action,
                    "from_status": frm, "to_status": to, "actor_label": "bench", "unit_label": "",
                    "note": "", "data": {}, "created_at": at, "prev_hash": prev,
                    "hash": digest, "actor_id": None, "unit_id": None,
                })  # fmt: skip
                prev = digest
                event_id += 1
            counts["events"] += len(events)
            if dept and dispatched_at:
                a_status = {"dispatched": "pending"}.get(status, "signed")
                writers[CaseAssignment].add({
                    "id": assignment_id, "case_id": case_id, "unit_id": dept.pk, "role": "lead",
                    "status": a_status, "case_status": status, "assigned_at": dispatched_at,
                    "signed_at": dispatched_at + dt.timedelta(hours=3) if a_status == "signed" else None,
                })  # fmt: skip
                assignment_id += 1
                if overdue or (status == "handling" and rng.random() < 0.1):
                    grade = weighted(rng, [("general", 0.7), ("key", 0.25), ("listed", 0.05)])
                    writers[SupervisionOrder].add({
                        "id": order_id, "case_id": case_id, "grade": grade,
                        "requirement": "请加快办理并及时反馈", "unit_id": dept.pk,
                        "reply_deadline": now + dt.timedelta(days=3), "status": "open",
                        "is_automatic": True, "reason": "overdue", "issued_at": deadline or now,
                        "auto_key": f"bench-{order_id}",
                    })  # fmt: skip
                    order_id += 1
                    counts["orders"] += 1
            if dispatched_at and status in ("dispatched", "handling"):
                timers = [("resolve", deadline)]
                if status == "dispatched":
                    timers.append(("sign", dispatched_at + dt.timedelta(days=1)))
                for kind, limit in timers:
                    writers[CaseTimer].add(timer_row(timer_id, case_id, kind, dispatched_at,
                                                     limit, last_sweep))  # fmt: skip
                    timer_id += 1
                    counts["timers"] += 1
            if status in ("closed", "archived"):
                writers[VisitTask].add({
                    "id": task_id, "case_id": case_id, "center_id": center.pk,
                    "status": "pending" if status == "closed" else "done",
                    "due_at": closed_at + dt.timedelta(days=7), "created_at": closed_at,
                    "finished_at": None if status == "closed" else closed_at + dt.timedelta(days=2),
                })  # fmt: skip
                task_id += 1
                counts["visit_tasks"] += 1
            counts["cases"] += 1
            if (i + 1) % 50000 == 0:
                print(f"  {i + 1:,} cases generated ({time.monotonic() - started:.0f}s)",
                      file=sys.stderr, flush=True)  # fmt: skip
        for w in writers.values():
            w.flush()
        seq_writer = Writer(CodeSequence)
        for (county_code, day), value in seqs.items():
            seq_writer.add({"county_code": county_code, "day": day, "last_value": value})
        seq_writer.flush()
        reset_sequences([*writers, CodeSequence])
        # The generated history counts as handled: queued delivery starts after it.
        from fengqiao.cases.hooks import mark_all_handled

        counts["event_cursors"] = mark_all_handled()
    counts["load_seconds"] = round(time.monotonic() - started, 1)
    from fengqiao.analytics.models import RollupCount
    from fengqiao.analytics.rollups import rebuild

    t0 = time.monotonic()
    counts["rollup_rows"] = rebuild()
    counts["rollup_seconds"] = round(time.monotonic() - t0, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Vacuumed, the rollups' pages are all-visible: dashboards read the index alone.
            # (VACUUM cannot run inside a transaction, as in a test.)
            if not connection.in_atomic_block:
                cursor.execute(f'VACUUM "{RollupCount._meta.db_table}"')
            cursor.execute("ANALYZE")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def timer_row(timer_id: int, case_id: int, kind: str, started_at: dt.datetime,
              deadline: dt.datetime, last_sweep: dt.datetime) -> dict:  # fmt: skip
    """A running clock (natural days) with the milestones the sweep of ``last_sweep`` reached."""
    total = deadline - started_at
    points = [(1, started_at + total * 0.75), (2, deadline)]
    if kind == "resolve":
        points += [(3, deadline + total * 0.5), (4, deadline + total)]
    stage = max([s for s, at in points if at <= last_sweep], default=0)
    upcoming = [at for s, at in points if s > stage]
    return {
        "id": timer_id, "case_id": case_id, "kind": kind, "period": 1, "counting": "natural",
        "limit_days": total.days or 1, "warn_share": "0.75", "started_at": started_at,
        "deadline": deadline, "warn_at": points[0][1], "severe_at": deadline + total * 0.5,
        "critical_at": deadline + total, "stage": stage,
        "next_check_at": upcoming[0] if upcoming else None, "is_running": True,
        "warned_at": last_sweep if stage >= 1 else None,
        "overdue_at": last_sweep if stage >= 2 else None,
    }  # fmt: skip


def wipe() -> None:
    """Remove generated cases (and everything hanging off them) so a re-run starts clean."""
    from django.db import connection

    from fengqiao.analytics.models import CaseRollupState, RollupCount
    from fengqiao.cases.models import Case, CodeSequence, EventCursor

    tables = [
        CaseRollupState._meta.db_table,
        RollupCount._meta.db_table,
        EventCursor._meta.db_table,  # hidden from Case's related objects (related_name "+")
    ]
    for rel in Case._meta.related_objects:
        tables.append(rel.related_model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(
                f'"{t}"' for t in {*tables, Case._meta.db_table, CodeSequence._meta.db_table}
            )
            cursor.execute(f"TRUNCATE {names} CASCADE")
        else:
            for t in {*tables}:
                cursor.execute(f'DELETE FROM "{t}"')
            cursor.execute(f'DELETE FROM "{Case._meta.db_table}"')
            cursor.execute(f'DELETE FROM "{CodeSequence._meta.db_table}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pathlib import Path

    villages = Path(__file__).resolve().parent.parent / "fengqiao/regions/data/villages_420923.csv"
    call_command("load_regions", verbosity=0, villages=str(villages))
    import json

    print(json.dumps({"generate": generate(args.cases, seed=args.seed)}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Run the benchmark suite: ``python -m bench [--cases N]`` (``make bench``).

Each benchmark prints one JSON line with its figures and the baseline measured in the same
run on the same data, and the ratio between them. The server is run the way the README's
production instructions say: gunicorn, 2 sync workers, persistent database connections.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VILLAGES = ROOT / "fengqiao" / "regions" / "data" / "villages_420923.csv"
PY = sys.executable
PARTS = ("registration", "lists", "dashboards", "sweep", "classify")


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FENGQIAO_DEBUG="0",
        FENGQIAO_BENCH="1",
        FENGQIAO_SECRET_KEY=env.get("FENGQIAO_SECRET_KEY", "bench-secret-key-" + "x" * 40),
        FENGQIAO_FIELD_KEY=env.get("FENGQIAO_FIELD_KEY", ""),
        FENGQIAO_ALLOWED_HOSTS="127.0.0.1,localhost",
        FENGQIAO_CONN_MAX_AGE=env.get("FENGQIAO_CONN_MAX_AGE", "600"),
        FENGQIAO_SECURE_COOKIES="0",
        FENGQIAO_LOG_LEVEL="ERROR",
    )
    return env


def start_server(port: int, workers: int = 2) -> subprocess.Popen:
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=server_env(), check=True)  # fmt: skip
    proc = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "fengqiao.wsgi",
            "-w",
            str(workers),
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env(),
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def load(port: int, *, paths: list[str], n: int, c: int = 1, method: str = "GET",
         body: str | list[str] | None = None, headers: dict[str, str] | None = None) -> dict:  # fmt: skip
    cmd = [PY, "-m", "bench.load", "--port", str(port), "--method", method, "-n", str(n),
           "-c", str(c)]  # fmt: skip
    for p in paths:
        cmd += ["--path", p]
    for k, v in (headers or {}).items():
        cmd += ["--header", f"{k}: {v}"]
    if isinstance(body, list):
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                         encoding="utf-8") as f:  # fmt: skip
            json.dump(body, f, ensure_ascii=False)
        cmd += ["--body-file", f.name]
    elif body is not None:
        cmd += ["--body", body]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def worker_pids(master: subprocess.Popen) -> list[str]:
    """The gunicorn master's worker processes."""
    out = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout
    return out.split()


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in worker_pids(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def stats_ms(times_s: list[float]) -> dict:
    """median, min, max (ms) and the number of runs of a list of durations in seconds."""
    ms = sorted(t * 1000 for t in times_s)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
        "runs": len(ms),
    }


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def session_cookie(username: str) -> str:
    """A logged-in session for the HTML/JSON pages (the server shares the secret key)."""
    from django.conf import settings
    from django.test import Client

    from fengqiao.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def main(argv: list[str] | None = None) -> None:
    if not os.environ.get("DATABASE_URL"):
        # Never the demo's database: SQLite runs get their own file.
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    postgres = os.environ["DATABASE_URL"].startswith("postgres")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--cases",
        type=int,
        default=1_000_000 if postgres else 20_000,
        help="cases to generate (default 1,000,000 on PostgreSQL, 20,000 on SQLite)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=500 if postgres else 100,
        help="registrations per run (500 on PostgreSQL, 100 on SQLite)",
    )
    parser.add_argument("--samples", type=int, default=200, help="requests per latency test")
    parser.add_argument("--no-generate", action="store_true")
    parser.add_argument("--runs", type=int, default=20, help="runs of each in-process figure")
    parser.add_argument("--no-sweep", action="store_true", help="skip the deadline sweep")
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only these parts (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    want = set(args.only or PARTS)
    if args.no_sweep:
        want.discard("sweep")

    from bench.generate import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from fengqiao.cases.models import Case

    call_command("migrate", verbosity=0)
    have = Case.objects.count() if not args.no_generate else -1
    if not args.no_generate and have < args.cases * 0.99:
        from bench.generate import generate

        call_command("load_regions", verbosity=0, villages=str(VILLAGES))
        emit("generate", database=connection.vendor, **generate(args.cases))
    total = Case.objects.count()
    emit("dataset", database=connection.vendor, cases=total,
         db=str(settings.DATABASES["default"]["NAME"]))  # fmt: skip

    from fengqiao.api.services import create_token
    from fengqiao.cases.models import Category
    from fengqiao.org.models import Unit, User
    from fengqiao.regions.models import Region

    def token(username: str) -> str:
        from fengqiao.api.models import ApiToken
        from fengqiao.api.services import revoke_token

        user = User.objects.get(username=username)
        for old in ApiToken.objects.filter(user=user, name="bench", revoked_at__isnull=True):
            revoke_token(user=user, token_id=old.pk)
        return create_token(user=user, name="bench").secret

    auth = {u: {"Authorization": f"Bearer {token(u)}"} for u in (
        "bench_receptionist", "bench_dispatcher", "bench_township", "bench_handler",
        "bench_province_leader")}  # fmt: skip
    yunmeng = Region.objects.get(code="420923")
    center = Unit.objects.get(region=yunmeng, kind="center")
    if not yunmeng.subtree().filter(level=5).exists():
        call_command("load_regions", verbosity=0, villages=str(VILLAGES), no_upper=True)
    # Every village of the county, so that the benchmark's own registrations spread over its
    # townships (the first fifty villages all lie in one township, whose list they swelled).
    villages = list(yunmeng.subtree().filter(level=5).values_list("code", flat=True))
    category = Category.objects.get(code="dispute.labor")
    township = Region.objects.get(code="420923100")
    handler_unit = User.objects.get(username="bench_handler").memberships.get().unit
    sample_codes = list(
        Case.objects.filter(scope_path__startswith=yunmeng.path).values_list("code", flat=True)[
            :500
        ]
    )

    port = free_port()
    # Stop gunicorn too when this run is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = start_server(port)
    try:
        rss_start = worker_rss_mb(server)
        # 1. Registration through the HTTP API vs. a bare case+event insert.
        # Distinct complaints, as a center receives them (identical texts would all be
        # linked to each other as related cases, which is not the common case).
        from bench.generate import DETAILS, GIVEN, SURNAMES, TITLES

        rng = random.Random(6)
        body = [
            json.dumps({
                "center": center.pk, "channel": "api",
                "title": rng.choice(TITLES).format(v=rng.choice(["城关镇", "义堂镇", "曾店镇"])),
                "description": rng.choice(DETAILS).format(n=rng.randrange(2, 30))
                + f"，请求帮助协调处理（{rng.randrange(10**6)}）。",
                "region": rng.choice(villages), "category": category.code,
                "parties": [{"name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                             "phone": "1{salt}{i8}"}],
            }, ensure_ascii=False)
            for _ in range(200)
        ]  # fmt: skip
        # SQLite has one writer at a time: more connections only wait on its lock.
        c = 4 if connection.vendor == "postgresql" else 1
        if "registration" in want:
            bench_registration(port, args.requests, c, body, auth["bench_receptionist"],
                               worker_pids(server))  # fmt: skip

        if "lists" in want:  # lists, dashboards over HTTP, and the workers' memory after
            # 2. Lookups and lists: p50/p95 through HTTP.
            ping = load(port, paths=["/bench/ping"], n=args.samples)
            tests = {
                "case_by_code": (["/api/v1/cases/" + code for code in sample_codes[:100]],
                                 "bench_dispatcher"),
                "handler_worklist": ([f"/api/v1/cases?unit={handler_unit.pk}&status=dispatched&status=handling"],
                                     "bench_handler"),
                "township_list": ([f"/api/v1/cases?region={township.code}&status=handling"],
                                  "bench_township"),
                "county_list_filtered": ([f"/api/v1/cases?region={yunmeng.code}&status=handling&risk_level=red",
                                          "/api/v1/cases?category=dispute&registered_from=2026-01-01"],
                                         "bench_dispatcher"),
                "province_list": (["/api/v1/cases?status=handling&overdue=true"],
                                  "bench_province_leader"),
                "text_search": (["/api/v1/cases?q=%E5%B7%A5%E8%B5%84", "/api/v1/cases?q=13907120001"],
                                "bench_dispatcher"),
            }  # fmt: skip
            for name, (paths, user) in tests.items():
                load(port, paths=paths, n=10, headers=auth[user])  # warm-up
                r = load(port, paths=paths, n=args.samples, headers=auth[user])
                emit(name, p50_ms=r["p50_ms"], p95_ms=r["p95_ms"], min_ms=r["min_ms"],
                     max_ms=r["max_ms"], n=args.samples, errors=r["errors"],
                     first_errors=r["first_errors"], baseline_ping_p50_ms=ping["p50_ms"],
                     ratio_to_ping=round(r["p50_ms"] / ping["p50_ms"], 1) if ping["p50_ms"] else None)  # fmt: skip

            # 3a. Dashboards through HTTP (all months; the JSON the dashboard page loads).
            cookie = {"Cookie": session_cookie("bench_province_leader")}
            for name, code in (("county", "420923"), ("province", "420000")):
                paths = [f"/analytics/data.json?region={code}&months=120"]
                load(port, paths=paths, n=5, headers=cookie)  # warm-up
                r = load(port, paths=paths, n=args.samples, headers=cookie)
                emit(f"dashboard_{name}_http", median_ms=r["median_ms"], p95_ms=r["p95_ms"],
                     min_ms=r["min_ms"], max_ms=r["max_ms"], n=args.samples, errors=r["errors"],
                     first_errors=r["first_errors"], baseline_ping_p50_ms=ping["p50_ms"],
                     target_ms=100)  # fmt: skip

            # 6. Memory of one web worker after the run.
            rss_end = worker_rss_mb(server)
            emit("worker_rss", median_mb=statistics.median(rss_end), min_mb=min(rss_end),
                 max_mb=max(rss_end), n=len(rss_end), workers_mb=rss_end,
                 baseline_at_start_mb=rss_start,
                 ratio=round(max(rss_end) / max(rss_start), 2) if rss_start else None,
                 limit_mb=250)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)

    if "dashboards" in want:
        bench_dashboards(args.runs)
    if "sweep" in want:
        bench_sweep()
    if "classify" in want:
        bench_classify(args.runs)


def cpu_seconds(pids: list[str]) -> float | None:
    """User + system CPU seconds these processes have used so far (Linux /proc); None
    where /proc cannot tell."""
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[str]:
    """The local PostgreSQL server's processes (the benchmark's database runs here)."""
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout
    return out.split()


def load_with_cpu(port: int, workers: list[str], **kwargs) -> dict:
    """`load`, and where each request's CPU went: the web workers, PostgreSQL (all its
    processes on this machine) and the load generator, in ms per request."""
    import resource

    before = (cpu_seconds(workers), cpu_seconds(postgres_pids()),
              resource.getrusage(resource.RUSAGE_CHILDREN))  # fmt: skip
    result = load(port, **kwargs)
    after = (cpu_seconds(workers), cpu_seconds(postgres_pids()),
             resource.getrusage(resource.RUSAGE_CHILDREN))  # fmt: skip
    n = max(1, result["requests"])

    def per_request(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else round((b - a) / n * 1000, 2)

    children = [r.ru_utime + r.ru_stime for r in (before[2], after[2])]
    result["cpu_ms_per_request"] = {
        "web_workers": per_request(before[0], after[0]),
        "postgres": per_request(before[1], after[1]),
        "load_generator": per_request(*children),
    }
    return result


REGISTRATION_ROUNDS = 5


def _rates(runs: list[dict]) -> dict:
    rates = sorted(r["rate_per_s"] for r in runs)
    return {"median": statistics.median(rates), "min": rates[0], "max": rates[-1]}


def _mean_cpu(runs: list[dict]) -> dict:
    out = {}
    for key in runs[0]["cpu_ms_per_request"]:
        values = [r["cpu_ms_per_request"][key] for r in runs]
        out[key] = None if None in values else round(statistics.fmean(values), 2)
    return out


def bench_registration(port: int, requests: int, c: int, body: list[str], auth: dict,
                       workers: list[str]) -> None:  # fmt: skip
    """1. Registration through the HTTP API vs. a bare case+event insert, in alternating
    rounds (a round of the bare insert lasts about a second: one round alone swings with
    the machine), with the CPU each request cost the web workers, PostgreSQL and the load
    generator; then the work the registrations queued (case-event handlers, related-case
    linking), run by one task worker in this process, so that the whole cost of a
    registration is on record."""
    drain_queue()  # earlier runs' leftovers
    bare_runs: list[dict] = []
    real_runs: list[dict] = []

    def bare() -> None:
        bare_runs.append(load_with_cpu(port, workers, paths=["/bench/bare-register"],
                                       n=requests, c=c, method="POST", body="{}"))  # fmt: skip

    # Each registration's applicant phone is new to the round ("1" + two digits drawn for the
    # round + the request's number): a center's applicants are mostly new, and the same few
    # hundred phones registered run after run would give the history probe an ever longer
    # past to read (as it did up to stop 9).
    salts = random.Random().sample(range(30, 100), REGISTRATION_ROUNDS)

    def real() -> None:
        salt = str(salts[len(real_runs)])
        bodies = [b.replace("{salt}", salt) for b in body]
        real_runs.append(load_with_cpu(port, workers, paths=["/api/v1/cases"], n=requests,
                                       c=c, method="POST", body=bodies, headers=auth))  # fmt: skip

    for i in range(REGISTRATION_ROUNDS):
        for step in (bare, real) if i % 2 == 0 else (real, bare):
            step()
    got, base = _rates(real_runs), _rates(bare_runs)
    emit("registration_http", cases_per_s=got["median"], min_per_s=got["min"],
         max_per_s=got["max"], runs=len(real_runs),
         p50_ms=statistics.median(r["p50_ms"] for r in real_runs),
         p95_ms=statistics.median(r["p95_ms"] for r in real_runs),
         errors=sum(r["errors"] for r in real_runs),
         first_errors=[e for r in real_runs for e in r["first_errors"]][:3],
         baseline_bare_insert_per_s=base["median"], baseline_min_per_s=base["min"],
         baseline_max_per_s=base["max"],
         ratio=round(got["median"] / base["median"], 3) if base["median"] else None,
         cpu_ms_per_request=_mean_cpu(real_runs),
         baseline_cpu_ms_per_request=_mean_cpu(bare_runs),
         requests=requests, concurrency=c)  # fmt: skip
    work = drain_queue()
    registered = requests * len(real_runs)
    emit("registration_queued_work", **work,
         cases_per_s_one_worker=round(registered / work["seconds"], 1) if work["seconds"] else None,
         note="handlers and related-case linking of the registrations above, one worker")  # fmt: skip


def drain_queue() -> dict:
    """Run the queued tasks with one worker (`db_worker --batch`) until none is left: how
    many there were, how long it took, how many failed."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(status="READY").count()
    failed_before = DBTaskResult.objects.filter(status="FAILED").count()
    t0 = time.perf_counter()
    subprocess.run([PY, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                   cwd=ROOT, env=server_env(), check=True, capture_output=True)  # fmt: skip
    seconds = time.perf_counter() - t0
    failed = DBTaskResult.objects.filter(status="FAILED").count() - failed_before
    return {"tasks": queued, "seconds": round(seconds, 2), "failed": failed}


def bench_dashboards(runs: int) -> None:
    """3b. Dashboard figures in process, against the same figures by GROUP BY over cases."""
    from fengqiao.analytics import rollups
    from fengqiao.analytics.selectors import dashboard
    from fengqiao.regions.models import Region

    for name, code in (("county", "420923"), ("province", "420000")):
        region = Region.objects.get(code=code)
        dashboard(region, months=None)  # warm-up
        fast, dash = timed(lambda r=region: dashboard(r, months=None), runs)
        base, figures = timed(lambda r=region: rollups.group_by_baseline(r.path),
                              max(3, runs // 5))  # fmt: skip
        baseline_total = sum(figures["status"].values())
        fast_s, base_s = stats_ms(fast), stats_ms(base)
        emit(f"dashboard_{name}", **fast_s, cases=dash.total,
             baseline_group_by=base_s,
             ratio=round(base_s["median_ms"] / fast_s["median_ms"], 1),
             baseline_cases=baseline_total, target_ms=100, target_ratio=20)  # fmt: skip


def bench_sweep() -> None:
    """4. The deadline and supervision sweep over all open cases, run twice in a row: the
    second run should find (almost) nothing. Baseline: reading every open case's deadline
    once, the least a sweep that looks at all open cases would do."""
    from django.utils import timezone

    from fengqiao.cases.choices import OPEN_STATUSES
    from fengqiao.cases.models import Case

    drain_queue()  # earlier parts' leftovers
    try:
        from fengqiao.deadlines.services import sweep_deadlines
        from fengqiao.supervision.rules import sweep_supervision
    except ImportError as exc:  # pragma: no cover
        emit("deadline_sweep", skipped=str(exc))
        return

    def sweep() -> dict:
        touched = {"timers": 0, "milestones": 0, "supervision": 0}
        while True:
            now = timezone.now()
            d = sweep_deadlines(now=now)
            s = sweep_supervision(now=now)
            touched["timers"] += d.checked
            touched["milestones"] += sum(d.reached.values())
            touched["supervision"] += sum(s.issued.values()) + s.escalated
            if d.checked < 5000:
                return touched

    def naive() -> int:
        n = 0
        for _id, _deadline in (
            Case.objects.filter(status__in=OPEN_STATUSES)
            .values_list("id", "deadline")
            .iterator(chunk_size=10000)
        ):
            n += 1
        return n

    base, open_cases = timed(naive, 3)
    first, touched = timed(sweep, 1)
    # What the sweep's events queued (raising supervision, notices, rollups) is done by the
    # task worker: measured separately, then the second sweep.
    work = drain_queue()
    second, touched_again = timed(sweep, 1)
    base_s = stats_ms(base)
    emit("deadline_sweep", first_s=round(first[0], 3), first_touched=touched,
         queued_work_after_first=work,
         second_s=round(second[0], 3), second_touched=touched_again, open_cases=open_cases,
         median_ms=round(second[0] * 1000, 3), min_ms=round(second[0] * 1000, 3),
         max_ms=round(first[0] * 1000, 3), runs=2,
         baseline_read_all_open=base_s,
         ratio_second_to_baseline=round(second[0] * 1000 / base_s["median_ms"], 3),
         ms_per_touched_timer=round(first[0] * 1000 / touched["timers"], 2)
         if touched["timers"] else None)  # fmt: skip


def bench_classify(runs: int) -> None:
    """5. Classification and risk grading of one case, in process (target < 5 ms)."""
    from fengqiao.cases.models import Case

    try:
        from fengqiao.routing.classification import classify
        from fengqiao.routing.risk import grade_risk
    except ImportError as exc:  # pragma: no cover
        emit("classify_and_grade", skipped=str(exc))
        return
    cases = list(Case.objects.order_by("-id")[:200])
    classify(cases[0].title, cases[0].description)  # warm the compiled rules and model
    grade_risk(cases[0])
    both, cls, grade = [], [], []
    for case in cases:
        t0 = time.perf_counter()
        classify(case.title, case.description)
        t1 = time.perf_counter()
        grade_risk(case)
        t2 = time.perf_counter()
        cls.append(t1 - t0)
        grade.append(t2 - t1)
        both.append(t2 - t0)
    s = stats_ms(both)
    emit("classify_and_grade", **s, classify=stats_ms(cls), grade_risk=stats_ms(grade),
         baseline_target_ms=5, ratio=round(s["median_ms"] / 5, 3))  # fmt: skip


if __name__ == "__main__":
    main()

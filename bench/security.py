"""Security controls under load: ``python -m bench.security [--entries N] [--samples M]``.

Runs on its own database (``DATABASE_URL``, or ``var/bench-security.sqlite3``; the audit
tables are emptied first, never point it at a database you care about) and prints one JSON
line per figure, each with a baseline measured in the same process:

- ``audit_record``: one :func:`fengqiao.security.audit.record` (the head's row lock, the
  keyed MAC chained to the last entry, the head's seal) against ``plain_insert``, the same row
  written with ``objects.create`` and no chain;
- ``audit_concurrent``: ``--threads`` threads appending at once; the entries must number
  threads × per-thread, with no gap in ``seq``, and the chain must verify (correctness under
  contention, not only speed);
- ``audit_verify``: :func:`fengqiao.security.audit.verify` over ``--entries`` entries against
  ``plain_scan``, reading the same rows without checking them;
- ``guarded_page``: a signed-in GET of a staff page through ``SessionGuardMiddleware`` (idle
  timeout, second factor, password expiry, no-store) against the same page without it;
- ``failed_login``: a wrong password through the lockout backend, its counters and its audit
  entry, against ``plain_check_password`` (the password hash alone).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from pathlib import Path

from bench.generate import setup_django

ROOT = Path(__file__).resolve().parent.parent


def emit(name: str, **figures) -> None:
    print(json.dumps({"bench": name, **figures}, ensure_ascii=False), flush=True)


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))], 3)


def summary(ms: list[float]) -> dict:
    return {"p50_ms": p(ms, 0.5), "p95_ms": p(ms, 0.95), "mean_ms": round(statistics.mean(ms), 3)}


def reset() -> None:
    from django.db import connection

    from fengqiao.security.models import AuditHead, Throttle

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("TRUNCATE security_auditentry")
        else:
            cur.execute("DELETE FROM security_auditentry")
    AuditHead.objects.all().delete()
    Throttle.objects.all().delete()


def bench_record(samples: int) -> None:
    from django.utils import timezone

    from fengqiao.security import audit
    from fengqiao.security.models import AuditEntry, AuditKind

    reset()
    chained = timed(
        lambda i: audit.record(AuditKind.EXPORT, actor_name="bench", target=f"c{i}"), samples
    )
    base = 10_000_000
    plain = timed(
        lambda i: AuditEntry.objects.create(
            seq=base + i,
            at=timezone.now(),
            kind=AuditKind.EXPORT,
            actor_name="bench",
            target=f"c{i}",
            mac="0" * 64,
        ),
        samples,
    )
    emit(
        "audit_record",
        **summary(chained),
        baseline="plain_insert",
        baseline_p50_ms=p(plain, 0.5),
        ratio=round(p(chained, 0.5) / max(p(plain, 0.5), 1e-6), 2),
    )


def bench_concurrent(threads: int, per_thread: int) -> None:
    from django.db import close_old_connections

    from fengqiao.security import audit
    from fengqiao.security.models import AuditEntry, AuditKind

    reset()
    errors: list[str] = []

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                audit.record(AuditKind.EXPORT, actor_name=f"t{t}", target=f"{t}:{i}")
        except Exception as exc:  # counted and reported
            errors.append(repr(exc))
        finally:
            close_old_connections()

    start = time.perf_counter()
    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    seconds = time.perf_counter() - start
    n = AuditEntry.objects.count()
    result = audit.verify()
    emit(
        "audit_concurrent",
        threads=threads,
        accepted=threads * per_thread - len(errors),
        rows=n,
        errors=len(errors),
        chain_ok=result.ok,
        per_second=round(n / seconds, 1),
        first_error=errors[0] if errors else "",
    )


def bench_verify(entries: int) -> None:
    from fengqiao.security import audit
    from fengqiao.security.models import AuditEntry, AuditKind

    reset()
    for i in range(entries):
        audit.record(AuditKind.REVEAL, actor_name="bench", target=f"case{i}", fields=("phone",))
    t = time.perf_counter()
    result = audit.verify()
    checked = time.perf_counter() - t
    t = time.perf_counter()
    rows = sum(1 for _e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000))
    scan = time.perf_counter() - t
    emit(
        "audit_verify",
        entries=result.checked,
        ok=result.ok,
        seconds=round(checked, 3),
        per_second=round(result.checked / checked),
        baseline="plain_scan",
        baseline_seconds=round(scan, 3),
        ratio=round(checked / max(scan, 1e-6), 2),
        rows=rows,
    )


def bench_page(samples: int) -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    from fengqiao.org.models import User

    user, _ = User.objects.get_or_create(username="bench_security")
    user.set_password("Bench-pass-2026!")
    user.save()
    without = [m for m in settings.MIDDLEWARE if "security" not in m]
    guarded = Client()
    guarded.force_login(user)
    with override_settings(MIDDLEWARE=without):
        plain = Client()
        plain.force_login(user)
    with_guard: list[float] = []
    no_guard: list[float] = []
    # Interleaved, so that neither side has the warmer caches.
    for i in range(samples + 5):
        t = time.perf_counter()
        guarded.get("/password/")
        a = (time.perf_counter() - t) * 1000
        with override_settings(MIDDLEWARE=without):
            t = time.perf_counter()
            plain.get("/password/")
            b = (time.perf_counter() - t) * 1000
        if i >= 5:
            with_guard.append(a)
            no_guard.append(b)
    emit(
        "guarded_page",
        **summary(with_guard),
        baseline="same_page_without_guard",
        baseline_p50_ms=p(no_guard, 0.5),
        ratio=round(p(with_guard, 0.5) / max(p(no_guard, 0.5), 1e-6), 2),
    )


def bench_failed_login(samples: int) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from fengqiao.org.models import User

    user = User.objects.get(username="bench_security")
    factory = RequestFactory()
    reset()

    def wrong(i: int) -> None:
        # A new address every time, so that no lock cuts the work short.
        request = factory.post("/login/", REMOTE_ADDR=f"127.1.{i // 250}.{i % 250}")
        authenticate(request, username=f"nobody{i}", password="wrong")

    guarded = timed(wrong, samples)
    plain = timed(lambda i: user.check_password("wrong"), samples)
    emit(
        "failed_login",
        **summary(guarded),
        baseline="plain_check_password",
        baseline_p50_ms=p(plain, 0.5),
        ratio=round(p(guarded, 0.5) / max(p(plain, 0.5), 1e-6), 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--per-thread", type=int, default=250)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("FENGQIAO_SQLITE_PATH", str(ROOT / "var" / "bench-security.sqlite3"))
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench_record(args.samples)
    bench_concurrent(args.threads, args.per_thread)
    bench_verify(args.entries)
    bench_page(args.samples)
    bench_failed_login(args.samples)


if __name__ == "__main__":
    main()

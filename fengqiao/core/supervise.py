"""Keep a child process running: restart it when it dies, give up loudly when it keeps dying.

``run_worker --supervise`` (what ``make run`` starts) runs the task worker under
:func:`supervise`: without the worker there are no applicant SMS, no visit-back tasks and no
deadline clocks, so a worker that dies must come back, or the person running the demo must be
told in words they cannot miss.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import TextIO

BANNER = "=" * 72


def _say(out: TextIO, *lines: str) -> None:
    out.write("\n".join([BANNER, *lines, BANNER]) + "\n")
    out.flush()


def supervise(
    argv: Sequence[str],
    *,
    what: str = "the task worker",
    max_restarts: int = 5,
    window: float = 60.0,
    delay: float = 2.0,
    out: TextIO | None = None,
) -> int:
    """Run ``argv`` until it exits cleanly (0) or we are told to stop; restart it after
    ``delay`` seconds when it fails. More than ``max_restarts`` failures within ``window``
    seconds: print why and return 1. SIGTERM/SIGINT stop the child and return 0."""
    out = out or sys.stderr
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    failures: list[float] = []
    try:
        while True:
            # Its own process group: a Ctrl-C or `kill 0` reaches the child once, through us.
            child = subprocess.Popen(list(argv), process_group=0)
            code = _wait(child)
            if stopping or code == 0:
                return 0
            now = time.monotonic()
            failures = [t for t in failures if now - t < window] + [now]
            if len(failures) > max_restarts:
                _say(
                    out,
                    f"{what} died {len(failures)} times within {window:.0f} s (exit code {code}): "
                    "giving up.",
                    f"后台任务进程在 {window:.0f} 秒内退出 {len(failures)} 次"
                    f"（退出码 {code}），不再重启。",
                    "Without it there are no SMS, visit-back tasks or deadline timers; see the "
                    "error above.",
                )
                return 1
            _say(
                out,
                f"{what} died (exit code {code}); restarting it in {delay:.0f} s "
                f"({len(failures)} of {max_restarts} restarts within {window:.0f} s).",
                f"后台任务进程意外退出（退出码 {code}），{delay:.0f} 秒后重启。",
            )
            time.sleep(delay)
            if stopping:
                return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait(child: subprocess.Popen) -> int:
    while True:
        try:
            return child.wait()
        except InterruptedError:  # pragma: no cover - Python retries wait() itself
            continue

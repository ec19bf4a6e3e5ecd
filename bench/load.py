"""A small HTTP load generator (keep-alive connections, one thread per connection).

Runs as its own process so that the server and the load do not share an interpreter.
Prints one JSON object: requests, errors, seconds, rate per second, latency percentiles (ms).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
import uuid


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def run(host: str, port: int, method: str, paths: list[str], body_template: str | list[str] | None,
        headers: dict[str, str], n: int, concurrency: int) -> dict:  # fmt: skip
    templates = body_template if isinstance(body_template, list) else [body_template]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local: list[float] = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths[i % len(paths)]
            hdrs = dict(headers)
            body = None
            if body_template is not None:
                template = templates[i % len(templates)]
                body = template.replace("{i8}", f"{i:08d}").replace("{i}", str(i)).encode()
                hdrs["Idempotency-Key"] = str(uuid.uuid4())
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=hdrs)
                resp = conn.getresponse()
                payload = resp.read()
                if resp.status >= 400:
                    with lock:
                        errors.append(f"{resp.status} {payload[:200]!r}")
            except Exception as exc:  # keep the load going; count it
                with lock:
                    errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            local.append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {
        "requests": n,
        "errors": len(errors),
        "first_errors": errors[:3],
        "seconds": round(seconds, 3),
        "rate_per_s": round((n - len(errors)) / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "min_ms": round(min(latencies), 2) if latencies else 0,
        "max_ms": round(max(latencies), 2) if latencies else 0,
        "median_ms": round(statistics.median(latencies), 2) if latencies else 0,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--method", default="GET")
    p.add_argument("--path", action="append", required=True)
    p.add_argument("--body")
    p.add_argument("--body-file", help="a JSON list of body templates, used in turn")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("-n", type=int, default=200)
    p.add_argument("-c", type=int, default=1)
    a = p.parse_args()
    headers = dict(h.split(":", 1) for h in a.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    body = a.body
    if a.body_file:
        with open(a.body_file, encoding="utf-8") as f:
            body = json.load(f)
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    print(json.dumps(run(a.host, a.port, a.method, a.path, body, headers, a.n, a.c)))


if __name__ == "__main__":
    main()

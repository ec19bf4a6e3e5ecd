"""Hot-issue clustering on real appeals: ``python -m bench.hot_issues [--sample 20]``.

Clusters ../shared/data/teddy2020/messages_with_votes.jsonl (4,326 messages) with
``analytics.hotissues.cluster`` and prints one JSON line of figures (clusters, sizes, items
clustered, seconds, ms per message) and then, for hand-checking, a seeded sample of clusters
with their titles (one JSON line each). Purity = the share of a cluster's messages that are
about its main problem, judged by reading the sample (docs/analytics.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "teddy2020"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    import django

    django.setup()
    from fengqiao.analytics.hotissues import Item, cluster

    rows = [json.loads(line) for line in (DATA / "messages_with_votes.jsonl").open()]
    items = [Item(r["id"], r["title"], r["text"]) for r in rows]
    start = time.perf_counter()
    clusters = cluster(items)
    seconds = time.perf_counter() - start
    sizes = [c.size for c in clusters]
    print(json.dumps({
        "bench": "hot_issues", "messages": len(items), "clusters": len(clusters),
        "clustered": sum(sizes), "largest": sizes[:10], "seconds": round(seconds, 2),
        "ms_per_message": round(seconds * 1000 / len(items), 3),
    }, ensure_ascii=False), flush=True)  # fmt: skip
    rng = random.Random(15)
    for c in rng.sample(clusters, min(args.sample, len(clusters))):
        print(json.dumps({"size": c.size, "label": c.label,
                          "titles": [it.title for it in c.items[:8]]}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()

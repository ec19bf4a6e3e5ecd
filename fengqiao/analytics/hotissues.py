"""Hot issues (热点问题): appeals about the same problem (the same estate, road, school…)
grouped together, largest first.

Two appeals are joined when routing's related-text rules say so, a little stricter: their
whole texts overlap (estimated Jaccard of character 3-grams ≥ ``TEXT_MIN``) or their titles
share at least three distinctive 2-grams with Jaccard ≥ ``TITLE_MIN``. Candidates come from the
same MinHash bands as routing's related cases (no pair-by-pair scan); groups are the connected
components (union–find). Evaluated on the teddy2020 messages: see docs/analytics.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache

from fengqiao.cases.selectors import visible_cases
from fengqiao.org.models import User
from fengqiao.regions.models import PATH_END, Region
from fengqiao.routing import related

TEXT_MIN = 0.35
TITLE_MIN = 0.3
BUCKET_MAX = 200  # a band bucket larger than this says nothing (a generic phrase)
MAX_CASES = 1000  # the most recent cases a region's hot issues are computed from (≈ 2.6 s)
CACHE_SECONDS = 600
# 2-grams of the stock phrases of suggestions ("请加快…建设力度/步伐"), which join appeals about
# different things; routing's stop words already drop the common complaint words.
_HOT_STOP_WORDS = "加快 快建 建设 设力 力度 步伐 快推 推进 请加 快创 创建"
HOT_STOP = frozenset(_HOT_STOP_WORDS.split())


@dataclass
class Item:
    key: str
    title: str
    text: str


@dataclass
class Cluster:
    members: list[int]
    label: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _candidates(keys: list[list[int]]) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in ks:
            buckets.setdefault(k, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= BUCKET_MAX:
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    pairs.add((members[a], members[b]))
    return pairs


def cluster(items: list[Item]) -> list[Cluster]:
    """Groups of two or more items about the same problem, largest first."""
    sigs = [related.signature(f"{it.title}{it.text}") for it in items]
    grams = [related.title_grams(it.title) - HOT_STOP for it in items]
    keys = [
        related.band_keys(s) + related.title_keys(it.title)
        for s, it in zip(sigs, items, strict=True)
    ]
    parent = list(range(len(items)))
    for a, b in _candidates(keys):
        same = (
            related.similarity(sigs[a], sigs[b]) >= TEXT_MIN
            or related.title_similarity(grams[a], grams[b]) >= TITLE_MIN
        )
        if same:
            ra, rb = _find(parent, a), _find(parent, b)
            if ra != rb:
                parent[rb] = ra
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(_find(parent, i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        common = Counter(g for i in members for g in grams[i])
        label = "".join(g for g, n in common.most_common(4) if n > 1)
        out.append(Cluster(members=members, label=label, items=[items[i] for i in members]))
    return sorted(out, key=lambda c: (-c.size, c.members[0]))


def hot_issues(region: Region, user: User, *, limit: int = 20) -> list[Cluster]:
    """The largest groups among the region's most recent visible cases (by place); kept ten
    minutes per user and region (clustering a thousand appeals takes seconds)."""
    key = f"analytics:hot:{user.pk}:{region.code}"
    found = cache.get(key)
    if found is None:
        found = _hot_issues(region, user)[:limit]
        cache.set(key, found, CACHE_SECONDS)
    return found


def _hot_issues(region: Region, user: User) -> list[Cluster]:
    rows = (
        visible_cases(user)
        .filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)
        .order_by("-registered_at")
        .values_list("code", "title", "description")[:MAX_CASES]
    )
    return cluster([Item(code, title, text) for code, title, text in rows])

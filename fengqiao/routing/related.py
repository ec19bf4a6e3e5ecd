"""Related cases: same party (keyed hash of phone or ID number), same address, same grid,
and similar text (MinHash over character shingles with LSH bands in an indexed table).

Two texts are similar when their whole texts overlap (character 3-grams: the same story
told again) or their titles share the same distinctive words (character 2-grams without
generic words: the same estate, road or school, told differently). Titles are where people
name the place; the body text of two appeals about one estate differs too much to tell.

Every lookup is an index probe, never a scan of the cases, so that it stays fast with a
million cases: the number of queries of :func:`find_related` does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections import Counter

import numpy as np
from django.db.models import Q

from fengqiao.cases.choices import LinkKind
from fengqiao.cases.models import Case, Party
from fengqiao.routing.models import TextBand, TextSignature

SHINGLE = 3
BANDS = 32
ROWS = 3
NUM_PERM = BANDS * ROWS
SIMILAR_MIN = 0.25  # estimated Jaccard similarity of the texts' shingle sets
TITLE_BANDS = 20
TITLE_ROWS = 2
TITLE_PERM = TITLE_BANDS * TITLE_ROWS
TITLE_MIN = 0.25  # Jaccard similarity of the titles' distinctive 2-grams
TITLE_MIN_SHARED = 3  # and at least this many of them in common
# Words of any appeal's title, which say nothing about what it is about.
_TITLE_STOP_WORDS = (
    "问题 投诉 反映 咨询 建议 关于 严重 什么 何时 解决 请求 希望 小区 业主 居民 扰民 的问 附近 "
    "相关 情况 要求 部门 政府 我们 是否 能否 为何 如何 为什 么会 市民 举报 请问 存在 一下 没有 "
    "不能 群众 领导 处理 帮助 恳请 强烈 呼吁"
)
TITLE_STOP = frozenset(_TITLE_STOP_WORDS.split())
MAX_CANDIDATES = 200  # text candidates checked against their signatures
SIMILAR_LIMIT = 20  # the most similar-text links one case gets
MAX_BAND_ROWS = 4000  # a bound on what one probe reads, whatever the size of a bucket
PARTY_LIMIT = 50
PLACE_LIMIT = 30
GRID_DAYS = 90
GRID_LIMIT = 20

_rng = np.random.default_rng(20261123)
# Multiply-shift hashing: h(x) = (a·x + b) >> 32 with odd 64-bit a, on 32-bit shingle hashes.
_A = (_rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_NOISE = re.compile(r"[\W_]+")
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def normalize(text: str) -> str:
    return _NOISE.sub("", (text or "").lower())


def shingles(text: str) -> set[str]:
    t = normalize(text)
    if len(t) < SHINGLE:
        return {t} if t else set()
    return {t[i : i + SHINGLE] for i in range(len(t) - SHINGLE + 1)}


def title_grams(title: str) -> set[str]:
    """The distinctive 2-grams of a title (no digits or Latin letters, no generic words)."""
    t = normalize(title)
    return {
        t[i : i + 2]
        for i in range(len(t) - 1)
        if t[i : i + 2] not in TITLE_STOP and not any(c.isascii() for c in t[i : i + 2])
    }


def _minhash(grams: set[str], n: int) -> np.ndarray:
    if not grams:
        return _EMPTY[:n].copy()
    x = np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):
        h = (np.outer(x, _A[:n]) + _B[:n]) >> np.uint64(32)
    return h.min(axis=0).astype(np.uint32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned 32-bit values) of a text."""
    return _minhash(shingles(text), NUM_PERM)


def _keys(sig: np.ndarray, bands: int, rows: int, tag: bytes) -> list[int]:
    keys = []
    raw = sig.astype("<u4").tobytes()
    width = rows * 4
    for band in range(bands):
        digest = hashlib.blake2b(
            raw[band * width : (band + 1) * width],
            digest_size=8,
            salt=tag + band.to_bytes(15, "little"),
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band of the text signature (the band is part of the key)."""
    return _keys(sig, BANDS, ROWS, b"t")


def title_keys(title: str) -> list[int]:
    """The band keys of a title's distinctive 2-grams (none for a title without any)."""
    grams = title_grams(title)
    if len(grams) < TITLE_MIN_SHARED:
        return []
    return _keys(_minhash(grams, TITLE_PERM), TITLE_BANDS, TITLE_ROWS, b"h")


def _all_keys(case: Case, sig: np.ndarray) -> list[int]:
    keys = band_keys(sig) if normalize(case_signature_text(case)) else []
    return keys + title_keys(case.title)


def title_similarity(a: set[str], b: set[str]) -> float:
    shared = len(a & b)
    if shared < TITLE_MIN_SHARED:
        return 0.0
    return shared / len(a | b)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def case_signature_text(case: Case) -> str:
    return f"{case.title}\n{case.description}"


def index_case(case: Case) -> np.ndarray:
    """Store (or replace) a case's signature and its band keys."""
    sig = signature(case_signature_text(case))
    TextSignature.objects.bulk_create(  # one upsert: new cases and edited ones alike
        [TextSignature(case=case, signature=sig.tobytes())],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["signature"],
    )
    TextBand.objects.filter(case=case).delete()
    TextBand.objects.bulk_create(TextBand(case=case, key=k) for k in _all_keys(case, sig))
    return sig


def _similar(case: Case, sig: np.ndarray) -> dict[int, float]:
    keys = _all_keys(case, sig)
    if not keys:
        return {}
    hits = Counter(
        TextBand.objects.filter(key__in=keys)
        .exclude(case_id=case.pk)
        .values_list("case_id", flat=True)[:MAX_BAND_ROWS]
    )
    candidates = [pk for pk, _n in hits.most_common(MAX_CANDIDATES)]
    if not candidates:
        return {}
    mine = title_grams(case.title)
    out: dict[int, float] = {}
    rows = TextSignature.objects.filter(case_id__in=candidates).values_list(
        "case_id", "signature", "case__title"
    )
    for pk, blob, title in rows:
        text_score = similarity(sig, np.frombuffer(bytes(blob), dtype=np.uint32))
        title_score = title_similarity(mine, title_grams(title))
        score = max(
            text_score if text_score >= SIMILAR_MIN else 0.0,
            title_score if title_score >= TITLE_MIN else 0.0,
        )
        if score:
            out[pk] = round(score, 3)
    best = sorted(out.items(), key=lambda kv: (-kv[1], -kv[0]))[:SIMILAR_LIMIT]
    return dict(best)


def find_related(case: Case, *, sig: np.ndarray | None = None) -> list[tuple[Case, str, float]]:
    """Cases related to this one, as (other, kind, score), strongest first within a kind:
    same party, same place (address), same grid (recent), similar text."""
    found: dict[tuple[int, str], float] = {}
    parties = list(case.parties.all())
    phones = sorted({p.phone_hash for p in parties if p.phone_hash})
    ids = sorted({p.id_number_hash for p in parties if p.id_number_hash})
    if phones or ids:
        match = Q(pk__in=[])
        if phones:
            match |= Q(phone_hash__in=phones)
        if ids:
            match |= Q(id_number_hash__in=ids)
        rows = (
            Party.objects.filter(match)
            .exclude(case_id=case.pk)
            .order_by("-case_id")
            .values_list("case_id", flat=True)[: PARTY_LIMIT * 2]
        )
        for pk in list(dict.fromkeys(rows))[:PARTY_LIMIT]:
            found[(pk, LinkKind.SAME_PARTY)] = 1.0
    if case.address_key:
        rows = (
            Case.objects.filter(address_key=case.address_key)
            .exclude(pk=case.pk)
            .order_by("-registered_at")
            .values_list("pk", flat=True)[:PLACE_LIMIT]
        )
        for pk in rows:
            found[(pk, LinkKind.SAME_PLACE)] = 1.0
    if case.grid_id:
        since = case.registered_at - dt.timedelta(days=GRID_DAYS)
        rows = (
            Case.objects.filter(grid_id=case.grid_id, registered_at__gte=since)
            .exclude(pk=case.pk)
            .order_by("-registered_at")
            .values_list("pk", flat=True)[:GRID_LIMIT]
        )
        for pk in rows:
            if (pk, LinkKind.SAME_PLACE) not in found:
                found[(pk, LinkKind.SAME_PLACE)] = 0.5
    sig = signature(case_signature_text(case)) if sig is None else sig
    for pk, score in _similar(case, sig).items():
        found[(pk, LinkKind.SIMILAR_TEXT)] = score
    if not found:
        return []
    cases = Case.objects.in_bulk({pk for pk, _kind in found})
    order = {
        LinkKind.SAME_PARTY: 0,
        LinkKind.SAME_PLACE: 1,
        LinkKind.SIMILAR_TEXT: 2,
    }
    result = [(cases[pk], kind, score) for (pk, kind), score in found.items() if pk in cases]
    result.sort(key=lambda r: (order.get(r[1], 9), -r[2], -r[0].pk))
    return result

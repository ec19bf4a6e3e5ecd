"""The audit trail: append an entry (keyed MAC chained to the last one), verify the chain.

Every entry's MAC is HMAC-SHA256 under ``settings.FENGQIAO_AUDIT_KEY`` over its canonical
payload, which includes the MAC of the entry before it. Without the key nobody can rewrite an
entry and recompute the ones after it; the database refuses UPDATE (and, on PostgreSQL,
DELETE) of entries outright (migration 0002); ``seq`` has no gaps and :class:`AuditHead`
anchors the last entry, so a deleted entry or a deleted tail is found by :func:`verify`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fengqiao.security.models import AuditEntry, AuditHead

HEAD_ID = 1


def _key() -> bytes:
    key = (
        getattr(settings, "FENGQIAO_AUDIT_KEY", "")
        or hashlib.sha256(("audit:" + settings.SECRET_KEY).encode()).hexdigest()
    )
    return key.encode()


def _mac(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _seal(seq: int, mac: str) -> str:
    return _mac({"head": seq, "mac": mac})


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=HEAD_ID)
        head = AuditHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


def record(
    kind: str,
    *,
    actor: Any = None,
    actor_name: str = "",
    request: HttpRequest | None = None,
    target: str = "",
    fields: Iterable[str] = (),
    reason: str = "",
    detail: dict | None = None,
    region_path: str = "",
) -> AuditEntry:
    """Append one entry to the trail (in the caller's transaction, if any)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            kind=kind,
            actor_id=actor.pk if actor is not None else None,
            actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
            address=client_address(request),
            target=str(target)[:64],
            fields=",".join(fields)[:200],
            reason=(reason or "").strip()[:200],
            detail=detail or {},
            region_path=region_path[:80],
            prev_mac=head.mac,
        )
        entry.mac = _mac(entry.payload())
        entry.save()
        head.seq, head.mac, head.seal = entry.seq, entry.mac, _seal(entry.seq, entry.mac)
        head.save(update_fields=["seq", "mac", "seal"])
    return entry


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_entry(entry: AuditEntry, expected_seq: int, prev_mac: str, out: Verification) -> None:
    if entry.seq != expected_seq:
        out.problems.append(f"#{expected_seq}: missing (next is #{entry.seq})")
    if entry.prev_mac != prev_mac:
        out.problems.append(f"#{entry.seq}: does not follow the entry before it")
    if not hmac.compare_digest(entry.mac, _mac(entry.payload())):
        out.problems.append(f"#{entry.seq}: altered (MAC does not match)")


def verify(*, limit_problems: int = 50) -> Verification:
    """Walk the whole trail in order and check every link, MAC and the head."""
    out = Verification()
    expected, prev_mac = 1, ""
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        _check_entry(entry, expected, prev_mac, out)
        out.checked += 1
        expected, prev_mac = entry.seq + 1, entry.mac
        if len(out.problems) >= limit_problems:
            return out
    head = AuditHead.objects.filter(pk=HEAD_ID).first()
    last = expected - 1
    if head is None:
        if last:
            out.problems.append("head: missing")
        return out
    if head.seq and not hmac.compare_digest(head.seal or "", _seal(head.seq, head.mac)):
        out.problems.append("head: altered (seal does not match)")
    if head.seq != last or head.mac != prev_mac:
        out.problems.append(f"head: names #{head.seq}, the trail ends at #{last}")
    return out

"""Outbound webhooks and status callbacks.

A case event (after its transaction committed; ``handlers.on_case_event``) makes one
:class:`Delivery` per matching subscription — active, listening to the action (or to all),
for the case's center or lead unit (or any unit), in the region's subtree (or anywhere) —
and one per partner that transferred the case in and has a callback address. Each delivery
is a signed POST (:mod:`.signing`) run by the task worker. A failure (no answer, or not 2xx)
waits ``BACKOFF_BASE * 2**(attempts-1)`` seconds (capped at ``BACKOFF_MAX``) and is tried
again by the retry job; after ``MAX_ATTEMPTS`` it is dead, listed for admins who can replay
it (attempts start again from zero)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import OPEN_STATUSES
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core import crypto
from fengqiao.core.errors import ValidationFailed
from fengqiao.integrations.choices import DeliveryStatus
from fengqiao.integrations.models import Delivery, InboundTransfer, Subscription
from fengqiao.integrations.services.signing import HEADER, new_secret, sign
from fengqiao.org.models import Unit, User
from fengqiao.regions.models import Region

MAX_ATTEMPTS = 8
BACKOFF_BASE = 30  # seconds
BACKOFF_MAX = 6 * 3600
TIMEOUT = 5.0
LEASE = dt.timedelta(minutes=2)  # a claimed delivery is not claimed again for this long
RETRY_BATCH = 200


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def create_subscription(
    *,
    name: str,
    url: str,
    actor: User,
    unit: Unit | None = None,
    region: Region | None = None,
    actions: list[str] | None = None,
) -> tuple[Subscription, str]:
    """A subscription and its signing secret (readable now and on its page)."""
    if not url.startswith(("https://", "http://")):
        raise ValidationFailed(_("接收地址应以 http:// 或 https:// 开头。"), field="url")
    secret = new_secret()
    sub = Subscription.objects.create(
        name=name.strip() or url,
        url=url,
        secret_enc=crypto.encrypt(secret),
        unit=unit,
        region=region,
        actions=sorted(set(actions or [])),
        created_by=actor,
    )
    return sub, secret


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def payload_for(event: CaseEvent, case: Case, *, external_id: str = "") -> dict:
    """What a subscriber receives: the event, the case's state, no personal data."""
    body = {
        "id": f"evt_{event.pk}",
        "type": f"case.{event.action}",
        "case": {
            "code": case.code,
            "status": case.status,
            "open311_status": open311_status(case.status),
            "center": case.center_id,
            "lead_unit": case.lead_unit_id,
            "region": case.region_id,
            "category": case.category.code if case.category_id else None,
            "risk_level": case.risk_level,
            "deadline": case.deadline.isoformat() if case.deadline else None,
        },
        "event": {
            "seq": event.seq,
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "unit": event.unit_label,
            "at": event.created_at.isoformat(),
        },
    }
    if external_id:
        body["external_id"] = external_id
    return body


def matching_subscriptions(event: CaseEvent, case: Case) -> list[Subscription]:
    units = [u for u in (case.center_id, case.lead_unit_id) if u]
    subs = Subscription.objects.filter(is_active=True).filter(
        Q(unit__isnull=True) | Q(unit_id__in=units)
    )
    return [
        s
        for s in subs.select_related("region")
        if (not s.actions or event.action in s.actions)
        and (s.region is None or case.region_path.startswith(s.region.path))
    ]


def deliveries_for(event: CaseEvent) -> list[Delivery]:
    """Write the deliveries of one event (idempotent: a handler run twice writes none)."""
    case = Case.objects.select_related("category").get(pk=event.case_id)
    made: list[Delivery] = []
    candidates = [
        Delivery(subscription=s, url=s.url, payload=payload_for(event, case))
        for s in matching_subscriptions(event, case)
    ]
    for transfer in InboundTransfer.objects.filter(case=case).select_related("partner"):
        partner = transfer.partner
        if partner.is_active and partner.callback_url:
            body = payload_for(event, case, external_id=transfer.external_id)
            candidates.append(Delivery(partner=partner, url=partner.callback_url, payload=body))
    now = timezone.now()
    for d in candidates:
        d.event_id, d.case_code, d.action, d.next_attempt_at = (
            event.pk,
            case.code,
            event.action,
            now,
        )
        try:
            with transaction.atomic():
                d.save()
        except IntegrityError:
            continue
        made.append(d)
    return made


def _secret_of(delivery: Delivery) -> str:
    if delivery.subscription_id:
        return delivery.subscription.secret
    return delivery.partner.secret if delivery.partner_id else ""


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def claim(delivery_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take a due delivery for one attempt (a conditional UPDATE: one worker wins)."""
    now = now or timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE)
    )


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> Delivery | None:
    """One signed POST of a due delivery; the outcome is stored. None if not due."""
    now = now or timezone.now()
    if not claim(delivery_id, now=now):
        return None
    d = Delivery.objects.select_related("subscription", "partner").get(pk=delivery_id)
    body = json.dumps(d.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Fengqiao-Webhooks/1",
        "X-Fengqiao-Event": d.action,
        "X-Fengqiao-Delivery": str(d.pk),
        HEADER: sign(_secret_of(d), body),
    }
    code, error = None, ""
    try:
        code = _post(d.url, body, headers)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:300]
    d.attempts += 1
    d.last_status = code
    if code is not None and 200 <= code < 300:
        d.status, d.delivered_at, d.last_error, d.next_attempt_at = (
            DeliveryStatus.DELIVERED, timezone.now(), "", None,
        )  # fmt: skip
    else:
        d.last_error = error or f"HTTP {code}"
        if d.attempts >= MAX_ATTEMPTS:
            d.status, d.next_attempt_at = DeliveryStatus.DEAD, None
        else:
            d.next_attempt_at = timezone.now() + backoff(d.attempts)
    d.save(
        update_fields=[
            "attempts", "last_status", "status", "delivered_at", "last_error", "next_attempt_at",
        ]
    )  # fmt: skip
    return d


def due_ids(*, now: dt.datetime | None = None, limit: int = RETRY_BATCH) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def retry_due(*, now: dt.datetime | None = None) -> dict:
    """The retry job: attempt every due delivery once."""
    counts = {"delivered": 0, "failed": 0, "dead": 0}
    for pk in due_ids(now=now):
        d = attempt(pk, now=now)
        if d is None:
            continue
        if d.status == DeliveryStatus.DELIVERED:
            counts["delivered"] += 1
        elif d.status == DeliveryStatus.DEAD:
            counts["dead"] += 1
        else:
            counts["failed"] += 1
    return counts


def replay(delivery: Delivery) -> Delivery:
    """Put a dead (or delivered) delivery back in the queue, attempts from zero."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    delivery.refresh_from_db()
    return delivery

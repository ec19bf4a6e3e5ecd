"""Writes: inbox messages for staff, SMS and e-mail through the outbox.

- :func:`notify` puts one message in each recipient's inbox (idempotent with ``dedupe_key``);
- :func:`send_to_citizen` / :func:`send_email` store an outbound row (address encrypted) and
  enqueue its delivery after commit;
- :func:`deliver` makes one attempt; a failure keeps the row pending with a backoff, and
  :func:`retry_due` (called periodically by the scheduler) tries every due row again.
  Nothing is lost: a row leaves ``pending`` only when a sender accepted it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.core import crypto
from fengqiao.core.errors import ValidationFailed
from fengqiao.core.validators import is_phone
from fengqiao.notifications.backends import Outgoing, SendError, get_sender
from fengqiao.notifications.choices import OutboundChannel, OutboundStatus
from fengqiao.notifications.models import Message, OutboundMessage
from fengqiao.notifications.selectors import unread_count  # noqa: F401 - part of the API
from fengqiao.notifications.tasks import deliver_outbound
from fengqiao.org.models import User

logger = logging.getLogger(__name__)

DEFAULT_BACKOFF = (60, 300, 900, 3600, 6 * 3600)  # seconds after attempt 1, 2, 3...
SENDING_LEASE = dt.timedelta(minutes=5)  # a worker that died mid-send is retried after this


def _backoff(attempts: int) -> dt.timedelta:
    steps = tuple(getattr(settings, "FENGQIAO_NOTIFY_RETRY_BACKOFF", DEFAULT_BACKOFF))
    index = min(max(attempts, 1), len(steps)) - 1
    return dt.timedelta(seconds=steps[index])


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str,
    link: str = "",
    kind: str = "",
    dedupe_key: str = "",
    also_email: bool = False,
    now: dt.datetime | None = None,
) -> list[Message]:
    """Put one message in each recipient's inbox and return the messages.

    With ``dedupe_key`` a recipient who already has a message with that key gets no second
    one (the existing message is returned). ``also_email`` also sends it by e-mail to the
    recipients who have an address.
    """
    now = now or timezone.now()
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationFailed(_("消息标题不能为空。"), field="title")
    dedupe_key = (dedupe_key or "")[:200]
    out: list[Message] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        message = None
        if dedupe_key:
            message = Message.objects.filter(recipient=user, dedupe_key=dedupe_key).first()
            if message is not None:
                out.append(message)
                continue
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    recipient=user,
                    title=title,
                    body=body or "",
                    link=(link or "")[:500],
                    kind=(kind or "")[:32],
                    dedupe_key=dedupe_key,
                    created_at=now,
                )
        except IntegrityError:  # the same key written concurrently: keep the first
            message = Message.objects.get(recipient=user, dedupe_key=dedupe_key)
            out.append(message)
            continue
        out.append(message)
        if also_email and user.email:
            key = f"inbox:{message.pk}:email"
            send_email(
                address=user.email, subject=title, text=f"{body}\n\n{link}".strip(), dedupe_key=key
            )
    return out


@transaction.atomic
def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (all unread ones when ``ids`` is None); returns how many.
    Other users' message ids are ignored."""
    qs = Message.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs.update(read_at=timezone.now())


def _enqueue(outbound_id: int) -> None:

    try:
        deliver_outbound.enqueue(outbound_id)
    except Exception:  # the row stays pending: retry_due will send it
        logger.exception("could not enqueue delivery of outbound message %s", outbound_id)


@transaction.atomic
def _queue_outbound(
    *, channel: str, address: str, masked: str, subject: str, text: str, dedupe_key: str
) -> OutboundMessage:
    dedupe_key = (dedupe_key or "").strip()
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("an outbound message needs a dedupe_key of at most 200 characters")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("消息内容不能为空。"), field="text")
    existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            row = OutboundMessage.objects.create(
                channel=channel,
                address_encrypted=crypto.encrypt(address),
                address_masked=masked[:120],
                subject=(subject or "")[:200],
                text=text,
                dedupe_key=dedupe_key,
                status=OutboundStatus.PENDING,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def send_to_citizen(*, phone: str, text: str, dedupe_key: str) -> OutboundMessage:
    """Queue an SMS to a citizen. The same ``dedupe_key`` never sends twice."""
    if not is_phone(phone or ""):
        raise ValidationFailed(_("手机号码格式不正确。"), field="phone")
    normalized = crypto.normalize_phone(phone)
    return _queue_outbound(
        channel=OutboundChannel.SMS,
        address=normalized,
        masked=crypto.mask_phone(normalized),
        subject="",
        text=text,
        dedupe_key=dedupe_key,
    )


def send_email(*, address: str, subject: str, text: str, dedupe_key: str) -> OutboundMessage:
    """Queue an e-mail. The same ``dedupe_key`` never sends twice."""
    address = (address or "").strip()
    if "@" not in address or len(address) > 254:
        raise ValidationFailed(_("电子邮件地址格式不正确。"), field="email")
    local, _sep, domain = address.partition("@")
    return _queue_outbound(
        channel=OutboundChannel.EMAIL,
        address=address,
        masked=f"{local[:1]}***@{domain}",
        subject=subject,
        text=text,
        dedupe_key=dedupe_key,
    )


def deliver(*, outbound_id: int, now: dt.datetime | None = None, force: bool = False) -> str:
    """Make one delivery attempt if the row is due (or ``force``: now, whatever the backoff);
    returns the row's status afterwards.

    The row is claimed with a conditional update (no lock is held while the gateway
    answers), so two workers never send the same row at once.
    """
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    if force:
        due |= Q(status=OutboundStatus.PENDING)
    claimed = OutboundMessage.objects.filter(
        due, pk=outbound_id, status__in=[OutboundStatus.PENDING, OutboundStatus.SENDING]
    ).update(
        status=OutboundStatus.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    row = OutboundMessage.objects.filter(pk=outbound_id).first()
    if row is None:
        return ""
    if not claimed:
        return row.status
    sender = get_sender(row.channel)
    backend = f"{type(sender).__module__}.{type(sender).__qualname__}"[:200]
    try:
        receipt = sender.send(
            Outgoing(
                channel=row.channel,
                to=row.address,
                text=row.text,
                subject=row.subject,
                message_id=row.dedupe_key,
            )
        )
    except Exception as exc:  # SendError or a bug in a sender: keep the message, try later
        error = str(exc) if isinstance(exc, SendError) else f"{type(exc).__name__}: {exc}"
        OutboundMessage.objects.filter(pk=row.pk).update(
            status=OutboundStatus.PENDING,
            last_error=error[:2000],
            next_attempt_at=now + _backoff(row.attempts),
            backend=backend,
        )
        logger.warning(
            "sending outbound message %s failed (attempt %s): %s", row.pk, row.attempts, error
        )
        return OutboundStatus.PENDING
    OutboundMessage.objects.filter(pk=row.pk).update(
        status=OutboundStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        backend=backend,
        provider_id=(receipt or "")[:200],
    )
    return OutboundStatus.SENT


def retry_due(now: dt.datetime | None = None, *, limit: int = 200) -> int:
    """Try again every outbound message that is due (pending past its backoff, or stuck in
    sending past its lease); returns how many were sent. Called periodically."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.filter(
            status__in=[OutboundStatus.PENDING, OutboundStatus.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(outbound_id=pk, now=now) == OutboundStatus.SENT for pk in due)

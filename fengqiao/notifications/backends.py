"""Senders for SMS and e-mail behind one interface, chosen in settings.

``FENGQIAO_SMS_BACKEND`` and ``FENGQIAO_EMAIL_BACKEND`` name a sender class by dotted path:

- :class:`LogBackend` (the default) writes the message to the log: for development;
- :class:`HttpGatewayBackend` posts JSON to a gateway (URL, token, timeout and extra fields
  from ``FENGQIAO_SMS_GATEWAY`` / ``FENGQIAO_EMAIL_GATEWAY``): for production;
- :class:`DjangoMailBackend` sends e-mail through Django's own mail settings.

A sender returns the gateway's receipt id (may be empty) or raises :class:`SendError`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from fengqiao.core import crypto

logger = logging.getLogger(__name__)


class SendError(Exception):
    """The message could not be handed over; it will be tried again later."""


@dataclass(frozen=True)
class Outgoing:
    channel: str  # "sms" or "email"
    to: str
    text: str
    subject: str = ""
    message_id: str = ""  # stable id (the dedupe key), so a gateway can drop duplicates


class BaseSender:
    def __init__(self, channel: str, options: dict[str, Any] | None = None) -> None:
        self.channel = channel
        self.options = options or {}

    def send(self, message: Outgoing) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LogBackend(BaseSender):
    """Writes the message to the ``fengqiao.notifications`` log with the address masked."""

    def send(self, message: Outgoing) -> str:
        to = crypto.mask_phone(message.to) if message.channel == "sms" else message.to
        logger.info("[%s] to %s: %s %s", message.channel, to, message.subject, message.text)
        return ""


class HttpGatewayBackend(BaseSender):
    """POSTs ``{"channel", "to", "subject", "text", "id", **extra}`` as JSON with a bearer
    token; any 2xx answer is success (a JSON ``{"id": ...}`` becomes the receipt), anything
    else, a timeout or a refused connection is a :class:`SendError`."""

    def send(self, message: Outgoing) -> str:
        url = self.options.get("URL", "")
        if not url:
            raise SendError("gateway URL is not configured")
        extra = self.options.get("EXTRA") or {}
        if isinstance(extra, str):
            extra = json.loads(extra)
        body = {
            **extra,
            "channel": message.channel,
            "to": message.to,
            "subject": message.subject,
            "text": message.text,
            "id": message.message_id,
        }
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.options.get("TOKEN"):
            headers["Authorization"] = f"Bearer {self.options['TOKEN']}"
        request = urllib.request.Request(
            url, data=json.dumps(body, ensure_ascii=False).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(
                request, timeout=float(self.options.get("TIMEOUT", 10))
            ) as response:
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SendError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SendError(f"gateway unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            return ""
        if isinstance(answer, dict):
            if answer.get("ok") is False:
                raise SendError(f"gateway refused: {answer.get('error', '')}"[:500])
            return str(answer.get("id", ""))[:200]
        return ""


class DjangoMailBackend(BaseSender):
    """E-mail through Django's configured mail backend (``EMAIL_HOST`` and so on)."""

    def send(self, message: Outgoing) -> str:

        try:
            send_mail(message.subject, message.text, None, [message.to])
        except Exception as exc:  # any transport failure is retried later
            raise SendError(str(exc)[:500]) from exc
        return ""


def get_sender(channel: str) -> BaseSender:
    """The configured sender for a channel ("sms" or "email")."""
    name = "SMS" if channel == "sms" else "EMAIL"
    path = getattr(settings, f"FENGQIAO_{name}_BACKEND", "") or (
        "fengqiao.notifications.backends.LogBackend"
    )
    options = getattr(settings, f"FENGQIAO_{name}_GATEWAY", {}) or {}
    return import_string(path)(channel, options)

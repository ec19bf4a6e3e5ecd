"""Helpers for participation's tests and browser tests: residents, codes from the outbox,
a tiny photo."""

from __future__ import annotations

import re

from fengqiao.core import crypto
from fengqiao.notifications.models import OutboundMessage
from fengqiao.participation.models import Citizen
from fengqiao.participation.services import identity
from fengqiao.regions.models import Grid, Region

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def png(seed: bytes = b"") -> bytes:
    """A small PNG-signed file; different seeds give different photos."""
    return PNG + seed + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def citizen(phone: str, region: Region, grid: Grid | None = None, nickname: str = "") -> Citizen:
    person = identity.resident_for_phone(phone)
    return identity.set_place(resident=person, region=region, grid=grid, nickname=nickname)


def last_code(phone: str) -> str:
    """The code in the latest SMS to ``phone`` (what the citizen reads on their phone)."""
    masked = crypto.mask_phone(crypto.normalize_phone(phone))
    row = (
        OutboundMessage.objects.filter(address_masked=masked, dedupe_key__startswith="part:code:")
        .order_by("-id")
        .first()
    )
    match = re.search(r"(\d{6})", row.text if row else "")
    return match.group(1) if match else ""

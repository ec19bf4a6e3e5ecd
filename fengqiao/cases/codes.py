"""One case, one code (一案一码): ``{county}{yyyymmdd}{seq:05d}{check}``, 20 characters.

The check character is ISO 7064 MOD 11-2 over the 19 digits before it, as in the resident
ID number, so a mistyped code is refused before any lookup.
"""

from __future__ import annotations

import datetime as dt
import re

from fengqiao.cases.models import CodeSequence
from fengqiao.core import inserts
from fengqiao.core.validators import mod11_2_check

CODE_RE = re.compile(r"^\d{19}[\dX]$")
MAX_SEQUENCE = 99_999


class InvalidCode(ValueError):
    """The text is not a well-formed case code (wrong length, characters or check)."""


def make_code(county_code: str, day: dt.date, seq: int) -> str:
    if not (len(county_code) == 6 and county_code.isdigit()):
        raise ValueError(f"county code must be six digits, got {county_code!r}")
    if not 1 <= seq <= MAX_SEQUENCE:
        raise ValueError(f"sequence out of range: {seq}")
    body = f"{county_code}{day:%Y%m%d}{seq:05d}"
    return body + mod11_2_check(body)


def normalize_code(text: str) -> str:
    """Strip spaces and dashes, upper-case the check character."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def is_valid_code(text: str) -> bool:
    code = normalize_code(text)
    return bool(CODE_RE.match(code)) and mod11_2_check(code[:19]) == code[19]


def check_code(text: str) -> str:
    """Return the normalized code or raise :class:`InvalidCode`."""
    code = normalize_code(text)
    if not CODE_RE.match(code):
        raise InvalidCode("a case code has 19 digits and one check character")
    if mod11_2_check(code[:19]) != code[19]:
        raise InvalidCode("the check character does not match: the code is mistyped")
    return code


def mistyped_code(text: str) -> str | None:
    """The normalized text when it has a code's shape but its check character does not match
    (one character mistyped, or two swapped); None otherwise."""
    code = normalize_code(text)
    if CODE_RE.match(code) and mod11_2_check(code[:19]) != code[19]:
        return code
    return None


def near_codes(text: str) -> list[str]:
    """The valid codes one slip away from ``text``: one character changed, or two neighbours
    swapped. The check character catches every such slip, and the few codes it allows are
    the candidates for what was meant."""
    code = normalize_code(text)
    if len(code) != 20:
        return []
    found: set[str] = set()
    for i in range(20):
        for ch in "0123456789X" if i == 19 else "0123456789":
            if ch != code[i]:
                found.add(code[:i] + ch + code[i + 1 :])
        if i < 19 and code[i] != code[i + 1]:
            found.add(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    return sorted(c for c in found if is_valid_code(c))


def next_sequence(county_code: str, day: dt.date) -> int:
    """Take the next sequence number for a county and day.

    Must run inside the registering transaction: the counter row stays locked until commit,
    and a rollback gives the number back, so codes are unique and gap-free.
    """
    table = CodeSequence._meta.db_table
    # Rows a registration queued before taking the number go in the same round trip.
    row = inserts.fetchone(
        f"INSERT INTO {table} (county_code, day, last_value) VALUES (%s, %s, 1) "
        f"ON CONFLICT (county_code, day) DO UPDATE SET last_value = {table}.last_value + 1 "
        "RETURNING last_value",
        [county_code, day],
    )
    if row is None:  # pragma: no cover - an upsert with RETURNING always returns its row
        raise RuntimeError("the code counter returned no row")
    (value,) = row
    if value > MAX_SEQUENCE:
        raise OverflowError(f"more than {MAX_SEQUENCE} cases in {county_code} on {day}")
    return int(value)

"""Validators for Chinese identifiers: mobile numbers, resident ID numbers, case codes."""

from __future__ import annotations

import datetime as dt
import re

from fengqiao.core.crypto import normalize_id_number, normalize_phone

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{9,11}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def mod11_2_check(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character, as in the resident ID number (10 written X)."""
    p = 0
    for ch in digits:
        p = (2 * (p + int(ch))) % 11
    check = (12 - p) % 11
    return "X" if check == 10 else str(check)


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(normalize_phone(value)))


def is_phone(value: str) -> bool:
    """A Chinese mobile number or a landline with its area code."""
    digits = normalize_phone(value)
    return bool(MOBILE_RE.match(digits) or LANDLINE_RE.match(digits))


def is_resident_id(value: str) -> bool:
    """An 18-character resident ID number with a real birth date and a correct check digit."""
    value = normalize_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if birth.year < 1880 or birth > dt.date.today():  # noqa: DTZ011 - a calendar date
        return False
    return mod11_2_check(value[:17]) == value[17]


def id_birth_date(value: str) -> dt.date | None:
    value = normalize_id_number(value)
    if not is_resident_id(value):
        return None
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))

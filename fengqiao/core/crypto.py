"""Personal data at rest: encryption (Fernet) and keyed hashes for exact-match search.

Phone and ID numbers are stored encrypted; a keyed HMAC of the normalized value sits beside
them so that "every case of this phone number" is an index lookup, not a decryption scan.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(value: str) -> str:
    """Encrypt a text value; the empty string stays empty."""
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt what :func:`encrypt` produced; a corrupt token gives the empty string."""
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def normalize_phone(value: str) -> str:
    """Digits only, without a +86/0086 country prefix."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def keyed_hash(value: str, *, kind: str) -> str:
    """HMAC-SHA256 of a normalized value, hex; the empty value hashes to the empty string."""
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    return keyed_hash(normalize_phone(phone), kind="phone")


def id_number_hash(id_number: str) -> str:
    return keyed_hash(normalize_id_number(id_number), kind="id")


def mask_phone(phone: str) -> str:
    """138****5678: the first three and the last four digits."""
    digits = normalize_phone(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(id_number: str) -> str:
    """420923********123X: region prefix and the last four characters."""
    value = normalize_id_number(id_number)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """张*明 / 王*: keep the family name and, for long names, the last character."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

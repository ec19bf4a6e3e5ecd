"""What the portal keeps in the citizen's (anonymous) session.

- one-time form tokens, sent with the form as its idempotency key, so that a refresh, the back
  button or a double click never registers the same appeal twice (registration keeps the
  key with its case); the code a token produced is remembered for this browser;
- the codes whose receipt this browser may see (only right after submitting);
- the codes this browser has verified with the phone's last four digits.
"""

from __future__ import annotations

import secrets

from django.contrib.sessions.backends.base import SessionBase

TOKENS = "portal_tokens"
DONE = "portal_done"
RECEIPTS = "portal_receipts"
VERIFIED = "portal_verified"
KEEP = 10


def _keep_last(items: list, n: int = KEEP) -> list:
    return items[-n:]


def issue_token(session: SessionBase) -> str:
    token = secrets.token_urlsafe(18)
    session[TOKENS] = _keep_last([*session.get(TOKENS, []), token])
    return token


def is_issued(session: SessionBase, token: str) -> bool:
    return bool(token) and token in session.get(TOKENS, [])


def code_for_token(session: SessionBase, token: str) -> str | None:
    """The case code a token already produced in this session."""
    if not token:
        return None
    return session.get(DONE, {}).get(token) or None


def remember_submission(
    session: SessionBase, *, token: str, code: str, phone_last4: str, center_name: str = ""
) -> None:
    if token:
        done = dict(list(session.get(DONE, {}).items())[-KEEP:])
        done[token] = code
        session[DONE] = done
        session[TOKENS] = [t for t in session.get(TOKENS, []) if t != token]
    receipts = dict(list(session.get(RECEIPTS, {}).items())[-KEEP:])
    receipts[code] = center_name or receipts.get(code, "")
    session[RECEIPTS] = receipts
    verify(session, code=code, phone_last4=phone_last4)


def receipt(session: SessionBase, code: str) -> dict | None:
    """What this browser may see of the receipt of ``code`` (only right after submitting)."""
    receipts = session.get(RECEIPTS, {})
    if code not in receipts:
        return None
    return {"code": code, "center_name": receipts[code]}


def verify(session: SessionBase, *, code: str, phone_last4: str) -> None:
    verified = dict(list(session.get(VERIFIED, {}).items())[-KEEP:])
    verified[code] = phone_last4
    session[VERIFIED] = verified


def verified_last4(session: SessionBase, code: str) -> str | None:
    return session.get(VERIFIED, {}).get(code)


def forget(session: SessionBase, code: str) -> None:
    verified = dict(session.get(VERIFIED, {}))
    if verified.pop(code, None) is not None:
        session[VERIFIED] = verified

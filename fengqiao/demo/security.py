"""The demo's security auditor (安全审计员, 三员分立): ``shenji`` reviews the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from fengqiao.demo.organization import DemoOrg, _ensure_user
from fengqiao.org.choices import Role

AUDITOR = ("shenji", "林审计")


def build(org: DemoOrg, *, log: Callable[[str], None]) -> None:
    """Idempotent: the auditor and his role at the county center, made once."""
    username, name = AUDITOR
    org.users[username] = _ensure_user(username, name, org.county_center, Role.AUDITOR)
    log(f"  security auditor: {username}")

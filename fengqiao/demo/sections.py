"""The demo's sections beyond the case loop (grids, mediation, centers …), in the order
``load_demo`` builds them after the organization and the cases.

Each section is a module of this app, ``fengqiao/demo/<area>.py``, with a function
``build(org: DemoOrg, *, log: Callable[[str], None]) -> None`` that writes through the
area's services, is idempotent (a second run adds nothing) and can be interrupted and run
again. Add a section by adding its module to :data:`SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from fengqiao.demo.organization import DemoOrg

Log = Callable[[str], None]

# (title for the progress line, module under fengqiao.demo)
SECTIONS: list[tuple[str, str]] = [
    ("grids (boundaries, grids, grid workers, field reports, base data)", "grid"),
    ("mediation (directory, rooms, sessions, agreements, packages, transfers)", "mediation"),
    ("participation (clues, points, deliberation, notices, 普法, 平安创建)", "participation"),
    ("integrations (partners, transfers, signals, webhooks, cameras, an import)", "integrations"),
    ("analytics (populations, 平安稳定指数, early warnings)", "analytics"),
    ("security (the security auditor)", "security"),
    ("centers (standardization, staff, residency, duty, meetings, plans, assessment)", "centers"),
]


def build_all(org: DemoOrg, *, log: Log) -> None:
    """Build every section in order, saying which one runs."""
    for title, module in SECTIONS:
        log(f"Building {title} ...")
        import_module(f"fengqiao.demo.{module}").build(org, log=log)

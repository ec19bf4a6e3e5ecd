"""The demo's grid base data, key populations and campaign (steps of the grid section)."""

from __future__ import annotations

from collections.abc import Callable

STEPS: list[Callable[..., None]] = []

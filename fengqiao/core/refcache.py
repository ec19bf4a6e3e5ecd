"""A per-process cache of reference rows and configuration (categories, regions, centers,
routing rules and weights), so that the hot paths — registering and routing a case — do not
read tables that change a few times a year on every request.

A change saved in this process clears the cache at once (the apps connect :func:`invalidate`
to their models' save and delete signals); other processes pick it up within
``TTL_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

TTL_SECONDS = 10.0

_lock = threading.Lock()
_values: dict[str, tuple[float, Any]] = {}


def cached[T](name: str, loader: Callable[[], T]) -> T:
    """The cached value of ``name``, loaded again when missing or older than the TTL."""
    now = time.monotonic()
    hit = _values.get(name)
    if hit is not None and now - hit[0] < TTL_SECONDS:
        return hit[1]
    value = loader()
    with _lock:
        _values[name] = (now, value)
    return value


def invalidate(*_args: Any, **_kwargs: Any) -> None:
    """Forget everything (usable as a signal receiver)."""
    with _lock:
        _values.clear()

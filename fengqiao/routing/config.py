"""A per-process cache of routing configuration (rules, risk words, weights, scheme, base
risks, the active model's version) and of the reference rows routing looks up (categories by
code, the centers above a region), so that classifying, grading and tiering a case do not
read those tables every time.

A change saved in this process (admin, services) clears the cache at once (see
``RoutingConfig.ready``); other processes pick it up within ``TTL_SECONDS``.
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

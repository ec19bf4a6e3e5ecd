"""Routing's configuration (rules, risk words, weights, scheme, base risks, the active
model's version) and the reference rows it looks up (categories by code, the centers above a
region) are read through the per-process cache of :mod:`fengqiao.core.refcache`; routing's
app config clears it when any of them is saved (see ``RoutingConfig.ready``)."""

from __future__ import annotations

from fengqiao.core.refcache import TTL_SECONDS, cached, invalidate

__all__ = ["TTL_SECONDS", "cached", "invalidate"]

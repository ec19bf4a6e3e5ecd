"""The staff layout's main navigation, as entries that each app registers for its own pages.

An app adds its section in its ``AppConfig.ready()``::

    nav.register(nav.NavItem(key="grid", label=_("网格管理"), url_name="grid:home",
                             order=40, visible=grid_selectors.may_use_grid))

and the layout (``workbench/base.html``) shows the entries whose ``visible(user)`` is true,
in ``order``, marking the current one by the URL namespace of the page being shown. Core
knows nothing of the apps: they call down into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    key: str  # unique; the URL namespace that marks the entry as current, unless ``current``
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] | None = None  # (user) -> bool; None: every staff user
    current: tuple[str, ...] = ()  # URL namespaces (app names) that mark it current


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add or replace the entry with this key (registering twice is harmless)."""
    _registry[item.key] = item


def registered() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda i: (i.order, i.key))


def entries_for(user: Any, app_name: str = "") -> list[dict[str, Any]]:
    """The entries this user sees, with their URLs and whether each is the current page's."""
    out = []
    for item in registered():
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        names = item.current or (item.key,)
        out.append({"key": item.key, "label": item.label, "url": url, "current": app_name in names})
    return out

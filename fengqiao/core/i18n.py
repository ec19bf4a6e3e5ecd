"""Names of reference data in the active language.

Reference rows (categories, supervision grades…) keep their Chinese name in ``name`` and may
have an English one in ``name_en``. The interface shows the English name when the active
language is English and the row has one; failing that, the catalogue's translation of the
Chinese name (the defaults' names are in the catalogues), or else the Chinese name itself.
"""

from __future__ import annotations

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


def pick_name(name: str, name_en: str = "") -> str:
    """The name to show in the active language (see the module's docstring)."""
    if not english_active():
        return name
    if name_en:
        return name_en
    return translation.gettext(name) if name else name

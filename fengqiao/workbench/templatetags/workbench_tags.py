from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop

from fengqiao.cases.choices import RiskLevel, Status
from fengqiao.cases.models import Category
from fengqiao.core import nav, refcache
from fengqiao.core.i18n import pick_name
from fengqiao.routing.choices import RiskFactor
from fengqiao.routing.risk import active_scheme
from fengqiao.workbench.views.common import page_context

register = template.Library()

# Names of the levels of the other default risk schemes (routing.defaults), so that the
# English catalogue has them; an admin's own level names show as they are typed.
RISK_LEVEL_NAMES = (gettext_noop("橙色"), gettext_noop("绿色"), gettext_noop("蓝色"),
                    gettext_noop("黄色"), gettext_noop("红色"))  # fmt: skip


@register.filter
def status_label(value: str) -> str:
    """The display name of a status code ('' stays '')."""
    try:
        return str(Status(value).label) if value else ""
    except ValueError:
        return value


@register.filter
def risk_label(code: str) -> str:
    """The name of a risk level: translated for the default levels, else the scheme's."""
    if code in RiskLevel.values:
        return str(RiskLevel(code).label)
    info = active_scheme().get(code)
    return pick_name(info.label) if info else code


def _english_category_names() -> dict[str, str]:
    return dict(Category.objects.exclude(name_en="").values_list("name", "name_en"))


@register.filter
def category_label(name: str) -> str:
    """A category's name as a case's history recorded it, in the active language."""
    if not name:
        return name
    return pick_name(
        name, refcache.cached("category-names-en", _english_category_names).get(name, "")
    )


@register.filter
def display_name(obj: Any) -> str:
    """A reference row's name in the active language (its ``display_name``), or the text."""
    if obj is None or obj == "":
        return ""
    value = getattr(obj, "display_name", None)
    return str(value) if value is not None else pick_name(str(obj))


def _factor_label(code: str) -> str | None:
    return str(RiskFactor(code).label) if code in RiskFactor.values else None


@register.filter
def factor_text(factor: Any) -> str:
    """A risk factor as routing stores it: a dict with a code/label and weight, or text."""
    if isinstance(factor, dict):
        label = (
            _factor_label(str(factor.get("code", "")))
            or factor.get("label")
            or factor.get("name")
            or factor.get("code")
            or ""
        )
        weight = factor.get("weight") or factor.get("score")
        return f"{label} (+{weight})" if weight else str(label)
    return str(factor)


@register.simple_tag(takes_context=True)
def nav_context(context) -> dict:
    """What the layout shows around every page (roles, unread count, links), computed here
    when a page of another app extends the layout without the workbench's page context."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {}
    if "memberships" in context:
        out = {
            key: context.get(key)
            for key in ("membership", "memberships", "can_manage", "unread_count", "has_inbox",
                        "has_tokens", "can_supervision")
        }  # fmt: skip
    else:
        out = page_context(request)
    match = getattr(request, "resolver_match", None)
    out["sections"] = nav.entries_for(user, match.app_name if match else "")
    return out


@register.simple_tag
def optional_url(name: str) -> str:
    """The URL of a page another app may provide, or '' when it does not exist."""

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""

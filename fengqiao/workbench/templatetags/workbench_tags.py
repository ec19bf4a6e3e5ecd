from __future__ import annotations

from typing import Any

from django import template

from fengqiao.cases.choices import RiskLevel, Status
from fengqiao.core import nav

register = template.Library()


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
    try:
        from fengqiao.routing.risk import active_scheme

        info = active_scheme().get(code)
        return info.label if info else code
    except ImportError:
        return code


def _factor_label(code: str) -> str | None:
    try:
        from fengqiao.routing.choices import RiskFactor
    except ImportError:
        return None
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
        from fengqiao.workbench.views.common import page_context

        out = page_context(request)
    match = getattr(request, "resolver_match", None)
    out["sections"] = nav.entries_for(user, match.app_name if match else "")
    return out


@register.simple_tag
def optional_url(name: str) -> str:
    """The URL of a page another app may provide, or '' when it does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""

"""Template tags of mediation: the section a case's staff page shows (the workbench includes
it with one tag), and small lookups."""

from __future__ import annotations

from typing import Any

from django import template

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case
from fengqiao.mediation import forms, selectors

register = template.Library()


@register.simple_tag
def rating_of(ratings: dict, pk: int) -> Any:
    return (ratings or {}).get(pk)


@register.inclusion_tag("mediation/_case_section.html", takes_context=True)
def mediation_case_section(context: dict, case: Case) -> dict[str, Any]:
    """The mediation of a case on its workbench page: who was picked, the sessions, a link
    to the mediation page, and 点单 at the window for an open case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    cm = selectors.case_mediation(case)
    may_request = case.status in (Status.REGISTERED, Status.MEDIATING) and (
        user.is_superuser or bool(selectors.WINDOW_ROLES & set(selectors.roles_on(user, case)))
    )
    return {
        "show": True,
        "case": case,
        "cm": cm,
        "may_request": may_request,
        "form": forms.RequestForm(candidates=selectors.candidates_for(case))
        if may_request
        else None,
        "csrf_token": context.get("csrf_token"),
    }

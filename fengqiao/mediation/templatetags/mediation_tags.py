"""Template tags of mediation: the section a case's staff page shows (the workbench includes
it with one tag), and small lookups."""

from __future__ import annotations

from typing import Any

from django import template

from fengqiao.cases.models import Case
from fengqiao.core import crypto
from fengqiao.mediation import selectors
from fengqiao.org.models import Unit

register = template.Library()


@register.simple_tag
def rating_of(ratings: dict, pk: int) -> Any:
    return (ratings or {}).get(pk)


@register.inclusion_tag("mediation/_case_section.html")
def mediation_case_section(case: Case) -> dict[str, Any]:
    """The mediation of a case on its workbench page. The page pays no query for it: the
    section loads itself (htmx) from :func:`fengqiao.mediation.views.case_section`, and is
    a plain link without JavaScript."""
    return {"case": case}


@register.inclusion_tag("mediation/public/_submission_picker.html", takes_context=True)
def mediation_submission_picker(context: dict, center: Unit | None = None) -> dict[str, Any]:
    """点单 in the portal's submission form: an optional choice among the published entries
    of the QR code's center (and the centers above and below it), else of county centers."""
    request = context.get("request")
    chosen = request.POST.get("mediator", "") if request is not None else ""
    return {"entries": selectors.submission_choices(center), "chosen": chosen}


@register.filter
def masked(name: str) -> str:
    """A person's name as staff pages show it (张*), like the workbench's parties."""
    return crypto.mask_name(name or "")

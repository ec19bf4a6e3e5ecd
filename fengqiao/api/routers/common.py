"""Helpers the routers share: response codes, output builders."""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Model

from fengqiao.api.errors import ErrorOut
from fengqiao.cases.models import Case
from fengqiao.cases.qr import tracking_url
from fengqiao.cases.selectors import allowed_transitions
from fengqiao.org.models import Unit, User
from fengqiao.supervision.models import SupervisionOrder, SupervisionReply

# The error statuses every operation may answer with, all in the same shape.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429})
ERRORS: dict[Any, Any] = {ERROR_STATUSES: ErrorOut}


@functools.cache
def _choices(model: type[Model], field: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(field).flatchoices)


def label(obj: Model, field: str) -> str:
    """What ``obj.get_<field>_display()`` gives (in the active language), from a map built
    once per field: Django's builds one of every choice on each call."""
    value = getattr(obj, field)
    return str(_choices(type(obj), field).get(value, value))


def unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def case_item(case: Case) -> dict[str, Any]:
    return {
        "code": case.code,
        "title": case.title,
        "status": case.status,
        "status_label": label(case, "status"),
        "kind": case.kind,
        "channel": case.channel,
        "category": (
            {
                "code": case.category.code,
                "name": case.category.name,
                "label": case.category.display_name,
            }
            if case.category_id
            else None
        ),
        "region": {"code": case.region.code, "name": case.region.name},
        "center": unit_ref(case.center),
        "lead_unit": unit_ref(case.lead_unit) if case.lead_unit_id else None,
        "risk_level": case.risk_level,
        "registered_at": case.registered_at,
        "deadline": case.deadline,
        "is_overdue": case.is_overdue,
        "version": case.version,
    }


def case_detail(case: Case, user: User) -> dict[str, Any]:
    out = case_item(case)
    out.update(
        description=case.description,
        address=case.address,
        latitude=float(case.latitude) if case.latitude is not None else None,
        longitude=float(case.longitude) if case.longitude is not None else None,
        grid=case.grid.code if case.grid_id else None,
        people_count=case.people_count,
        risk_score=case.risk_score,
        tier_level=case.tier_level,
        sign_deadline=case.sign_deadline,
        dispatched_at=case.dispatched_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        result=case.result,
        public_result=case.public_result,
        satisfaction=case.satisfaction,
        tracking_url=tracking_url(case.code),
        parties=[
            {
                "role": p.role,
                "role_label": label(p, "role"),
                "kind": p.kind,
                "masked_name": p.masked_name,
                "masked_phone": p.masked_phone,
                "masked_id_number": p.masked_id_number,
                "is_elderly": p.is_elderly,
                "is_minor": p.is_minor,
                "is_disabled": p.is_disabled,
            }
            for p in case.parties.all()
        ],
        assignments=[
            {
                "unit": unit_ref(a.unit),
                "role": a.role,
                "role_label": label(a, "role"),
                "status": a.status,
                "status_label": label(a, "status"),
                "assigned_at": a.assigned_at,
                "signed_at": a.signed_at,
                "reported_at": a.reported_at,
            }
            for a in case.assignments.all()
        ],
        allowed_actions=[
            {
                "action": str(t.action.value),
                "label": str(t.action.label),
                "requires": sorted(str(r) for r in t.requires),
            }
            for t, _m in allowed_transitions(user, case)
        ],
    )
    return out


def reply_out(reply: SupervisionReply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "unit": unit_ref(reply.unit) if reply.unit_id else None,
        "author_label": str(reply.author) if reply.author_id else "",
        "text": reply.text,
        "created_at": reply.created_at,
    }


def order_out(order: SupervisionOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "case": order.case.code,
        "grade": order.grade,
        "grade_label": label(order, "grade"),
        "requirement": order.requirement,
        "unit": unit_ref(order.unit) if order.unit_id else None,
        "reply_deadline": order.reply_deadline,
        "status": order.status,
        "status_label": label(order, "status"),
        "is_automatic": order.is_automatic,
        "issued_at": order.issued_at,
        "closed_at": order.closed_at,
        "replies": [reply_out(r) for r in order.replies.all()],
    }

"""What every staff page shares: the layout's context, the login and role checks, the case
in scope."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fengqiao.api.selectors import may_hold_tokens
from fengqiao.cases.models import Case
from fengqiao.notifications.selectors import unread_count
from fengqiao.org.selectors import active_memberships, may_manage, membership_of
from fengqiao.supervision.selectors import may_see_supervision
from fengqiao.workbench import selectors as sel


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What every staff page shows: the roles to switch between, the unread count."""
    membership = membership_of(request)
    memberships = active_memberships(request.user)
    return {
        "membership": membership,
        "memberships": memberships,
        "can_manage": may_manage(request.user),
        "unread_count": unread_count(request.user),
        "has_inbox": True,
        "has_tokens": may_hold_tokens(request.user),
        "can_supervision": may_see_supervision(request.user, membership),
        **extra,
    }


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_manage(request.user):
            return render(
                request,
                "workbench/error.html",
                page_context(
                    request,
                    title=_("无权访问"),
                    message=_("只有中心主任和系统管理员可以访问此页面。"),
                ),
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/error.html",
        page_context(
            request,
            title=_("未找到案件"),
            message=_("案件不存在，或不在您当前角色的查看范围内。"),
        ),
        status=404,
    )


def case_in_scope(request: HttpRequest, code: str) -> Case | None:
    membership = membership_of(request)
    return (
        sel.scoped_cases(request.user, membership)
        .select_related(
            "category__parent",
            "region",
            "center",
            "lead_unit",
            "first_unit",
            "grid",
            "routing__category__parent",
        )
        .filter(code=code.strip().upper())
        .first()
    )


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1

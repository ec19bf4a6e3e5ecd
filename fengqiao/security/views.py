"""Staff pages of security: the audit trail's review and search, the second factor."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fengqiao.security import audit, otp
from fengqiao.security.middleware import OTP_KEY
from fengqiao.security.models import AuditKind
from fengqiao.security.selectors import AuditFilter, audit_scope, may_review_audit, search_audit

PAGE_SIZE = 50


def _text(request: HttpRequest, name: str, limit: int = 150) -> str:
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:limit]


def _date(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_text(request, name, 10))
    except ValueError:
        return None


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("workbench:home")


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    if not may_review_audit(request.user):
        return render(
            request,
            "workbench/error.html",
            {
                "title": _("无权访问"),
                "message": _("只有安全审计员、中心主任和系统管理员可以查看审计记录。"),
            },
            status=403,
        )
    kind = _text(request, "kind", 24)
    f = AuditFilter(
        kind=kind if kind in AuditKind.values else "",
        actor=_text(request, "actor"),
        target=_text(request, "target", 64),
        address=_text(request, "address", 45),
        since=_date(request, "since"),
        until=_date(request, "until"),
    )
    page = Paginator(search_audit(audit_scope(request.user), f), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    chain = audit.verify() if request.GET.get("verify") else None
    return render(
        request,
        "security/audit.html",
        {"page": page, "filter": f, "kinds": AuditKind.choices, "chain": chain},
    )


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Enter the code of the authenticator app; set one up first if the user has none."""
    user = request.user
    has_device = otp.user_has_device(user, confirmed=True)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "")
        done = (
            otp.verify(request=request, user=user, token=token)
            if has_device
            else otp.confirm_device(request=request, user=user, token=token)
        )
        if done:
            request.session[OTP_KEY] = True
            return redirect(_next(request))
        error = _("动态口令不正确或已过期，请重新输入。")
    context = {"has_device": has_device, "error": error, "next": _next(request)}
    if not has_device:
        device = otp.pending_device(user)
        context |= {"secret": otp.secret_of(device), "qr": otp.qr_data_uri(device)}
    return render(request, "security/otp.html", context, status=400 if error else 200)

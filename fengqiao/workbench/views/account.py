"""The inbox and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fengqiao.api import services as api_services
from fengqiao.api.models import ApiToken
from fengqiao.api.selectors import may_hold_tokens
from fengqiao.core.errors import DomainError
from fengqiao.notifications import selectors as note_selectors
from fengqiao.notifications import services as note_services
from fengqiao.workbench.views.common import page_context, staff_required


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        note_services.mark_read(request.user, ids or None)
        messages.success(request, _("已标记为已读。"))
        return redirect("workbench:inbox")
    unread_only = request.GET.get("unread") == "1"
    rows = list(note_selectors.inbox(request.user, unread_only=unread_only)[:100])
    return render(
        request,
        "workbench/inbox.html",
        page_context(request, rows=rows, unread_only=unread_only),
    )


@staff_required
def tokens(request: HttpRequest) -> HttpResponse:
    if not may_hold_tokens(request.user):
        return render(
            request,
            "workbench/error.html",
            page_context(
                request,
                title=_("无权访问"),
                message=_("当前角色不使用接口令牌。"),
            ),
            status=403,
        )
    issued = None
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                api_services.revoke_token(user=request.user, token_id=int(request.POST["revoke"]))
                messages.success(request, _("令牌已吊销。"))
                return redirect("workbench:tokens")
            issued = api_services.create_token(user=request.user, name=request.POST.get("name", ""))
        except (DomainError, ValueError) as exc:
            error = str(getattr(exc, "message", exc))
    rows = list(ApiToken.objects.filter(user=request.user).order_by("-created_at")[:100])
    return render(
        request,
        "workbench/tokens.html",
        page_context(request, rows=rows, issued=issued, error=error),
        status=400 if error else 200,
    )

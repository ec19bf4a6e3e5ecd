"""Signing in and out, the password, switching role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fengqiao.core.errors import DomainError
from fengqiao.org.selectors import SESSION_KEY, active_memberships
from fengqiao.workbench import services
from fengqiao.workbench.forms import LoginForm
from fengqiao.workbench.views.common import page_context, safe_next, staff_required


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_with_lockout(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            login(request, user)
            request.session.pop(SESSION_KEY, None)
            return redirect(safe_next(request, reverse("workbench:home")))
    return render(
        request,
        "workbench/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("workbench:login")


@staff_required
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("workbench:home")
    return render(request, "workbench/password.html", page_context(request, form=form))


@staff_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    if any(m.id == wanted for m in active_memberships(request.user)):
        request.session[SESSION_KEY] = wanted
    return redirect(safe_next(request, reverse("workbench:home")))

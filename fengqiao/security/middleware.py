"""Per-request session controls for signed-in staff: idle timeout, the second factor,
password expiry, and ``Cache-Control: no-store`` on every staff page.

What each check needs is kept in the session, so that a request of a user in good standing
costs no query here (the second-factor and password states are read once per session and
again only when the password hash changes).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fengqiao.security import audit, otp, passwords
from fengqiao.security.models import AuditKind

SEEN_KEY = "_fq_seen"
OTP_KEY = "_fq_2fa"
PASSWORD_KEY = "_fq_pw"
TOUCH_SECONDS = 60  # the last-seen time is rewritten at most once a minute
PUBLIC_PREFIXES = ("/static/", "/media/", "/i18n/", "/p/", "/favicon")
OPEN_PATHS = ("/login/", "/logout/", "/security/otp/", "/admin/login/", "/admin/logout/")


def idle_seconds() -> int:
    return int(getattr(settings, "FENGQIAO_SESSION_IDLE_MINUTES", 30) or 0) * 60


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _refuse(request: HttpRequest, code: str, message: str, to: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": code, "message": message}, status=401)
    messages.warning(request, message)
    return redirect(f"{to}?{urlencode({'next': request.get_full_path()})}")


def _bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer ")


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        staff = (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(PUBLIC_PREFIXES)
            and not _bearer(request)
        )
        response = self._guard(request, user) if staff else None
        if response is None:
            response = self.get_response(request)
        if staff and "Cache-Control" not in response:
            # Staff pages show personal data: no copy in any browser or proxy cache.
            response["Cache-Control"] = "no-store"
        return response

    def _guard(self, request: HttpRequest, user) -> HttpResponse | None:
        expired = self._idle(request, user)
        if expired is not None:
            return expired
        if request.path.startswith(OPEN_PATHS):
            return None
        if self._needs_otp(request, user):
            return _refuse(
                request, "otp_required", _("请先完成动态口令验证。"), reverse("security:otp")
            )
        password_page = reverse("workbench:password")
        if (
            not _is_api(request)
            and request.path != password_page
            and self._password_expired(request, user)
        ):
            messages.warning(request, _("您的密码已过期，请先修改密码。"))
            return redirect(password_page)
        return None

    def _idle(self, request: HttpRequest, user) -> HttpResponse | None:
        limit = idle_seconds()
        now = int(time.time())
        last = request.session.get(SEEN_KEY)
        if limit and last is not None and now - last > limit:
            audit.record(AuditKind.SESSION_EXPIRED, actor=user, request=request)
            logout(request)
            return _refuse(
                request,
                "session_expired",
                _("您已长时间未操作，请重新登录。"),
                reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL,
            )
        if last is None or now - last >= TOUCH_SECONDS:
            request.session[SEEN_KEY] = now
        return None

    def _needs_otp(self, request: HttpRequest, user) -> bool:
        if getattr(user, "is_verified", None) is not None and user.is_verified():
            return False
        needed = request.session.get(OTP_KEY)
        if needed is None:
            needed = otp.needs_second_factor(user)
            request.session[OTP_KEY] = needed
        return bool(needed)

    def _password_expired(self, request: HttpRequest, user) -> bool:
        if not passwords.max_age_days():
            return False
        tag = user.password[-16:]
        state = request.session.get(PASSWORD_KEY)
        if not state or state[0] != tag:
            state = [tag, passwords.password_expired(user)]
            request.session[PASSWORD_KEY] = state
        return bool(state[1])

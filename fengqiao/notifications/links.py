"""Absolute links to the citizen-facing site: receipts, QR codes, posters and SMS texts.

Where the address (scheme and host) comes from, the first that applies:

1. ``FENGQIAO_PUBLIC_URL`` (``settings.PUBLIC_BASE_URL``) when it is set, always.
2. The request being served: its scheme and host (Django has already checked the host
   against ``ALLOWED_HOSTS``). :class:`PublicOriginMiddleware` keeps it in a context variable
   for the length of the request, so that code far from the view (``cases.qr.tracking_url``,
   an API schema, an SMS built by an after-commit handler) needs no request argument.
3. Outside a request — the task worker building the SMS for a case event, a management
   command — the address of the last write (POST and the like) by a person: a citizen on a
   page under ``/p/`` or a signed-in staff member, stored in
   :class:`~fengqiao.notifications.models.PublicOrigin`. Every case event (the SMS's cause)
   is written by such a request, and the middleware stores the address *before* the view
   runs, so it is stored before the event, and the worker task that builds the SMS from it,
   are committed: the SMS carries the address that the receipt printed or shown after that
   same request carries. A process stores an address once, again only when it changes or
   :data:`REFRESH_SECONDS` have passed: no query on reads, none on most writes.
4. Nothing seen yet (a fresh database, no request): :data:`FALLBACK_URL`.

Reads and requests of no person (health probes, anonymous or token API calls) are not
stored, so that a load balancer's ``http://127.0.0.1`` probe never becomes the address in an
SMS. A site reached at
two addresses (an intranet name for staff, a public one for citizens) should set
``FENGQIAO_PUBLIC_URL``; without it every link follows the address its reader's request used.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fengqiao.notifications.models import PublicOrigin

logger = logging.getLogger(__name__)

FALLBACK_URL = "http://127.0.0.1:8000"
PORTAL_PREFIX = "/p/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SITE_KEY = "site"
# A process re-stores an address it already stored once this many seconds have passed, so
# that the row follows the latest address even when several processes see different ones.
REFRESH_SECONDS = 300
MAX_ORIGIN_LENGTH = 300

_request_origin: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "fengqiao_request_origin", default=None
)
_stored: dict[str, float] = {}  # origin -> time.monotonic() it was last stored, this process


def configured_base_url() -> str:
    """``FENGQIAO_PUBLIC_URL`` without its trailing slash, or "" when it is not set."""
    return (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")


def request_origin(request: HttpRequest) -> str | None:
    """``scheme://host[:port]`` of the request, or None for a host Django refuses."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    origin = f"{request.scheme}://{host}"
    return origin if len(origin) <= MAX_ORIGIN_LENGTH else None


def stored_origin() -> str | None:
    """The address last stored from a person's request, if any."""
    return PublicOrigin.objects.filter(key=SITE_KEY).values_list("origin", flat=True).first()


def public_base_url(request: HttpRequest | None = None) -> str:
    """The citizen-facing address, without a trailing slash (see the module's rule)."""
    configured = configured_base_url()
    if configured:
        return configured
    origin = request_origin(request) if request is not None else _request_origin.get()
    return origin or stored_origin() or FALLBACK_URL


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute link to ``path`` (which starts with "/") on the citizen-facing site."""
    return public_base_url(request) + path


def remember_origin(origin: str) -> None:
    """Store ``origin`` as the site's address (once per process until it changes or
    :data:`REFRESH_SECONDS` pass); a database error is logged, never raised."""
    now = time.monotonic()
    last = _stored.get(origin)
    if last is not None and now - last < REFRESH_SECONDS:
        return
    try:
        with transaction.atomic():
            updated = PublicOrigin.objects.filter(key=SITE_KEY).update(
                origin=origin, seen_at=timezone.now()
            )
            if not updated:
                PublicOrigin.objects.create(key=SITE_KEY, origin=origin, seen_at=timezone.now())
    except DatabaseError:
        logger.warning("could not store the public origin %s", origin, exc_info=True)
        return
    _stored.clear()
    _stored[origin] = now


def forget_stored() -> None:
    """Forget what this process stored (tests whose database was rolled back)."""
    _stored.clear()


def _is_persons_write(request: HttpRequest) -> bool:
    if request.method in SAFE_METHODS:
        return False
    if request.path.startswith(PORTAL_PREFIX):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PublicOriginMiddleware:
    """Make the request's address the one links are built with, and store it for the task
    worker when the request is a person's. Goes after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request_origin(request)
        if origin and not configured_base_url() and _is_persons_write(request):
            remember_origin(origin)
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)

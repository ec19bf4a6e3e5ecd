"""The second factor: TOTP devices of django-otp, set up and checked on our own pages."""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from fengqiao.org.models import User
from fengqiao.security import audit
from fengqiao.security.models import AuditKind
from fengqiao.security.selectors import otp_required

DEVICE_NAME = "fengqiao-totp"
ISSUER = "Fengqiao"


def needs_second_factor(user: User) -> bool:
    """Whether this signed-in user must pass a TOTP check before working."""
    return otp_required(user) or user_has_device(user, confirmed=True)


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed device (made on first call), to be confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, as an authenticator app asks for it."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def _clean(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())[:8]


@transaction.atomic
def confirm_device(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirm the pending device with a code from the app; the session is then verified."""
    device = pending_device(user)
    if not device.verify_token(_clean(token)):
        audit.record(AuditKind.OTP_FAILED, actor=user, request=request, detail={"setup": True})
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    audit.record(AuditKind.OTP_ENROLLED, actor=user, request=request)
    return True


def verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Check a code against the user's confirmed devices (django-otp throttles failures)."""
    token = _clean(token)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if token and device.verify_token(token):
            otp_login(request, device)
            audit.record(AuditKind.OTP_OK, actor=user, request=request)
            return True
    audit.record(AuditKind.OTP_FAILED, actor=user, request=request)
    return False

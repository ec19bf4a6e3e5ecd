"""QR codes for one case (一案一码): they open the public tracking page of the portal."""

from __future__ import annotations

import io

import segno
from django.http import HttpRequest

# The lowest app that remembers the site's public address (it imports no domain app).
from fengqiao.notifications.links import public_url


def tracking_url(case_code: str, request: HttpRequest | None = None) -> str:
    """The public page where a citizen follows this case: on ``FENGQIAO_PUBLIC_URL`` when
    set, else on the address of the request being served (or of ``request``), else — in the
    task worker — on the address last seen on a request (``notifications.links``)."""
    return public_url(f"/p/track/{case_code}/", request)


def _qr(text: str) -> segno.QRCode:
    return segno.make_qr(text, error="m")


def qr_svg(text: str, *, scale: int = 4) -> str:
    """An SVG image (as text) of a QR code for ``text``."""
    out = io.BytesIO()
    _qr(text).save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=None)
    return out.getvalue().decode("utf-8")


def qr_png(text: str, *, scale: int = 8) -> bytes:
    """A PNG image of a QR code for ``text``."""
    out = io.BytesIO()
    _qr(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()

"""Citizen pages: submit an appeal, see the receipt, track a case, rate it, print a poster.

Thin views: parse the request, call a service or a selector, map a DomainError to a message,
render. No account: the phone number (its last four digits) verifies the citizen.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.cases import qr, tracking
from fengqiao.cases.codes import normalize_code
from fengqiao.core.crypto import normalize_phone
from fengqiao.core.errors import DomainError, ValidationFailed
from fengqiao.intake.services import MAX_ATTACHMENTS
from fengqiao.mediation import services as mediation_services
from fengqiao.notifications import links
from fengqiao.org.models import Unit
from fengqiao.org.region_picker import region_picker
from fengqiao.portal import selectors, services, session_state
from fengqiao.portal.forms import (
    SATISFACTION_LABELS,
    STATUS_LABELS,
    AppealForm,
    RatingForm,
    TrackForm,
)
from fengqiao.regions.models import Level

FIELD_ERRORS = {"phone": "phone", "region": "region", "file": "attachments"}


def _scalable_svg(svg: str) -> str:
    """Give the QR code's SVG a viewBox, so that CSS can size it (print, small screens)."""
    match = re.search(r'<svg[^>]*?width="(\d+)" height="(\d+)"', svg)
    if match and "viewBox" not in svg[: match.end()]:
        w, h = match.groups()
        svg = svg.replace("<svg ", f'<svg viewBox="0 0 {w} {h}" ', 1)
    return svg


def _client_ip(request: HttpRequest) -> str:
    """The citizen's address for throttling (the proxy's last X-Forwarded-For behind TLS)."""
    return tracking.client_address(request.META)


def _poster_url(request: HttpRequest, center: Unit) -> str:
    return links.public_url(f"{reverse('portal:home')}?center={center.pk}", request)


def _not_found(request: HttpRequest, title: str, text: str) -> HttpResponse:
    return render(request, "portal/not_found.html", {"title": title, "text": text}, status=404)


# --- submitting ----------------------------------------------------------------------------


def _render_form(
    request: HttpRequest,
    *,
    form: AppealForm,
    center: Unit | None,
    via_qr: bool,
    values: dict[str, str],
    region_error: str = "",
    top_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "center": center,
        "via_qr": via_qr,
        "picker": region_picker(values, center),
        "region_error": region_error,
        "top_error": top_error,
        "form_token": session_state.issue_token(request.session),
        "max_attachments": MAX_ATTACHMENTS,
    }
    return render(request, "portal/home.html", context, status=status)


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what the portal is for, and the appeal form."""
    if request.method == "GET":
        raw_center = request.GET.get("center")
        center = selectors.active_center(raw_center)
        if raw_center and center is None:
            messages.warning(
                request,
                _("二维码对应的综治中心不存在或已停用，您仍可以在下面选择地点提交诉求。"),
            )
        return _render_form(
            request, form=AppealForm(), center=center, via_qr=center is not None, values={}
        )
    return _submit(request)


def _submit(request: HttpRequest) -> HttpResponse:
    post = request.POST
    center = selectors.active_center(post.get("center"))
    via_qr = center is not None and post.get("via_qr") == "1"
    values = {k: post.get(k, "") for k in ("county", "township", "village")}
    token = post.get("form_token", "")

    if "refresh" in post:  # no-JavaScript region picker: reload the options below
        form = AppealForm(initial=post.dict())
        return _render_form(request, form=form, center=center, via_qr=via_qr, values=values)

    done = session_state.code_for_token(request.session, token)
    if done:
        return _after_submit(request, token=token, code=done, phone=post.get("phone", ""))

    form = AppealForm(post, request.FILES)
    picker = region_picker(values, center)
    valid = form.is_valid()
    region = picker.region
    region_error = ""
    if region is None or region.level < Level.TOWNSHIP:
        region_error = _("请选择事情发生的乡镇（街道）。")
    if not session_state.is_issued(request.session, token):
        return _render_form(
            request,
            form=form,
            center=center,
            via_qr=via_qr,
            values=values,
            region_error=region_error,
            top_error=_("页面已过期，请核对下面的内容后重新提交。"),
        )
    if not valid or region_error:
        return _render_form(
            request, form=form, center=center, via_qr=via_qr, values=values,
            region_error=region_error,
        )  # fmt: skip

    data = form.cleaned_data
    appeal = services.Appeal(
        kind=data["kind"],
        description=data["description"],
        region=region,
        phone=data["phone"],
        address=data["address"],
        name=data["name"],
        center=center,
        via_qr=via_qr,
    )
    try:
        case = services.submit_appeal(
            appeal=appeal, attachments=data["attachments"], ip=_client_ip(request), key=token
        )
    except DomainError as error:  # nothing was written: the citizen may send the form again
        field = FIELD_ERRORS.get(str(error.details.get("field", "")))
        if field == "region":
            region_error = str(error.message)
        elif field:
            form.add_error(field, str(error.message))
        return _render_form(
            request,
            form=form,
            center=center,
            via_qr=via_qr,
            values=values,
            region_error=region_error,
            top_error="" if field else str(error.message),
            status=429 if isinstance(error, services.Throttled) else 200,
        )
    chosen, said = mediation_services.choose_at_submission(
        case=case, mediator_id=post.get("mediator", "")
    )
    if said:
        (messages.success if chosen else messages.warning)(request, said)
    return _after_submit(
        request, token=token, code=case.code, phone=appeal.phone, center_name=case.center.name
    )


def _after_submit(
    request: HttpRequest, *, token: str, code: str, phone: str, center_name: str = ""
) -> HttpResponse:
    session_state.remember_submission(
        request.session,
        token=token,
        code=code,
        phone_last4=normalize_phone(phone)[-4:],
        center_name=center_name,
    )
    return redirect("portal:receipt", code=code)


@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """The region picker again for the chosen values (htmx swaps it in place)."""
    center = selectors.active_center(request.GET.get("center"))
    values = {k: request.GET.get(k, "") for k in ("county", "township", "village")}
    return render(
        request,
        "portal/_region_picker.html",
        {"picker": region_picker(values, center), "center": center},
    )


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt, only right after submitting (the code is kept in this session)."""
    data = session_state.receipt(request.session, code)
    last4 = session_state.verified_last4(request.session, code)
    if data is None or last4 is None:
        return _not_found(
            request,
            _("回执已失效"),
            _("受理回执只在提交后显示。请用案件编号和联系电话后四位查询办理进度。"),
        )
    try:
        view = selectors.public_case(code=code, phone_last4=last4)
    except DomainError:
        return _not_found(request, _("回执已失效"), _("未找到该案件，请核对编号和手机号后四位。"))
    url = qr.tracking_url(code, request)
    return render(
        request,
        "portal/receipt.html",
        {
            "case": view,
            "center_name": data["center_name"],
            "tracking_url": url,
            "qr_svg": _scalable_svg(qr.qr_svg(url, scale=5)),
        },
    )


# --- tracking ------------------------------------------------------------------------------


def _verify(request: HttpRequest, form: TrackForm) -> tuple[str | None, str, int]:
    """Check a code and four digits, throttled per address and per code; returns
    (code, "", 200) or (None, message, HTTP status)."""
    code = normalize_code(form.cleaned_data["code"])
    last4 = form.cleaned_data["phone_last4"]
    try:
        tracking.verify_and_track(code=code, phone_last4=last4, ip=_client_ip(request))
    except tracking.TrackThrottled as error:
        return None, str(error.message), 429
    except DomainError as error:
        return None, str(error.message), 200
    session_state.verify(request.session, code=code, phone_last4=last4)
    return code, "", 200


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Ask for the code and the last four digits of the phone."""
    error, status = "", 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            code, error, status = _verify(request, form)
            if code:
                return redirect("portal:track_case", code=code)
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")})
    return render(request, "portal/track_form.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest, code: str) -> HttpResponse:
    """What the case's QR code opens: the progress once verified, else the four digits."""
    code = normalize_code(code)
    error, status = "", 200
    if request.method == "POST":
        form = TrackForm({"code": code, "phone_last4": request.POST.get("phone_last4", "")})
        if form.is_valid():
            verified, error, status = _verify(request, form)
            if verified:
                return redirect("portal:track_case", code=verified)
    else:
        last4 = session_state.verified_last4(request.session, code)
        if last4:
            return _case_page(request, code, last4, RatingForm())
        form = TrackForm(initial={"code": code})
    return render(
        request,
        "portal/track_form.html",
        {"form": form, "error": error, "fixed_code": code},
        status=status,
    )


def _case_page(
    request: HttpRequest, code: str, last4: str, rating_form: RatingForm, status: int = 200
) -> HttpResponse:
    try:
        view = selectors.public_case(code=code, phone_last4=last4)
    except DomainError:
        session_state.forget(request.session, code)
        return redirect("portal:track_case", code=code)
    return render(
        request,
        "portal/track_detail.html",
        {
            "case": view,
            "status_label": STATUS_LABELS.get(view.status, view.status_label),
            "satisfaction_label": SATISFACTION_LABELS.get(view.satisfaction, ""),
            "rating_form": rating_form,
            "can_rate": view.can_rate,
            "tracking_url": qr.tracking_url(code, request),
        },
        status=status,
    )


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen rates a closed case."""
    code = normalize_code(code)
    last4 = session_state.verified_last4(request.session, code)
    if not last4:
        return redirect("portal:track_case", code=code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_case(
                code=code,
                phone_last4=last4,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationFailed as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("portal:track_case", code=code)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("portal:track_case", code=code)
    return _case_page(request, code, last4, form, status=200)


# --- poster --------------------------------------------------------------------------------


@require_GET
def poster(request: HttpRequest, center_id: int) -> HttpResponse:
    """A printable A4 poster for a center's window: scan to submit an appeal there."""
    center = selectors.active_center(center_id)
    if center is None:
        return _not_found(
            request, _("未找到该综治中心"), _("该综治中心不存在或已停用，无法生成二维码海报。")
        )
    url = _poster_url(request, center)
    return render(
        request,
        "portal/poster.html",
        {"center": center, "url": url, "qr_svg": _scalable_svg(qr.qr_svg(url, scale=10))},
    )

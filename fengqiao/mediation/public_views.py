"""Citizen pages of mediation, under the portal (/p/mediation/): the published directory,
a profile, 点单 for one's own case, and the check of an agreement's verification code.

点单 needs the case code and the last four digits of the applicant's phone, as tracking does.
A browser that has just submitted the case or verified it on the tracking page is not asked
again: the portal keeps the codes it verified in the session under ``portal_verified`` (read
here, never written), and this app keeps its own under :data:`VERIFIED`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fengqiao.cases.codes import normalize_code
from fengqiao.cases.models import Case
from fengqiao.cases.tracking import track_case
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.mediation import forms, selectors, services, stats
from fengqiao.mediation.choices import RequestStatus
from fengqiao.mediation.models import MediatorRequest
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit

VERIFIED = "mediation_verified"
PORTAL_VERIFIED = "portal_verified"  # the portal's session key of verified codes
FAILS_PER_HOUR = 20
WEEKDAY_LABELS = dict(forms.WEEKDAYS)


def _verified_last4(request: HttpRequest, code: str) -> str | None:
    for key in (VERIFIED, PORTAL_VERIFIED):
        last4 = (request.session.get(key) or {}).get(code)
        if last4:
            return last4
    return None


def _remember(request: HttpRequest, code: str, last4: str) -> None:
    verified = dict(list((request.session.get(VERIFIED) or {}).items())[-9:])
    verified[code] = last4
    request.session[VERIFIED] = verified


def _throttled(request: HttpRequest) -> bool:
    key = "fq:mediation:verify:" + (request.META.get("REMOTE_ADDR") or "unknown")
    return (cache.get(key) or 0) >= FAILS_PER_HOUR


def _note_failure(request: HttpRequest) -> None:
    key = "fq:mediation:verify:" + (request.META.get("REMOTE_ADDR") or "unknown")
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)


def _centers():
    return Unit.objects.filter(kind=UnitKind.CENTER, is_active=True, region__level__lte=4)


def _filter_from(request: HttpRequest, form) -> selectors.DirectoryFilter:
    data = form.cleaned_data if form.is_valid() else {}
    center = None
    raw = request.GET.get("center", "")
    if raw.isdigit():
        center = Unit.objects.filter(pk=int(raw), kind=UnitKind.CENTER, is_active=True).first()
    return selectors.DirectoryFilter(
        region_path=center.region_path if center else "",
        kind=data.get("kind", ""),
        specialty=data.get("specialty", ""),
        language=data.get("language", ""),
        residency=data.get("residency", ""),
        organization_kind=data.get("organization_kind", ""),
        text=data.get("q", ""),
    )


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """The directory of mediators and legal experts, as published by the centers."""
    form = forms.DirectoryFilterForm(request.GET or None)
    flt = _filter_from(request, form)
    entries = selectors.with_workload(list(selectors.directory(flt)[:120]))
    return render(
        request,
        "mediation/public/directory.html",
        {
            "form": form,
            "entries": entries,
            "ratings": stats.mediator_ratings([m.pk for m in entries]),
            "centers": _centers().order_by("region_path")[:60],
            "center_id": request.GET.get("center", ""),
            "choose_code": _choose_code(request),
        },
    )


def _choose_code(request: HttpRequest) -> str:
    code = normalize_code(request.GET.get("for", ""))[:20]
    return code if code and _verified_last4(request, code) else ""


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        mediator = selectors.public_mediator(pk)
    except NotFound as exc:
        return render(
            request,
            "portal/not_found.html",
            {"title": _("未找到"), "text": str(exc.message)},
            status=404,
        )
    return render(
        request,
        "mediation/public/profile.html",
        {
            "m": mediator,
            "rating": stats.mediator_ratings([mediator.pk]).get(mediator.pk),
            "slots": [
                (WEEKDAY_LABELS.get(a.weekday, ""), a.start, a.end)
                for a in selectors.availability_of(mediator)
            ],
            "choose_code": _choose_code(request),
        },
    )


def _case_for(code: str, last4: str) -> Case | None:
    try:
        track_case(code=code, phone_last4=last4)
    except DomainError:
        return None
    return Case.objects.select_related("center").filter(code=code).first()


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, code: str) -> HttpResponse:
    """点单 for one's own case: verify once, then pick from the local directory."""
    code = normalize_code(code)[:20]
    last4 = _verified_last4(request, code)
    case = _case_for(code, last4) if last4 else None
    if case is None:
        return _verify(request, code)
    candidates = selectors.candidates_for(case)
    form = forms.RequestForm(candidates=candidates, initial={"mediator": request.GET.get("m")})
    if request.method == "POST" and "mediator" in request.POST:
        form = forms.RequestForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                services.request_mediator(
                    case=case,
                    mediator=form.cleaned_data["mediator"],
                    by="citizen",
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error("mediator", str(exc.message))
            else:
                messages.success(request, _("已收到您的选择，综治中心确认后会安排调解。"))
                return redirect("mediation_public:choose", code=code)
    latest = (
        MediatorRequest.objects.filter(case=case)
        .exclude(status=RequestStatus.WITHDRAWN)
        .select_related("mediator", "proposed")
        .first()
    )
    return render(
        request,
        "mediation/public/choose.html",
        {
            "case": case,
            "form": form,
            "candidates": selectors.with_workload(list(candidates[:60])),
            "latest": latest,
            "open": case.status in services.requests.REQUESTABLE,
        },
    )


def _verify(request: HttpRequest, code: str) -> HttpResponse:
    form = forms.VerifyCaseForm(request.POST if "phone_last4" in request.POST else None)
    error = ""
    status = 200
    if form.is_bound and form.is_valid():
        if _throttled(request):
            error, status = _("尝试次数过多，请一小时后再试。"), 429
        else:
            last4 = form.cleaned_data["phone_last4"]
            if _case_for(code, last4) is not None:
                _remember(request, code, last4)
                return redirect("mediation_public:choose", code=code)
            _note_failure(request)
            error = _("未找到该案件，请核对编号和手机号后四位")
    return render(
        request,
        "mediation/public/verify_case.html",
        {"form": form, "code": code, "error": error},
        status=status,
    )


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check an agreement by the code printed on it."""
    form = forms.AgreementCheckForm(request.GET or None)
    agreement = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        agreement = selectors.agreement_by_code(form.cleaned_data["code"])
    return render(
        request,
        "mediation/public/verify.html",
        {
            "form": form,
            "a": agreement,
            "searched": searched,
            "code": services.format_code(agreement.verification_code) if agreement else "",
        },
        status=404 if searched and agreement is None else 200,
    )

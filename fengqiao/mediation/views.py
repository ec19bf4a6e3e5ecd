"""Staff pages of mediation: the work list, the directory, a case's mediation (点单, sessions,
agreements, package, transfers), rooms, transfers and statistics. Thin: parse, call a
service or a selector, map a DomainError to a message, render."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Party
from fengqiao.core.crypto import mask_name
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.mediation import documents, forms, selectors, services, stats
from fengqiao.mediation.choices import (
    AgreementStatus,
    ParticipantRole,
    SignatureMethod,
)
from fengqiao.mediation.models import (
    Agreement,
    JudicialConfirmation,
    Mediator,
    MediatorRequest,
    PackageService,
    Room,
    Session,
    Transfer,
)
from fengqiao.mediation.selectors import path_ancestors
from fengqiao.mediation.services.agreements import missing_signers
from fengqiao.mediation.services.packages import DEFAULT_DAYS, PRESET_BY_CODE, PRESETS
from fengqiao.org.choices import UnitKind, UnitType
from fengqiao.org.models import Unit
from fengqiao.org.selectors import active_memberships
from fengqiao.regions.models import PATH_END


def _error_page(request: HttpRequest, message: str, status: int = 404) -> HttpResponse:
    return render(
        request,
        "mediation/error.html",
        {"title": _("未找到"), "message": message},
        status=status,
    )


def _domain(view: Callable) -> Callable:
    """NotFound → a 404 page; any other DomainError on a POST → a message and back."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return _error_page(request, str(exc.message))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _back_to_case(code: str, anchor: str = "") -> HttpResponse:
    url = reverse("mediation:case", args=[code])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _run(request: HttpRequest, fn: Callable[[], Any], ok: str) -> Any | None:
    try:
        result = fn()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return None
    messages.success(request, ok)
    return result


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


# --- home ----------------------------------------------------------------------------------


@_domain
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    sessions = selectors.my_sessions(user)
    return render(
        request,
        "mediation/home.html",
        {
            "upcoming": sessions.filter(status="scheduled").order_by("starts_at")[:30],
            "recent": sessions.filter(status="held").order_by("-held_at")[:10],
            "pending": selectors.pending_requests(user)[:30],
            "waiting": selectors.loop_waiting(user),
            "incoming": selectors.incoming_transfers(user)[:30],
            "services": selectors.services_for(user).filter(status__in=["pending", "in_progress"])[
                :30
            ],
            "profiles": selectors.profiles_of(user),
            "now": now,
        },
    )


# --- the directory -------------------------------------------------------------------------


def _managed_centers(user):
    if user.is_superuser:
        return Unit.objects.filter(kind=UnitKind.CENTER, is_active=True)
    paths = [m.unit.region_path for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER]
    qs = Unit.objects.filter(kind=UnitKind.CENTER, is_active=True)
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(region_path__gte=p, region_path__lt=p + PATH_END)
    return qs.filter(q).order_by("region_path")


def _user_region_path(user) -> str:
    paths = sorted(
        m.unit.region_path for m in active_memberships(user) if m.unit.kind == UnitKind.CENTER
    )
    return paths[0] if paths else ""


@_domain
@require_GET
def directory_page(request: HttpRequest) -> HttpResponse:
    form = forms.DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    flt = selectors.DirectoryFilter(
        region_path=_user_region_path(request.user),
        kind=data.get("kind", ""),
        specialty=data.get("specialty", ""),
        language=data.get("language", ""),
        residency=data.get("residency", ""),
        organization_kind=data.get("organization_kind", ""),
        text=data.get("q", ""),
    )
    entries = selectors.with_workload(list(selectors.directory(flt, published_only=False)[:200]))
    ratings = stats.mediator_ratings([m.pk for m in entries])
    centers = _managed_centers(request.user)
    return render(
        request,
        "mediation/directory.html",
        {
            "form": form,
            "entries": entries,
            "ratings": ratings,
            "can_manage": any(services.may_manage(request.user, c) for c in centers[:50]),
        },
    )


def _mediator_data(form, entry: Mediator | None) -> services.MediatorIn:
    d = form.cleaned_data
    slots = tuple((int(w), d["day_start"], d["day_end"]) for w in d.get("days") or ())
    return services.MediatorIn(
        name=d["name"],
        center=d["center"],
        kind=d["kind"],
        organization=d.get("organization"),
        user=entry.user if entry else None,
        title=d.get("title", ""),
        bio=d.get("bio", ""),
        specialties=list(d.get("specialties") or []),
        languages=d.get("languages") or [],
        residency=d["residency"],
        schedule_note=d.get("schedule_note", ""),
        is_chief=d.get("is_chief", False),
        max_open_cases=d["max_open_cases"],
        is_published=d.get("is_published", False),
        phone=d.get("phone", ""),
        id_number=d.get("id_number", ""),
        availability=slots,
    )


@_domain
def mediator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    entry = None
    if pk is not None:
        entry = Mediator.objects.filter(pk=pk, center__in=_managed_centers(request.user)).first()
        if entry is None:
            raise NotFound(_("该调解员不存在或不在您的管辖范围内。"))
    centers = _managed_centers(request.user)
    if request.method == "POST":
        form = forms.MediatorForm(request.POST, centers=centers)
        if form.is_valid():
            saved = _run(
                request,
                lambda: services.save_mediator(
                    data=_mediator_data(form, entry), actor=request.user, mediator=entry
                ),
                _("名录已保存。"),
            )
            if saved is not None:
                return redirect("mediation:mediator", pk=saved.pk)
    elif entry is not None:
        slots = list(entry.availability.all())
        form = forms.MediatorForm(
            centers=centers,
            initial={
                "kind": entry.kind,
                "name": entry.name,
                "center": entry.center_id,
                "organization": entry.organization_id,
                "title": entry.title,
                "bio": entry.bio,
                "specialties": list(entry.specialties.all()),
                "languages": entry.languages,
                "residency": entry.residency,
                "schedule_note": entry.schedule_note,
                "is_chief": entry.is_chief,
                "max_open_cases": entry.max_open_cases,
                "is_published": entry.is_published,
                "days": [s.weekday for s in slots],
                "day_start": slots[0].start if slots else dt.time(9),
                "day_end": slots[0].end if slots else dt.time(17),
            },
        )
    else:
        form = forms.MediatorForm(centers=centers)
    return render(
        request,
        "mediation/mediator_form.html",
        {"form": form, "entry": entry, "relative_form": forms.RelativeForm()},
    )


@_domain
@require_POST
def relative_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = Mediator.objects.filter(pk=pk, center__in=_managed_centers(request.user)).first()
    if entry is None:
        raise NotFound(_("该调解员不存在或不在您的管辖范围内。"))
    form = forms.RelativeForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.declare_relative(
                mediator=entry, actor=request.user, **form.cleaned_data
            ),
            _("已登记申报亲属。"),
        )
    else:
        _form_errors(request, form)
    return redirect("mediation:mediator", pk=entry.pk)


# --- one case ------------------------------------------------------------------------------


def _units_for_dispatch(case):
    return (
        Unit.objects.filter(
            is_active=True,
            region_path__gte=case.scope_path,
            region_path__lt=case.scope_path + PATH_END,
        )
        .exclude(pk=case.center_id)
        .order_by("kind", "region_path", "name")
    )


def _rooms_for(case):
    ancestors = path_ancestors(case.region_path)
    return Room.objects.filter(is_active=True, center__region_path__in=ancestors).select_related(
        "center"
    )


def _case_context(request: HttpRequest, case) -> dict[str, Any]:
    cm = selectors.case_mediation(case)
    candidates = selectors.candidates_for(case)
    user = request.user
    may_mediate = selectors.may_mediate(user, case)
    may_decide = selectors.may_decide(user, case)
    senders = Unit.objects.filter(
        pk__in=[m.unit_id for m in selectors.roles_on(user, case).values()]
    )
    receivers = Unit.objects.filter(
        kind=UnitKind.CENTER,
        is_active=True,
        region__code__in=[*list(case.center.region.ancestor_codes), case.center.region_id],
    ).order_by("region_path")
    assigned = cm.assigned
    return {
        "case": case,
        "cm": cm,
        "candidates": candidates,
        "may_mediate": may_mediate,
        "may_decide": may_decide,
        "may_request": case.status in (Status.REGISTERED, Status.MEDIATING),
        "request_form": forms.RequestForm(candidates=candidates),
        "decide_form": forms.DecideForm(candidates=candidates),
        "schedule_form": forms.ScheduleForm(
            candidates=candidates,
            rooms=_rooms_for(case),
            initial={"mediator": assigned.pk} if assigned else {},
        ),
        "dispatch_form": forms.DispatchForm(units=_units_for_dispatch(case)),
        "package_form": forms.PackageForm(presets=PRESETS),
        "service_form": forms.ServiceUpdateForm(),
        "transfer_form": forms.TransferForm(senders=senders, receivers=receivers),
        "presets": PRESETS,
        "conflicts": {m.pk: services.conflicts(case, m) for m in ([assigned] if assigned else [])},
    }


@_domain
@require_GET
def case_page(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    return render(request, "mediation/case.html", _case_context(request, case))


@_domain
@require_GET
def case_section(request: HttpRequest, code: str) -> HttpResponse:
    """The mediation section of the workbench's case page (loaded by htmx)."""
    case = selectors.get_case(request.user, code)
    may_request = case.status in (Status.REGISTERED, Status.MEDIATING) and (
        request.user.is_superuser
        or bool(selectors.WINDOW_ROLES & set(selectors.roles_on(request.user, case)))
    )
    return render(
        request,
        "mediation/_case_section_body.html",
        {
            "case": case,
            "requests": list(
                MediatorRequest.objects.filter(case=case).select_related("mediator", "proposed")[:1]
            ),
            "sessions": list(Session.objects.filter(case=case).select_related("mediator")),
            "may_request": may_request,
        },
    )


@_domain
@require_POST
def request_create(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    form = forms.RequestForm(request.POST, candidates=selectors.candidates_for(case))
    if form.is_valid():
        _run(
            request,
            lambda: services.request_mediator(
                case=case,
                mediator=form.cleaned_data["mediator"],
                by="staff",
                actor=request.user,
                note=form.cleaned_data["note"],
            ),
            _("已为群众点单，待中心确认。"),
        )
    else:
        _form_errors(request, form)
    nxt = request.POST.get("next", "")
    if nxt == "workbench":
        return redirect(reverse("workbench:case", args=[case.code]) + "#mediation")
    return _back_to_case(case.code, "requests")


@_domain
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = MediatorRequest.objects.filter(pk=pk).select_related("case").first()
    if req is None:
        raise NotFound(_("点单不存在。"))
    case = selectors.get_case(request.user, req.case.code)
    form = forms.DecideForm(request.POST, candidates=selectors.candidates_for(case))
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        _run(
            request,
            lambda: services.decide_request(
                request=req,
                actor=request.user,
                confirm=confirm,
                proposed=form.cleaned_data.get("proposed"),
                reason=form.cleaned_data["reason"],
            ),
            _("已确认点单。") if confirm else _("已另荐调解员。"),
        )
    else:
        _form_errors(request, form)
    return _back_to_case(case.code, "requests")


@_domain
@require_POST
def session_create(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    form = forms.ScheduleForm(
        request.POST, candidates=selectors.candidates_for(case), rooms=_rooms_for(case)
    )
    if form.is_valid():
        d = form.cleaned_data
        session = _run(
            request,
            lambda: services.schedule_session(
                case=case,
                mediator=d["mediator"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                mode=d["mode"],
                room=d.get("room"),
                online_link=d.get("online_link", ""),
                actor=request.user,
            ),
            _("调解会已安排。"),
        )
        if session is not None:
            return redirect("mediation:session", pk=session.pk)
    else:
        _form_errors(request, form)
    return _back_to_case(case.code, "sessions")


@_domain
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    units = _units_for_dispatch(session.case)
    form = forms.OutcomeForm(units=units, initial={"facts": session.case.description[:5000]})
    if request.method == "POST":
        form = forms.OutcomeForm(request.POST, units=units)
        if form.is_valid():
            d = form.cleaned_data
            agreement = None
            if d["outcome"] in ("success", "partial"):
                agreement = services.AgreementIn(d["facts"], d["terms"], d["performance"])
            absent = [int(v) for v in request.POST.getlist("absent") if v.isdigit()]
            done = _run(
                request,
                lambda: services.record_outcome(
                    session=session,
                    outcome=d["outcome"],
                    actor=request.user,
                    notes=d["notes"],
                    agreement=agreement,
                    failure_reason=d["failure_reason"],
                    next_unit=d.get("next_unit"),
                    absent=absent,
                ),
                _("调解结果已记录。"),
            )
            if done is not None:
                done = selectors.session_for(request.user, pk)
                if hasattr(done, "agreement"):
                    return redirect("mediation:agreement", pk=done.agreement.pk)
                return _back_to_case(session.case.code, "sessions")
    return render(
        request,
        "mediation/session.html",
        {
            "session": session,
            "form": form,
            "may_mediate": selectors.may_mediate(request.user, session.case),
        },
    )


@_domain
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    _run(
        request,
        lambda: services.cancel_session(
            session=session, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("调解会已取消。"),
    )
    return _back_to_case(session.case.code, "sessions")


@_domain
@require_POST
def session_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    form = forms.DispatchForm(request.POST, units=_units_for_dispatch(session.case))
    if form.is_valid():
        _run(
            request,
            lambda: services.dispatch_after(
                session=session, actor=request.user, lead_unit=form.cleaned_data["lead_unit"]
            ),
            _("已转交承办单位。"),
        )
    else:
        _form_errors(request, form)
    return _back_to_case(session.case.code, "sessions")


# --- agreements ----------------------------------------------------------------------------


def _signer_choices(agreement: Agreement) -> list[tuple[str, str]]:
    names = {p["party"]: p["name"] for p in agreement.parties}
    out = []
    for role, party in missing_signers(agreement):
        label = ParticipantRole(role).label
        name = names.get(party) if party else agreement.session.mediator.name
        out.append((f"{role}:{party or ''}", f"{label} {mask_name(name) if party else name}"))
    return out


def _courts(agreement: Agreement):
    case = agreement.case
    ancestors = path_ancestors(case.scope_path)
    return Unit.objects.filter(unit_type=UnitType.COURT, is_active=True, region_path__in=ancestors)


@_domain
@require_GET
def agreement_page(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    confirmation = JudicialConfirmation.objects.filter(agreement=agreement).first()
    return render(
        request,
        "mediation/agreement.html",
        {
            "a": agreement,
            "code": services.format_code(agreement.verification_code),
            "sign_form": forms.SignForm(signers=_signer_choices(agreement)),
            "court_form": forms.CourtForm(courts=_courts(agreement)),
            "ruling_form": forms.RulingForm(),
            "confirmation": confirmation,
            "may_mediate": selectors.may_mediate(request.user, agreement.case),
            "may_settle": services.agreements.may_settle(request.user, agreement)
            and agreement.status == AgreementStatus.SIGNED,
            "verify_url": documents.verify_url(agreement),
        },
    )


@_domain
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    response = HttpResponse(documents.agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}.pdf"'
    return response


def _signature_bytes(form) -> bytes:
    if form.cleaned_data["method"] == SignatureMethod.SCAN:
        upload = form.cleaned_data.get("scan")
        return upload.read(services.agreements.MAX_SIGNATURE_BYTES + 1) if upload else b""
    drawn = form.cleaned_data.get("drawn") or ""
    if not drawn.startswith("data:image/png;base64,"):
        return b""
    try:
        return base64.b64decode(drawn.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return b""


@_domain
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    form = forms.SignForm(request.POST, request.FILES, signers=_signer_choices(agreement))
    if form.is_valid():
        role, _sep, party_id = form.cleaned_data["signer"].partition(":")
        party = (
            Party.objects.filter(pk=int(party_id), case=agreement.case).first()
            if party_id
            else None
        )
        name = party.name if party else agreement.session.mediator.name
        _run(
            request,
            lambda: services.sign_agreement(
                agreement=agreement,
                role=role,
                name=name,
                party=party,
                method=form.cleaned_data["method"],
                image=_signature_bytes(form),
                actor=request.user,
            ),
            _("签字已记录。"),
        )
    else:
        _form_errors(request, form)
    return redirect("mediation:agreement", pk=agreement.pk)


@_domain
@require_POST
def agreement_settle(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    _run(
        request,
        lambda: services.settle(agreement=agreement, actor=request.user),
        _("案件已按调解协议办结。"),
    )
    return redirect("mediation:agreement", pk=agreement.pk)


@_domain
@require_POST
def agreement_court(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    form = forms.CourtForm(request.POST, courts=_courts(agreement))
    if form.is_valid():
        _run(
            request,
            lambda: services.refer_to_court(
                agreement=agreement, court=form.cleaned_data["court"], actor=request.user
            ),
            _("已申请司法确认。"),
        )
    else:
        _form_errors(request, form)
    return redirect("mediation:agreement", pk=agreement.pk)


@_domain
@require_POST
def confirmation_ruling(request: HttpRequest, pk: int) -> HttpResponse:
    confirmation = JudicialConfirmation.objects.filter(pk=pk).first()
    if confirmation is None:
        raise NotFound(_("司法确认不存在。"))
    agreement = selectors.agreement_for(request.user, confirmation.agreement_id)
    form = forms.RulingForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.record_ruling(
                confirmation=confirmation, actor=request.user, **form.cleaned_data
            ),
            _("司法确认结果已登记。"),
        )
    else:
        _form_errors(request, form)
    return redirect("mediation:agreement", pk=agreement.pk)


# --- packages, transfers -------------------------------------------------------------------


@_domain
@require_POST
def package_choose(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    form = forms.PackageForm(request.POST, presets=PRESETS)
    if form.is_valid():
        d = form.cleaned_data
        kinds = list(d["kinds"]) or (
            list(PRESET_BY_CODE[d["preset"]].services) if d["preset"] else []
        )
        today = timezone.localdate()
        chosen = []
        for kind in kinds:
            unit_id = request.POST.get(f"unit_{kind}", "")
            unit = Unit.objects.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
            unit = unit or (services.units_for(case, kind) or [None])[0]
            if unit is None:
                messages.error(request, _("没有可承办“%(kind)s”的单位。") % {"kind": kind})
                return _back_to_case(case.code, "package")
            days = d.get("due_days") or DEFAULT_DAYS.get(kind, 15)
            chosen.append(services.ServiceIn(kind, unit, today + dt.timedelta(days=days)))
        _run(
            request,
            lambda: services.choose_package(
                case=case, services=chosen, actor=request.user, preset=d["preset"], note=d["note"]
            ),
            _("组合式服务已选定。"),
        )
    else:
        _form_errors(request, form)
    return _back_to_case(case.code, "package")


@_domain
@require_POST
def service_update(request: HttpRequest, pk: int) -> HttpResponse:
    service = PackageService.objects.filter(pk=pk).select_related("package__case").first()
    if service is None or not services.packages.may_update_service(request.user, service):
        raise NotFound(_("该项服务不存在或不在您的管辖范围内。"))
    form = forms.ServiceUpdateForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.update_service(
                service=service, actor=request.user, **form.cleaned_data
            ),
            _("服务办理情况已更新。"),
        )
    else:
        _form_errors(request, form)
    if request.POST.get("next") == "home":
        return redirect("mediation:home")
    return _back_to_case(service.package.case.code, "package")


@_domain
@require_POST
def transfer_send(request: HttpRequest, code: str) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    form = forms.TransferForm(
        request.POST,
        senders=Unit.objects.filter(is_active=True),
        receivers=Unit.objects.filter(kind=UnitKind.CENTER),
    )
    if form.is_valid():
        _run(
            request,
            lambda: services.send_transfer(case=case, actor=request.user, **form.cleaned_data),
            _("已移送调解。"),
        )
    else:
        _form_errors(request, form)
    return _back_to_case(case.code, "transfers")


@_domain
@require_GET
def transfers_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mediation/transfers.html",
        {
            "transfers": selectors.transfers_for(request.user)[:200],
            "unit_ids": set(selectors.unit_ids(request.user)),
            "return_form": forms.ReturnForm(),
        },
    )


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    transfer = selectors.transfers_for(request.user).filter(pk=pk).first()
    if transfer is None:
        raise NotFound(_("移送记录不存在。"))
    return transfer


@_domain
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    _run(
        request,
        lambda: services.accept_transfer(transfer=transfer, actor=request.user),
        _("已接收移送。"),
    )
    return redirect("mediation:transfers")


@_domain
@require_POST
def transfer_return(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.return_transfer(
                transfer=transfer, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("已退回移送。"),
        )
    else:
        _form_errors(request, form)
    return redirect("mediation:transfers")


# --- rooms ---------------------------------------------------------------------------------


@_domain
def rooms_page(request: HttpRequest) -> HttpResponse:
    rooms = selectors.rooms_for(request.user)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tz)
    form = forms.BookingForm(rooms=rooms)
    if request.method == "POST":
        form = forms.BookingForm(request.POST, rooms=rooms)
        if form.is_valid() and (
            _run(
                request,
                lambda: services.book_room(actor=request.user, **form.cleaned_data),
                _("调解室已预约。"),
            )
            is not None
        ):
            return redirect(f"{reverse('mediation:rooms')}?day={day.isoformat()}")
    bookings = selectors.bookings_between(rooms, start, start + dt.timedelta(days=7))
    by_day: dict[dt.date, list] = {}
    for b in bookings:
        by_day.setdefault(timezone.localtime(b.starts_at).date(), []).append(b)
    days = [
        (day + dt.timedelta(days=i), by_day.get(day + dt.timedelta(days=i), [])) for i in range(7)
    ]
    return render(
        request,
        "mediation/rooms.html",
        {
            "rooms": rooms,
            "days": days,
            "form": form,
            "day": day,
            "prev": day - dt.timedelta(days=7),
            "next": day + dt.timedelta(days=7),
        },
    )


# --- statistics ----------------------------------------------------------------------------


def _report(request: HttpRequest) -> stats.Report:
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    sessions = selectors.my_sessions(request.user)
    return stats.report(sessions, by=request.GET.get("by", "mediator"), year=year_value)


@_domain
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    rep = _report(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "mediation/stats.html",
        {
            "rep": rep,
            "data": rep.as_dict(),
            "dimensions": stats.DIMENSIONS,
            "years": list(range(this_year, this_year - 5, -1)),
        },
    )


@_domain
@require_GET
def stats_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_report(request).as_dict(), json_dumps_params={"ensure_ascii": False})

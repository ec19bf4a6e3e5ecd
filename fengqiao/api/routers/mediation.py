"""Mediation and legal services: the directory, 点单, sessions, agreements (with the PDF and
its public check), rooms, combined service packages, transfers and statistics.

Staff endpoints read cases through the mediation app's scope (``visible_cases`` underneath);
a case out of scope answers 404 like a missing one. The public endpoints need no login:
the published directory, 点单 with the case code and the phone's last four digits, and the
check of an agreement's verification code.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import Throttled
from pydantic import Field

from fengqiao.api.routers.common import ERRORS, label, unit_ref
from fengqiao.api.schemas import Id, SaneDatetime, Text
from fengqiao.api.selectors import valid_code
from fengqiao.cases.models import Case, Party
from fengqiao.cases.tracking import track_case
from fengqiao.core.errors import NotFound, ValidationFailed
from fengqiao.mediation import documents, selectors, services, stats
from fengqiao.mediation.choices import Outcome
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
from fengqiao.mediation.services.agreements import MAX_SIGNATURE_BYTES
from fengqiao.org.models import Unit

router = Router(tags=["mediation"])
public = Router(tags=["mediation-public"])

CodePath = Annotated[str, Field(max_length=40)]
PUBLIC_RATE = (20, 600)  # 点单 attempts per window (seconds) per client address


# --- shapes ------------------------------------------------------------------------------


class MediatorOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    title: str
    center: dict[str, Any]
    organization: dict[str, Any] | None
    specialties: list[dict[str, str]]
    languages: list[str]
    residency: str
    residency_label: str
    schedule_note: str
    is_chief: bool
    open_cases: int
    max_open_cases: int
    availability: list[dict[str, Any]]
    pairings: list[dict[str, str]]
    mediations: int
    success_rate: float | None
    satisfaction_rate: float | None


class RequestOut(Schema):
    id: int
    case: str
    mediator: dict[str, Any]
    requested_by: str
    status: str
    status_label: str
    proposed: dict[str, Any] | None
    reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class SessionOut(Schema):
    id: int
    case: str
    round: int
    mediator: dict[str, Any]
    mode: str
    room: dict[str, Any] | None
    online_link: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    outcome: str
    outcome_label: str
    notes: str
    failure_reason: str
    next_unit: dict[str, Any] | None
    participants: list[dict[str, Any]]
    agreement: int | None


class AgreementOut(Schema):
    id: int
    case: str
    number: str
    verification_code: str
    status: str
    status_label: str
    is_partial: bool
    facts: str
    terms: str
    performance: str
    parties: list[dict[str, Any]]
    digest: str
    signatures: list[dict[str, Any]]
    missing_signers: list[dict[str, Any]]
    judicial: dict[str, Any] | None
    created_at: dt.datetime
    signed_at: dt.datetime | None


class PublicAgreementOut(Schema):
    number: str
    status: str
    status_label: str
    organization: str
    mediator: str
    parties: list[str]
    created_at: dt.datetime
    signed_at: dt.datetime | None
    digest: str
    judicial: str | None


class ServiceOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: dict[str, Any]
    due_date: dt.date
    status: str
    status_label: str
    outcome: str


class PackageOut(Schema):
    case: str
    preset: str
    note: str
    services: list[ServiceOut]


class TransferOut(Schema):
    id: int
    case: str
    kind: str
    kind_label: str
    from_unit: dict[str, Any]
    to_unit: dict[str, Any]
    reason: str
    status: str
    status_label: str
    return_reason: str
    outcome: str
    outcome_note: str
    sent_at: dt.datetime
    concluded_at: dt.datetime | None


class CaseMediationOut(Schema):
    case: str
    status: str
    requests: list[RequestOut]
    sessions: list[SessionOut]
    agreements: list[AgreementOut]
    package: PackageOut | None
    transfers: list[TransferOut]


class RoomOut(Schema):
    id: int
    name: str
    center: dict[str, Any]
    capacity: int
    equipment: str
    bookings: list[dict[str, Any]]


class RequestIn(Schema):
    mediator_id: Id
    note: Text(500) = ""


class PublicRequestIn(Schema):
    code: Text(40)
    phone_last4: Text(8)
    mediator_id: Id
    note: Text(500) = ""


class DecisionIn(Schema):
    confirm: bool
    proposed_id: Id | None = None
    reason: Text(500) = ""


class SessionIn(Schema):
    mediator_id: Id
    mode: Literal["room", "online"]
    room_id: Id | None = None
    online_link: Text(300) = ""
    starts_at: SaneDatetime
    ends_at: SaneDatetime


class OutcomeIn(Schema):
    outcome: Literal["success", "partial", "failed", "adjourned"]
    notes: Text(20000) = ""
    facts: Text(5000) = ""
    terms: Text(10000) = ""
    performance: Text(500) = ""
    failure_reason: Text(5000) = ""
    next_unit_id: Id | None = None


class DispatchIn(Schema):
    lead_unit_id: Id | None = None


class SignatureIn(Schema):
    role: Literal["applicant", "respondent", "other", "mediator"]
    party_id: Id | None = None
    method: Literal["scan", "screen"] = "screen"
    image_base64: Annotated[str, Field(max_length=3_000_000)]


class CourtIn(Schema):
    court_id: Id


class RulingIn(Schema):
    confirmed: bool
    ruling_number: Text(64) = ""
    note: Text(2000) = ""


class ServiceIn(Schema):
    kind: Literal[
        "mediation", "arbitration", "notarization", "legal_aid", "counselling", "litigation"
    ]
    unit_id: Id
    due_date: dt.date


class PackageIn(Schema):
    preset: Text(32) = ""
    note: Text(500) = ""
    services: Annotated[list[ServiceIn], Field(max_length=6)]


class ServiceUpdateIn(Schema):
    status: Literal["in_progress", "done", "failed"]
    outcome: Text(5000) = ""


class TransferIn(Schema):
    kind: Literal["court", "police", "procuratorate", "petition"]
    from_unit_id: Id
    to_unit_id: Id
    reason: Text(5000)


class ReturnIn(Schema):
    reason: Text(2000)


class BookingIn(Schema):
    starts_at: SaneDatetime
    ends_at: SaneDatetime
    purpose: Text(200) = ""


# --- builders ----------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def mediator_out(m: Mediator, ratings: dict[int, stats.Figures]) -> dict[str, Any]:
    r = ratings.get(m.pk)
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": label(m, "kind"),
        "name": m.name,
        "title": m.title,
        "center": unit_ref(m.center),
        "organization": _ref(m.organization),
        "specialties": [{"code": c.code, "name": c.display_name} for c in m.specialties.all()],
        "languages": m.language_list,
        "residency": m.residency,
        "residency_label": label(m, "residency"),
        "schedule_note": m.schedule_note,
        "is_chief": m.is_chief,
        "open_cases": getattr(m, "open_cases", 0),
        "max_open_cases": m.max_open_cases,
        "availability": [
            {
                "weekday": a.weekday,
                "start": a.start.strftime("%H:%M"),
                "end": a.end.strftime("%H:%M"),
            }
            for a in m.availability.all()
        ],
        "pairings": [{"village": p.village.name, "role": p.role} for p in m.pairings.all()],
        "mediations": r.mediations if r else 0,
        "success_rate": round(r.success / r.mediations, 4) if r and r.mediations else None,
        "satisfaction_rate": r.satisfaction_rate if r else None,
    }


def request_out(r: MediatorRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "case": r.case.code,
        "mediator": _ref(r.mediator),
        "requested_by": r.requested_by,
        "status": r.status,
        "status_label": label(r, "status"),
        "proposed": _ref(r.proposed),
        "reason": r.reason,
        "created_at": r.created_at,
        "decided_at": r.decided_at,
    }


def session_out(s: Session) -> dict[str, Any]:
    agreement = getattr(s, "agreement", None) if s.outcome in ("success", "partial") else None
    return {
        "id": s.pk,
        "case": s.case.code,
        "round": s.round,
        "mediator": _ref(s.mediator),
        "mode": s.mode,
        "room": _ref(s.booking.room) if s.booking_id else None,
        "online_link": s.online_link,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "status": s.status,
        "outcome": s.outcome,
        "outcome_label": label(s, "outcome") if s.outcome else "",
        "notes": s.notes,
        "failure_reason": s.failure_reason,
        "next_unit": unit_ref(s.next_unit),
        "participants": [
            {"id": p.pk, "role": p.role, "name": p.name, "attended": p.attended}
            for p in s.participants.all()
        ],
        "agreement": agreement.pk if agreement else None,
    }


def agreement_out(a: Agreement) -> dict[str, Any]:
    confirmation = JudicialConfirmation.objects.filter(agreement=a).select_related("court").first()
    return {
        "id": a.pk,
        "case": a.case.code,
        "number": a.number,
        "verification_code": services.format_code(a.verification_code),
        "status": a.status,
        "status_label": label(a, "status"),
        "is_partial": a.is_partial,
        "facts": a.facts,
        "terms": a.terms,
        "performance": a.performance,
        "parties": [{"party": p["party"], "role": p["role"], "name": p["name"]} for p in a.parties],
        "digest": a.digest,
        "signatures": [
            {"role": s.role, "name": s.name, "method": s.method, "signed_at": s.signed_at}
            for s in a.signatures.all()
        ],
        "missing_signers": [{"role": r, "party_id": p} for r, p in services.missing_signers(a)],
        "judicial": None
        if confirmation is None
        else {
            "id": confirmation.pk,
            "court": unit_ref(confirmation.court),
            "status": confirmation.status,
            "ruling_number": confirmation.ruling_number,
            "result_note": confirmation.result_note,
            "decided_at": confirmation.decided_at,
        },
        "created_at": a.created_at,
        "signed_at": a.signed_at,
    }


def transfer_out(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "case": t.case.code,
        "kind": t.kind,
        "kind_label": label(t, "kind"),
        "from_unit": unit_ref(t.from_unit),
        "to_unit": unit_ref(t.to_unit),
        "reason": t.reason,
        "status": t.status,
        "status_label": label(t, "status"),
        "return_reason": t.return_reason,
        "outcome": t.outcome,
        "outcome_note": t.outcome_note,
        "sent_at": t.sent_at,
        "concluded_at": t.concluded_at,
    }


def service_out(s: PackageService) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "kind_label": label(s, "kind"),
        "unit": unit_ref(s.unit),
        "due_date": s.due_date,
        "status": s.status,
        "status_label": label(s, "status"),
        "outcome": s.outcome,
    }


def _case_out(case) -> dict[str, Any]:
    cm = selectors.case_mediation(case)
    package = None
    if cm.package is not None:
        package = {
            "case": case.code,
            "preset": cm.package.preset,
            "note": cm.package.note,
            "services": [service_out(s) for s in cm.package.services.all()],
        }
    for s in cm.sessions:
        s.case = case
    return {
        "case": case.code,
        "status": case.status,
        "requests": [request_out(r) for r in cm.requests],
        "sessions": [session_out(s) for s in cm.sessions],
        "agreements": [agreement_out(a) for a in cm.agreements],
        "package": package,
        "transfers": [transfer_out(t) for t in cm.transfers],
    }


def _case(request: HttpRequest, code: str):
    return selectors.get_case(request.auth, valid_code(code))


def _get(qs, pk: int, message: str):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(message)
    return found


def _unit(pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise ValidationFailed(_("单位不存在。"), field=field)
    return unit


def _mediator(pk: int) -> Mediator:
    found = Mediator.objects.filter(pk=pk, is_active=True).select_related("center").first()
    if found is None:
        raise ValidationFailed(_("该调解员不在名录中。"), field="mediator_id")
    return found


def _session(request: HttpRequest, pk: int) -> Session:
    return selectors.session_for(request.auth, pk)


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return selectors.agreement_for(request.auth, pk)


# --- public --------------------------------------------------------------------------------


def _check_rate(request: HttpRequest) -> None:
    limit, window = getattr(settings, "FENGQIAO_PUBLIC_MEDIATION_RATE", PUBLIC_RATE)
    key = "fq:api:mediation:" + (request.META.get("REMOTE_ADDR") or "unknown")
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise Throttled(wait=window)


class DirectoryQuery(Schema):
    center_id: Id | None = None
    kind: Text(16) = ""
    specialty: Text(32) = ""
    language: Text(20) = ""
    residency: Text(16) = ""
    organization_kind: Text(32) = ""
    q: Text(30) = ""
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    offset: Annotated[int, Field(ge=0, le=100000)] = 0


@public.get(
    "/public/mediation/mediators",
    auth=None,
    response={200: list[MediatorOut], **ERRORS},
    summary="调解员和法律专家名录",
)
def public_directory(request: HttpRequest, filters: Query[DirectoryQuery]) -> list[dict[str, Any]]:
    center = None
    if filters.center_id:
        center = Unit.objects.filter(pk=filters.center_id, kind="center").first()
    flt = selectors.DirectoryFilter(
        region_path=center.region_path if center else "",
        kind=filters.kind,
        specialty=filters.specialty,
        language=filters.language,
        residency=filters.residency,
        organization_kind=filters.organization_kind,
        text=filters.q,
    )
    entries = selectors.with_workload(
        list(
            selectors.directory(flt).prefetch_related("availability")[
                filters.offset : filters.offset + filters.limit
            ]
        )
    )
    ratings = stats.mediator_ratings([m.pk for m in entries])
    return [mediator_out(m, ratings) for m in entries]


@public.get(
    "/public/mediation/mediators/{mediator_id}",
    auth=None,
    response={200: MediatorOut, **ERRORS},
    summary="调解员详情",
)
def public_mediator(request: HttpRequest, mediator_id: Id) -> dict[str, Any]:
    m = selectors.public_mediator(mediator_id)
    return mediator_out(m, stats.mediator_ratings([m.pk]))


@public.post(
    "/public/mediation/requests",
    auth=None,
    response={201: RequestOut, **ERRORS},
    summary="群众点单",
    description="凭案件编号和申请人手机号后四位点选调解员；与当事人有利害关系的调解员"
    "返回 409 conflict_of_interest 及理由。",
)
def public_request(request: HttpRequest, payload: PublicRequestIn) -> Status:
    _check_rate(request)
    view = track_case(code=payload.code, phone_last4=payload.phone_last4)
    case = Case.objects.get(code=view.code)
    mediator = _mediator(payload.mediator_id)
    made = services.request_mediator(case=case, mediator=mediator, by="citizen", note=payload.note)
    return Status(201, request_out(made))


@public.get(
    "/public/mediation/agreements/verify",
    auth=None,
    response={200: PublicAgreementOut, **ERRORS},
    summary="核验调解协议书",
    description="凭协议书上的验证码核验；当事人姓名脱敏。",
)
def public_verify(
    request: HttpRequest, code: Annotated[Text(20), Query(description="验证码")]
) -> dict[str, Any]:
    _check_rate(request)
    a = selectors.agreement_by_code(code)
    if a is None:
        raise NotFound(_("未找到该验证码。"))
    confirmation = JudicialConfirmation.objects.filter(agreement=a).first()
    return {
        "number": a.number,
        "status": a.status,
        "status_label": label(a, "status"),
        "organization": (a.session.organization or a.session.center).name,
        "mediator": a.session.mediator.name,
        "parties": [p["name"][:1] + "**" for p in a.parties],
        "created_at": a.created_at,
        "signed_at": a.signed_at,
        "digest": a.digest,
        "judicial": label(confirmation, "status") if confirmation else None,
    }


# --- staff ---------------------------------------------------------------------------------


@router.get(
    "/cases/{code}/mediation",
    response={200: CaseMediationOut, **ERRORS},
    summary="案件的调解：点单、调解会、协议书、套餐、对接",
)
def case_mediation(request: HttpRequest, code: CodePath) -> dict[str, Any]:
    return _case_out(_case(request, code))


@router.post(
    "/cases/{code}/mediation/requests",
    response={201: RequestOut, **ERRORS},
    summary="窗口代群众点单",
)
def staff_request(request: HttpRequest, code: CodePath, payload: RequestIn) -> Status:
    case = _case(request, code)
    made = services.request_mediator(
        case=case,
        mediator=_mediator(payload.mediator_id),
        by="staff",
        actor=request.auth,
        note=payload.note,
    )
    return Status(201, request_out(made))


@router.post(
    "/mediation/requests/{request_id}/decision",
    response={200: RequestOut, **ERRORS},
    summary="中心确认点单或另荐",
)
def decide(request: HttpRequest, request_id: Id, payload: DecisionIn) -> dict[str, Any]:
    req = _get(MediatorRequest.objects.select_related("case"), request_id, _("点单不存在。"))
    selectors.get_case(request.auth, req.case.code)
    proposed = _mediator(payload.proposed_id) if payload.proposed_id else None
    decided = services.decide_request(
        request=req,
        actor=request.auth,
        confirm=payload.confirm,
        proposed=proposed,
        reason=payload.reason,
    )
    return request_out(decided)


@router.post(
    "/cases/{code}/mediation/sessions",
    response={201: SessionOut, **ERRORS},
    summary="安排调解会（预约调解室，不重复预约）",
)
def schedule(request: HttpRequest, code: CodePath, payload: SessionIn) -> Status:
    case = _case(request, code)
    room = (
        _get(Room.objects.select_related("center"), payload.room_id, _("调解室不存在。"))
        if (payload.room_id)
        else None
    )
    session = services.schedule_session(
        case=case,
        mediator=_mediator(payload.mediator_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        mode=payload.mode,
        room=room,
        online_link=payload.online_link,
        actor=request.auth,
    )
    return Status(201, session_out(_session(request, session.pk)))


@router.post(
    "/mediation/sessions/{session_id}/outcome",
    response={200: SessionOut, **ERRORS},
    summary="记录调解结果（成功/部分成功生成协议书，失败转办）",
)
def outcome(request: HttpRequest, session_id: Id, payload: OutcomeIn) -> dict[str, Any]:
    session = _session(request, session_id)
    agreement = None
    if payload.outcome in (Outcome.SUCCESS, Outcome.PARTIAL):
        agreement = services.AgreementIn(payload.facts, payload.terms, payload.performance)
    services.record_outcome(
        session=session,
        outcome=payload.outcome,
        actor=request.auth,
        notes=payload.notes,
        agreement=agreement,
        failure_reason=payload.failure_reason,
        next_unit=_unit(payload.next_unit_id, "next_unit_id"),
    )
    return session_out(_session(request, session_id))


@router.post(
    "/mediation/sessions/{session_id}/dispatch",
    response={200: SessionOut, **ERRORS},
    summary="调解未成功，转交承办单位或人民法院",
)
def dispatch(request: HttpRequest, session_id: Id, payload: DispatchIn) -> dict[str, Any]:
    session = _session(request, session_id)
    services.dispatch_after(
        session=session, actor=request.auth, lead_unit=_unit(payload.lead_unit_id, "lead_unit_id")
    )
    return session_out(_session(request, session_id))


@router.get(
    "/mediation/agreements/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    summary="调解协议书",
)
def agreement(request: HttpRequest, agreement_id: Id) -> dict[str, Any]:
    return agreement_out(_agreement(request, agreement_id))


@router.get(
    "/mediation/agreements/{agreement_id}/pdf",
    response={200: None, **ERRORS},
    summary="调解协议书PDF",
    openapi_extra={
        "responses": {"200": {"content": {"application/pdf": {}}, "description": "PDF"}}
    },
)
def agreement_pdf(request: HttpRequest, agreement_id: Id) -> HttpResponse:
    a = _agreement(request, agreement_id)
    response = HttpResponse(documents.agreement_pdf(a), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{a.pk}.pdf"'
    return response


@router.post(
    "/mediation/agreements/{agreement_id}/signatures",
    response={201: AgreementOut, **ERRORS},
    summary="记录签字（扫描件或屏幕手写）",
)
def sign(request: HttpRequest, agreement_id: Id, payload: SignatureIn) -> Status:
    a = _agreement(request, agreement_id)
    data = payload.image_base64.split(",", 1)[-1]
    try:
        image = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(_("签名图片不是有效的base64。"), field="image_base64") from None
    if len(image) > MAX_SIGNATURE_BYTES:
        raise ValidationFailed(_("签名图片不能超过2MB。"), field="image_base64")
    party = None
    if payload.party_id:
        party = Party.objects.filter(pk=payload.party_id, case=a.case).first()
        if party is None:
            raise ValidationFailed(_("签字人不是本案当事人。"), field="party_id")
    services.sign_agreement(
        agreement=a,
        role=payload.role,
        name=party.name if party else a.session.mediator.name,
        party=party,
        method=payload.method,
        image=image,
        actor=request.auth,
    )
    return Status(201, agreement_out(_agreement(request, agreement_id)))


@router.post(
    "/mediation/agreements/{agreement_id}/judicial",
    response={201: AgreementOut, **ERRORS},
    summary="申请司法确认",
)
def judicial(request: HttpRequest, agreement_id: Id, payload: CourtIn) -> Status:
    a = _agreement(request, agreement_id)
    services.refer_to_court(
        agreement=a, court=_unit(payload.court_id, "court_id"), actor=request.auth
    )
    return Status(201, agreement_out(_agreement(request, agreement_id)))


@router.post(
    "/mediation/judicial/{confirmation_id}/ruling",
    response={200: AgreementOut, **ERRORS},
    summary="登记司法确认结果",
)
def ruling(request: HttpRequest, confirmation_id: Id, payload: RulingIn) -> dict[str, Any]:
    confirmation = _get(JudicialConfirmation.objects.all(), confirmation_id, _("司法确认不存在。"))
    a = _agreement(request, confirmation.agreement_id)
    services.record_ruling(
        confirmation=confirmation,
        confirmed=payload.confirmed,
        actor=request.auth,
        ruling_number=payload.ruling_number,
        note=payload.note,
    )
    return agreement_out(_agreement(request, a.pk))


@router.get(
    "/mediation/rooms",
    response={200: list[RoomOut], **ERRORS},
    summary="调解室及其预约（今天起七天）",
)
def rooms(request: HttpRequest) -> list[dict[str, Any]]:
    qs = list(selectors.rooms_for(request.auth)[:100])
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    bookings = selectors.bookings_between(
        Room.objects.filter(pk__in=[r.pk for r in qs]), start, start + dt.timedelta(days=7)
    )
    by_room: dict[int, list] = {}
    for b in bookings:
        by_room.setdefault(b.room_id, []).append(
            {"id": b.pk, "starts_at": b.starts_at, "ends_at": b.ends_at, "purpose": b.purpose}
        )
    return [
        {
            "id": r.pk,
            "name": r.name,
            "center": unit_ref(r.center),
            "capacity": r.capacity,
            "equipment": r.equipment,
            "bookings": by_room.get(r.pk, []),
        }
        for r in qs
    ]


@router.post(
    "/mediation/rooms/{room_id}/bookings",
    response={201: dict[str, Any], **ERRORS},
    summary="预约调解室（时间重叠返回409 room_taken）",
)
def book(request: HttpRequest, room_id: Id, payload: BookingIn) -> Status:
    room = _get(selectors.rooms_for(request.auth), room_id, _("调解室不存在。"))
    b = services.book_room(
        room=room,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose,
        actor=request.auth,
    )
    return Status(
        201, {"id": b.pk, "room": room.pk, "starts_at": b.starts_at, "ends_at": b.ends_at}
    )


@router.post(
    "/cases/{code}/mediation/package",
    response={200: PackageOut, **ERRORS},
    summary="选定组合式服务套餐",
)
def package(request: HttpRequest, code: CodePath, payload: PackageIn) -> dict[str, Any]:
    case = _case(request, code)
    chosen = [
        services.ServiceIn(s.kind, _unit(s.unit_id, "unit_id"), s.due_date)
        for s in payload.services
    ]
    services.choose_package(
        case=case, services=chosen, actor=request.auth, preset=payload.preset, note=payload.note
    )
    return _case_out(case)["package"]


@router.post(
    "/mediation/package-services/{service_id}",
    response={200: ServiceOut, **ERRORS},
    summary="填报套餐中一项服务的办理情况",
)
def service_update(request: HttpRequest, service_id: Id, payload: ServiceUpdateIn) -> dict:
    service = _get(
        PackageService.objects.select_related("package__case", "unit"),
        service_id,
        _("该项服务不存在。"),
    )
    if not services.packages.may_update_service(request.auth, service):
        raise NotFound(_("该项服务不存在。"))
    updated = services.update_service(
        service=service, status=payload.status, actor=request.auth, outcome=payload.outcome
    )
    return service_out(updated)


@router.post(
    "/cases/{code}/mediation/transfers",
    response={201: TransferOut, **ERRORS},
    summary="移送调解（诉调、公调、检调、访调对接）",
)
def transfer_send(request: HttpRequest, code: CodePath, payload: TransferIn) -> Status:
    case = _case(request, code)
    t = services.send_transfer(
        case=case,
        kind=payload.kind,
        from_unit=_unit(payload.from_unit_id, "from_unit_id"),
        to_unit=_unit(payload.to_unit_id, "to_unit_id"),
        reason=payload.reason,
        actor=request.auth,
    )
    return Status(201, transfer_out(t))


@router.get(
    "/mediation/transfers",
    response={200: list[TransferOut], **ERRORS},
    summary="本单位移送和接收的对接案件（含调解结果）",
)
def transfers(request: HttpRequest) -> list[dict[str, Any]]:
    return [transfer_out(t) for t in selectors.transfers_for(request.auth)[:200]]


@router.post(
    "/mediation/transfers/{transfer_id}/accept",
    response={200: TransferOut, **ERRORS},
    summary="接收移送",
)
def transfer_accept(request: HttpRequest, transfer_id: Id) -> dict[str, Any]:
    t = _get(selectors.transfers_for(request.auth), transfer_id, _("移送记录不存在。"))
    return transfer_out(services.accept_transfer(transfer=t, actor=request.auth))


@router.post(
    "/mediation/transfers/{transfer_id}/return",
    response={200: TransferOut, **ERRORS},
    summary="退回移送",
)
def transfer_return(request: HttpRequest, transfer_id: Id, payload: ReturnIn) -> dict[str, Any]:
    t = _get(selectors.transfers_for(request.auth), transfer_id, _("移送记录不存在。"))
    return transfer_out(
        services.return_transfer(transfer=t, actor=request.auth, reason=payload.reason)
    )


class StatsQuery(Schema):
    by: Literal["mediator", "organization", "category", "level"] = "mediator"
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


@router.get(
    "/mediation/stats",
    response={200: dict[str, Any], **ERRORS},
    summary="调解统计：成功率、历时、满意度，按调解员/组织/类别/层级，含同比",
)
def mediation_stats(request: HttpRequest, filters: Query[StatsQuery]) -> dict[str, Any]:
    sessions = selectors.my_sessions(request.auth)
    return stats.report(sessions, by=filters.by, year=filters.year).as_dict()

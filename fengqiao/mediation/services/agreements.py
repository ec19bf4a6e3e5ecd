"""调解协议书: drawn up from the parties and the agreed terms, signed (an uploaded scan or an
on-screen signature), checked by anyone through the verification code printed on it, and
referred to the court for 司法确认 with the ruling recorded.

Once every party and the mediator have signed, the agreement takes effect and the case is
settled (SETTLE → resolved with the agreement as its result), unless part of the dispute
went on to a unit (部分成功 with a unit for the rest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, PartyKind, PartyRole, Status
from fengqiao.cases.models import Case, Party
from fengqiao.core import crypto
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.mediation import selectors
from fengqiao.mediation.choices import (
    AgreementStatus,
    ConfirmationStatus,
    ParticipantRole,
    SignatureMethod,
)
from fengqiao.mediation.models import Agreement, JudicialConfirmation, Session, Signature
from fengqiao.mediation.services.common import clean_text, event, require_mediate, unit_for
from fengqiao.org.choices import Role, UnitType
from fengqiao.org.models import Unit, User
from fengqiao.org.selectors import active_memberships

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
CODE_LENGTH = 10
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": ("png", "image/png"), b"\xff\xd8\xff": ("jpg", "image/jpeg")}
PARTY_ROLE = {
    PartyRole.APPLICANT: ParticipantRole.APPLICANT,
    PartyRole.RESPONDENT: ParticipantRole.RESPONDENT,
}


@dataclass(frozen=True)
class AgreementIn:
    facts: str
    terms: str
    performance: str = ""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """XXXXX-XXXXX, as printed."""
    return f"{code[:5]}-{code[5:]}"


def _party_rows(case: Case) -> list[dict]:
    rows = []
    for p in Party.objects.filter(case=case).order_by("id"):
        rows.append(
            {
                "party": p.pk,
                "role": p.role,
                "name": p.name,
                "kind": p.kind,
                "id_masked": p.masked_id_number if p.kind == PartyKind.PERSON else "",
                "address": p.address,
            }
        )
    return rows


def digest_of(agreement: Agreement) -> str:
    """SHA-256 of what the agreement says (printed on it and shown on the check page)."""
    canonical = json.dumps(
        {
            "number": agreement.number,
            "facts": agreement.facts,
            "terms": agreement.terms,
            "performance": agreement.performance,
            "parties": [(p["role"], p["name"]) for p in agreement.parties],
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _number(center: Unit, year: int) -> str:
    """（2026）420923100调字第0007号: counted per center and year under the center's lock."""
    Unit.objects.select_for_update().filter(pk=center.pk).first()
    prefix = f"（{year}）{center.region_id}调字第"
    n = Agreement.objects.filter(number__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}号"


def create_agreement(
    *, session: Session, data: AgreementIn, actor: User | None, is_partial: bool = False
) -> Agreement:
    """Draw up the agreement of a session (inside record_outcome's transaction)."""
    now = timezone.now()
    facts = clean_text(data.facts, _("纠纷主要事实、争议事项"), max_length=5000)
    terms = clean_text(data.terms, _("协议内容"), max_length=10000)
    performance = clean_text(data.performance, _("履行方式、时限"), max_length=500, required=False)
    agreement = Agreement(
        case=session.case,
        session=session,
        number=_number(session.center, timezone.localdate(now).year),
        verification_code=new_code(),
        facts=facts,
        terms=terms,
        performance=performance,
        is_partial=is_partial,
        parties=_party_rows(session.case),
        created_by=actor,
        created_at=now,
    )
    agreement.digest = digest_of(agreement)
    agreement.save()
    event(
        case=session.case,
        action=Action.MEDIATION_AGREEMENT,
        actor=actor,
        unit=unit_for(actor, session.case),
        note=_("制作调解协议书%(number)s，待当事人签字") % {"number": agreement.number},
        data={"agreement": agreement.pk, "digest": agreement.digest},
    )
    return agreement


def record_paper_agreement(
    *,
    session: Session,
    data: AgreementIn,
    scan: bytes,
    actor: User | None,
    is_partial: bool,
    signed_at: dt.datetime,
) -> Agreement:
    """An agreement signed on paper (补录): drawn up, and every signature recorded from the
    scanned signature page, effective from when it was signed."""
    agreement = create_agreement(session=session, data=data, actor=actor, is_partial=is_partial)
    ext, _ctype = _image(scan)
    names = {p["party"]: p["name"] for p in agreement.parties}
    digest = hashlib.sha256(scan).hexdigest()
    for i, (role, party_id) in enumerate(required_signers(agreement)):
        signature = Signature(
            agreement=agreement,
            role=role,
            party_id=party_id,
            name=names.get(party_id) or session.mediator.name,
            method=SignatureMethod.SCAN,
            sha256=digest,
            recorded_by=actor,
            signed_at=signed_at,
        )
        signature.image.save(f"{agreement.pk}-{i}.{ext}", ContentFile(scan), save=False)
        signature.save()
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = signed_at
    agreement.save(update_fields=["status", "signed_at"])
    return agreement


def required_signers(agreement: Agreement) -> list[tuple[str, int | None]]:
    """(role, party id) of everyone who must sign: each party, then the mediator."""
    rows = [
        (PARTY_ROLE.get(p["role"], ParticipantRole.OTHER), p["party"]) for p in agreement.parties
    ]
    return [*rows, (ParticipantRole.MEDIATOR, None)]


def missing_signers(agreement: Agreement) -> list[tuple[str, int | None]]:
    signed = {(s.role, s.party_id) for s in agreement.signatures.all()}
    return [r for r in required_signers(agreement) if r not in signed]


def _image(data: bytes) -> tuple[str, str]:
    if not data:
        raise ValidationFailed(_("请上传签名图片或在屏幕上签名。"), field="image")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise ValidationFailed(_("签名图片不能超过2MB。"), field="image")
    for magic, kind in IMAGE_TYPES.items():
        if data.startswith(magic):
            return kind
    raise ValidationFailed(_("签名应为PNG或JPG图片。"), field="image")


@transaction.atomic
def sign_agreement(
    *,
    agreement: Agreement,
    role: str,
    name: str,
    method: str,
    image: bytes,
    actor: User,
    party: Party | None = None,
) -> Signature:
    """Record one signature. The last one makes the agreement effective and settles the
    case when the actor may (else it waits for the center: see ``settle``)."""
    agreement = (
        Agreement.objects.select_for_update().select_related("case", "session").get(pk=agreement.pk)
    )
    require_mediate(actor, agreement.case)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("协议书已生效或已作废，不能再签字。"), code="agreement_closed")
    if method not in SignatureMethod.values:
        raise ValidationFailed(_("签字方式无效。"), field="method")
    if party is not None and party.case_id != agreement.case_id:
        raise ValidationFailed(_("签字人不是本案当事人。"), field="party")
    wanted = (role, party.pk if party else None)
    missing = missing_signers(agreement)
    if wanted not in missing:
        raise Conflict(_("该签字人已经签字，或不需要签字。"), code="already_signed")
    ext, _ctype = _image(image)
    name = clean_text(name, _("签字人"), max_length=64)
    now = timezone.now()
    signature = Signature(
        agreement=agreement,
        role=role,
        name=name,
        party=party,
        method=method,
        sha256=hashlib.sha256(image).hexdigest(),
        recorded_by=actor,
        signed_at=now,
    )
    signature.image.save(f"{agreement.pk}-{len(missing)}.{ext}", ContentFile(image), save=False)
    signature.save()
    event(
        case=agreement.case,
        action=Action.MEDIATION_AGREEMENT,
        actor=actor,
        unit=unit_for(actor, agreement.case),
        note=_("%(role)s%(name)s签字（%(method)s）")
        % {
            "role": ParticipantRole(role).label,
            "name": crypto.mask_name(name),
            "method": SignatureMethod(method).label,
        },
        data={"agreement": agreement.pk, "signature": signature.pk, "sha256": signature.sha256},
    )
    if len(missing) == 1:
        agreement.status = AgreementStatus.SIGNED
        agreement.signed_at = now
        agreement.save(update_fields=["status", "signed_at"])
        event(
            case=agreement.case,
            action=Action.MEDIATION_AGREEMENT,
            actor=actor,
            unit=unit_for(actor, agreement.case),
            note=_("调解协议书%(number)s经各方签字生效") % {"number": agreement.number},
            data={"agreement": agreement.pk, "signed": True},
        )
        if may_settle(actor, agreement):
            settle(agreement=agreement, actor=actor)
    return signature


def result_text(agreement: Agreement) -> str:
    head = (
        _("部分达成调解协议（%(number)s）：")
        if agreement.is_partial
        else _("调解成功，达成调解协议（%(number)s）：")
    ) % {"number": agreement.number}
    tail = f"\n{_('履行方式、时限')}：{agreement.performance}" if agreement.performance else ""
    return f"{head}\n{agreement.terms}{tail}"[:20000]


def may_settle(user: User, agreement: Agreement) -> bool:
    case = agreement.case
    if case.status != Status.MEDIATING or agreement.session.next_unit_id:
        return False
    roles = selectors.roles_on(user, case)
    return user.is_superuser or bool({Role.MEDIATOR, Role.DISPATCHER, Role.DIRECTOR} & set(roles))


@transaction.atomic
def settle(*, agreement: Agreement, actor: User) -> Case:
    """SETTLE the case with the signed agreement as its result (先行调解 → 已办结)."""
    agreement = Agreement.objects.select_related("case", "session").get(pk=agreement.pk)
    if agreement.status != AgreementStatus.SIGNED:
        raise Conflict(_("协议书尚未经各方签字生效。"), code="agreement_unsigned")
    text = result_text(agreement)
    return case_services.transition(
        case=agreement.case, action=Action.SETTLE, actor=actor, result=text, public_result=text
    )


@transaction.atomic
def refer_to_court(*, agreement: Agreement, court: Unit, actor: User) -> JudicialConfirmation:
    """司法确认: refer the signed agreement to the people's court."""
    agreement = Agreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    require_mediate(actor, agreement.case)
    if agreement.status != AgreementStatus.SIGNED:
        raise Conflict(_("协议书经各方签字生效后才能申请司法确认。"), code="agreement_unsigned")
    if court.unit_type != UnitType.COURT or not court.is_active:
        raise ValidationFailed(_("请选择人民法院。"), field="court")
    if JudicialConfirmation.objects.filter(agreement=agreement).exists():
        raise Conflict(_("该协议书已申请司法确认。"), code="already_referred")
    confirmation = JudicialConfirmation.objects.create(
        agreement=agreement, court=court, referred_by=actor, referred_at=timezone.now()
    )
    event(
        case=agreement.case,
        action=Action.JUDICIAL,
        actor=actor,
        unit=unit_for(actor, agreement.case),
        note=_("申请%(court)s司法确认调解协议%(number)s")
        % {"court": court.name, "number": agreement.number},
        data={"agreement": agreement.pk, "court": court.pk},
    )
    return confirmation


def _may_rule(user: User, confirmation: JudicialConfirmation) -> bool:
    if user.is_superuser:
        return True
    return any(m.unit_id == confirmation.court_id for m in active_memberships(user)) or (
        selectors.may_decide(user, confirmation.agreement.case)
    )


@transaction.atomic
def record_ruling(
    *,
    confirmation: JudicialConfirmation,
    confirmed: bool,
    actor: User,
    ruling_number: str = "",
    note: str = "",
) -> JudicialConfirmation:
    """The court's ruling on a referral (entered by the court or by the center from it)."""
    confirmation = (
        JudicialConfirmation.objects.select_for_update()
        .select_related("agreement__case", "court")
        .get(pk=confirmation.pk)
    )
    if not _may_rule(actor, confirmation):
        raise PermissionDenied(_("只有受理法院或综治中心可以登记司法确认结果。"))
    if confirmation.status != ConfirmationStatus.REFERRED:
        raise Conflict(_("司法确认结果已登记。"), code="already_ruled")
    confirmation.ruling_number = clean_text(
        ruling_number, _("裁定书文号"), max_length=64, required=confirmed
    )
    confirmation.result_note = clean_text(
        note, _("裁定结果"), max_length=2000, required=not confirmed
    )
    confirmation.status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.REJECTED
    confirmation.decided_at = timezone.now()
    confirmation.save()
    case = confirmation.agreement.case
    event(
        case=case,
        action=Action.JUDICIAL,
        actor=actor,
        note=_("司法确认：%(status)s %(number)s")
        % {"status": confirmation.get_status_display(), "number": confirmation.ruling_number},
        data={"confirmation": confirmation.pk, "status": confirmation.status},
    )
    return confirmation

"""点单: the citizen (or the window for them) asks for a mediator or legal expert; the center
confirms or proposes another. A mediator with a conflict of interest is refused, with the
reason, whoever asks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.mediation import selectors
from fengqiao.mediation.choices import (
    SIDE_ROLES,
    Outcome,
    ParticipantRole,
    Requester,
    RequestStatus,
    SessionStatus,
)
from fengqiao.mediation.models import Mediator, MediatorRequest, Participant, Session
from fengqiao.mediation.services.common import clean_text, event, unit_for
from fengqiao.org.models import User

REQUESTABLE = (Status.REGISTERED, Status.MEDIATING)


def conflicts(case: Case, mediator: Mediator) -> list[str]:
    """Why this mediator may not mediate this case (empty: no conflict of interest).

    - the mediator is a party (same phone or ID number);
    - a relative the mediator declared is a party;
    - the mediator was already on the case on one side (party, agent, witness of a session),
      or handled it for a unit (signed or resolved it);
    - the mediator already mediated it without agreement (a failed round).
    """
    reasons: list[str] = []
    parties = list(Party.objects.filter(case=case).only("name", "phone_hash", "id_number_hash"))
    phones = {p.phone_hash for p in parties if p.phone_hash}
    ids = {p.id_number_hash for p in parties if p.id_number_hash}
    if (mediator.phone_hash and mediator.phone_hash in phones) or (
        mediator.id_number_hash and mediator.id_number_hash in ids
    ):
        reasons.append(_("调解员本人是本案当事人，应当回避。"))
    for relative in mediator.relatives.all():
        if (relative.phone_hash and relative.phone_hash in phones) or (
            relative.id_number_hash and relative.id_number_hash in ids
        ):
            reasons.append(
                _("调解员的%(relation)s是本案当事人，应当回避。") % {"relation": relative.relation}
            )
            break
    side = Participant.objects.filter(
        session__case=case, role__in=SIDE_ROLES, mediator=mediator
    ).first()
    if side is not None:
        reasons.append(
            _("调解员曾以“%(role)s”身份参与本案，应当回避。")
            % {"role": ParticipantRole(side.role).label}
        )
    if (
        mediator.user_id
        and CaseEvent.objects.filter(
            case=case, actor_id=mediator.user_id, action__in=[Action.SIGN, Action.RESOLVE]
        ).exists()
    ):
        reasons.append(_("调解员曾作为承办人办理本案，应当回避。"))
    if Session.objects.filter(case=case, mediator=mediator, outcome=Outcome.FAILED).exists():
        reasons.append(_("该调解员已主持过本案调解且未达成协议，请选择其他调解员。"))
    return reasons


def _check_mediator(case: Case, mediator: Mediator, *, public: bool) -> None:
    if not mediator.is_active or (public and not mediator.is_published):
        raise ValidationFailed(_("该调解员不在名录中。"), field="mediator")
    if not selectors.candidates_for(case).filter(pk=mediator.pk).exists():
        raise ValidationFailed(
            _("%(name)s不在负责本案的综治中心的名录中，请从本地名录中选择。")
            % {"name": mediator.name},
            field="mediator",
        )
    reasons = conflicts(case, mediator)
    if reasons:
        raise Conflict(
            _("不能选择%(name)s：%(reason)s") % {"name": mediator.name, "reason": reasons[0]},
            code="conflict_of_interest",
            reasons=reasons,
        )


@transaction.atomic
def request_mediator(
    *,
    case: Case,
    mediator: Mediator,
    by: str,
    actor: User | None = None,
    note: str = "",
) -> MediatorRequest:
    """点单: record the choice for the center to confirm. ``by`` is ``citizen`` (the
    portal, already verified by code and phone digits; ``actor`` None) or ``staff`` (the
    window, ``actor`` the receptionist or mediator at the case's center)."""
    if by not in Requester.values:
        raise ValidationFailed(_("点单方式无效。"), field="by")
    if by == Requester.STAFF:
        if actor is None or not (
            actor.is_superuser or selectors.WINDOW_ROLES & set(selectors.roles_on(actor, case))
        ):
            raise PermissionDenied(_("您无权为该案件点单。"))
    else:
        actor = None
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.status not in REQUESTABLE:
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能再选择调解员。")
            % {"status": case.get_status_display()},
            code="not_requestable",
        )
    if Session.objects.filter(case=case, status=SessionStatus.SCHEDULED).exists():
        raise Conflict(
            _("调解会已经安排，如需更换调解员请联系综治中心。"), code="session_scheduled"
        )
    note = clean_text(note, _("说明"), max_length=500, required=False)
    _check_mediator(case, mediator, public=by == Requester.CITIZEN)
    now = timezone.now()
    MediatorRequest.objects.filter(case=case, status=RequestStatus.PENDING).update(
        status=RequestStatus.WITHDRAWN, decided_at=now
    )
    request = MediatorRequest.objects.create(
        case=case,
        mediator=mediator,
        requested_by=by,
        requested_by_user=actor,
        note=note,
        created_at=now,
    )
    event(
        case=case,
        action=Action.MEDIATION_REQUEST,
        actor=actor,
        unit=unit_for(actor, case),
        note=_("点选%(kind)s：%(name)s")
        % {"kind": mediator.get_kind_display(), "name": mediator.name},
        data={"request": request.pk, "mediator": mediator.pk, "by": by},
    )
    return request


@transaction.atomic
def decide_request(
    *,
    request: MediatorRequest,
    actor: User,
    confirm: bool,
    proposed: Mediator | None = None,
    reason: str = "",
) -> MediatorRequest:
    """The center confirms the citizen's choice, or proposes another mediator (with why)."""
    request = (
        MediatorRequest.objects.select_for_update()
        .select_related("case", "mediator")
        .get(pk=request.pk)
    )
    case = request.case
    if not selectors.may_decide(actor, case):
        raise PermissionDenied(_("只有综治中心的分流调度员或主任可以确认点单。"))
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("该点单已处理。"), code="already_decided")
    reason = clean_text(reason, _("理由"), max_length=500, required=not confirm)
    if confirm:
        _check_mediator(case, request.mediator, public=False)
        request.status = RequestStatus.CONFIRMED
        note = _("确认点单：%(name)s") % {"name": request.mediator.name}
    else:
        if proposed is None or proposed.pk == request.mediator_id:
            raise ValidationFailed(_("请选择另一位调解员。"), field="proposed")
        _check_mediator(case, proposed, public=False)
        request.status = RequestStatus.PROPOSED
        request.proposed = proposed
        note = _("另荐调解员：%(name)s（%(reason)s）") % {"name": proposed.name, "reason": reason}
    request.reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    event(
        case=case,
        action=Action.MEDIATION_REQUEST,
        actor=actor,
        unit=unit_for(actor, case),
        note=note,
        data={"request": request.pk, "status": request.status},
    )
    return request


def choose_at_submission(*, case: Case, mediator_id: str) -> tuple[bool, str]:
    """点单 in the submission form: the portal registered the case and passes the chosen
    entry's id as posted. Returns whether the choice was recorded and what to tell the
    citizen ("" when nothing was chosen). A refused choice leaves the case registered; the
    citizen may choose again from the receipt."""
    raw = (mediator_id or "").strip()
    if not raw:
        return False, ""
    mediator = Mediator.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if mediator is None:
        return False, _("您选择的调解员不在名录中，请在回执页重新选择。")
    try:
        request_mediator(case=case, mediator=mediator, by=Requester.CITIZEN)
    except (Conflict, ValidationFailed) as exc:
        return False, _("您的诉求已受理，但%(reason)s可以在回执页重新选择调解员。") % {
            "reason": exc.message
        }
    return True, _("已收到您点选的调解员%(name)s，综治中心确认后会安排调解。") % {
        "name": mediator.name
    }

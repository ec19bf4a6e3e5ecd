"""Writes of the mediation app, one module per area; the public functions are re-exported
here (``from fengqiao.mediation import services; services.request_mediator(...)``)."""

from fengqiao.mediation.services.agreements import (
    AgreementIn,
    create_agreement,
    format_code,
    missing_signers,
    record_ruling,
    refer_to_court,
    settle,
    sign_agreement,
)
from fengqiao.mediation.services.directory import (
    MediatorIn,
    create_organization,
    create_room,
    declare_relative,
    may_manage,
    pair_village,
    save_mediator,
)
from fengqiao.mediation.services.packages import (
    PRESETS,
    ServiceIn,
    choose_package,
    units_for,
    update_service,
)
from fengqiao.mediation.services.requests import (
    choose_at_submission,
    conflicts,
    decide_request,
    request_mediator,
)
from fengqiao.mediation.services.sessions import (
    ParticipantIn,
    book_room,
    cancel_session,
    dispatch_after,
    record_outcome,
    record_past_mediation,
    schedule_session,
)
from fengqiao.mediation.services.transfers import accept_transfer, return_transfer, send_transfer

__all__ = [
    "PRESETS",
    "AgreementIn",
    "MediatorIn",
    "ParticipantIn",
    "ServiceIn",
    "accept_transfer",
    "book_room",
    "cancel_session",
    "choose_at_submission",
    "choose_package",
    "conflicts",
    "create_agreement",
    "create_organization",
    "create_room",
    "decide_request",
    "declare_relative",
    "dispatch_after",
    "format_code",
    "may_manage",
    "missing_signers",
    "pair_village",
    "record_outcome",
    "record_past_mediation",
    "record_ruling",
    "refer_to_court",
    "request_mediator",
    "return_transfer",
    "save_mediator",
    "schedule_session",
    "send_transfer",
    "settle",
    "sign_agreement",
    "units_for",
    "update_service",
]

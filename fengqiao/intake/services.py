"""Registration (受理): the one function every door calls to turn an appeal into a case.

A registration checks the appeal and the registrar's right to register at the center,
drafts the case, lets routing classify, grade and tier it (:func:`fengqiao.routing.
assessment.assess`, which writes nothing), and writes it in one short transaction with its
code, parties, routing record and one registration event (:mod:`fengqiao.intake.writer`).

Idempotency, the same for every door: a registration that brings a key writes an
:class:`~fengqiao.intake.models.AppealKey` with its case, last, in the same transaction. Of
two requests with the same key the second finds the first's row on the unique index when it
writes its own (waiting there until the first commits): its insert fails, its whole
registration rolls back (its code number too, so codes stay gap-free) and it answers with the
first case; with the same key and different content it is refused. A refused registration
writes no key, so the client may correct it and send it again with the same key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import services as case_services
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import registration_membership
from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.intake import writer
from fengqiao.intake.drafts import draft_case
from fengqiao.intake.models import AppealKey
from fengqiao.intake.types import AppealIn, Door
from fengqiao.intake.validation import check_appeal
from fengqiao.org.models import User
from fengqiao.routing import services as routing_services
from fengqiao.routing.assessment import assess

CITIZEN_LABEL = "群众"  # stored on the event (data, not interface text)
KEY_MAX = 128
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class Registration:
    case: Case
    created: bool  # False: the key had registered it before (a retry or a double submit)


def clean_key(value: str | None) -> str:
    """An idempotency key as given (stripped), or a refusal when it is not up to 128 visible
    ASCII characters; '' when none was given."""
    key = (value or "").strip()
    if len(key) > KEY_MAX or any(not (32 < ord(c) < 127) for c in key):
        raise ValidationFailed(
            _("Idempotency-Key 应为不超过128个可见ASCII字符。"),
            code="invalid_idempotency_key",
            field="Idempotency-Key",
        )
    return key


def fingerprint(appeal: AppealIn) -> str:
    """A digest of the appeal's content: the same key with other content is refused."""
    content = {
        "center": appeal.center.pk,
        "channel": appeal.channel,
        "title": appeal.title.strip(),
        "description": appeal.description.strip(),
        "region": appeal.region.code,
        "parties": [
            [p.name.strip(), p.role, p.kind, p.phone, p.id_number, p.address.strip(),
             p.is_elderly, p.is_minor, p.is_disabled]
            for p in appeal.parties
        ],
        "category": appeal.category.code if appeal.category else None,
        "kind": appeal.kind,
        "address": appeal.address.strip(),
        "location": [str(appeal.latitude), str(appeal.longitude)],
        "grid": appeal.grid.code if appeal.grid else None,
        "people": appeal.people_count,
        "risk": appeal.risk_floor,
        "note": appeal.note,
    }  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _replay(principal: str, key: str, digest: str) -> Registration | None:
    record = AppealKey.objects.select_related("case").filter(principal=principal, key=key).first()
    if record is None:
        return None
    if record.fingerprint != digest:
        raise Conflict(
            _("该幂等键已用于另一份不同的登记内容（案件%(code)s）。") % {"code": record.case.code},
            code="idempotency_key_reused",
        )
    return Registration(case=record.case, created=False)


def register_appeal(
    *,
    appeal: AppealIn,
    door: Door,
    actor: User | None,
    key: str | None = None,
    principal: str = "",
    actor_label: str = "",
    attachments: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Registration:
    """Register an appeal and route it; the one registration of every door.

    ``actor`` is the staff user registering it, None when the citizen (or another system,
    named by ``actor_label``) submitted it. ``key`` makes the registration idempotent within
    ``principal``'s key space (default: the actor's, else the door's). ``attachments`` are
    stored on the case in the same transaction: a refused file refuses the registration.
    """
    check_appeal(appeal)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("最多上传%(n)d个附件。") % {"n": MAX_ATTACHMENTS}, field="attachments"
        )
    membership = None
    if actor is not None:
        membership = registration_membership(actor, appeal.center)
        if membership is None:
            raise PermissionDenied(_("您没有在该中心登记案件的权限。"))
    key = clean_key(key)
    principal = principal or (f"user:{actor.pk}" if actor is not None else str(door))
    now = now or appeal.registered_at or timezone.now()

    draft = draft_case(appeal, actor=actor, membership=membership, now=now)
    decision = assess(draft, risk_floor=appeal.risk_floor)
    decision.apply_to(draft.case)
    digest = fingerprint(appeal) if key else ""
    try:
        with transaction.atomic():
            case = writer.write_registration(
                draft,
                dependents=[decision.record_for(draft.case)],
                actor=actor,
                actor_label=str(actor) if actor is not None else actor_label or CITIZEN_LABEL,
                unit=membership.unit if membership else appeal.center,
                note=appeal.note.strip(),
                event_data={"channel": appeal.channel, **appeal.extra, **decision.event_data()},
                now=now,
                key_row=(
                    AppealKey(principal=principal, key=key, door=door, fingerprint=digest)
                    if key
                    else None
                ),
            )
            routing_services.after_registration(case, decision)
            for upload in attachments:
                case_services.add_attachment(
                    case=case, upload=upload, actor=actor, is_public=actor is None
                )
    except IntegrityError:
        replayed = _replay(principal, key, digest) if key else None
        if replayed is None:
            raise
        return replayed
    routing_services.link_related_now(case)
    return Registration(case=case, created=True)

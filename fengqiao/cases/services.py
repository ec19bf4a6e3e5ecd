"""Writes on cases. Each is one transaction that writes its audit event in the same
transaction; :func:`transition` is the only writer of a case's status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import mimetypes
import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import effects, workflow
from fengqiao.cases.actors import STAFF, SYSTEM, Actor, kind_of, label_of, user_of
from fengqiao.cases.choices import (
    Action,
    AssignmentRole,
    AssignmentStatus,
    LinkKind,
    Satisfaction,
)
from fengqiao.cases.drafts import address_key
from fengqiao.cases.events import append_event
from fengqiao.cases.models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseLink,
)
from fengqiao.cases.selectors import (
    active_memberships,
    allowed_transitions,
    may_release_co_handler,
)
from fengqiao.cases.validation import clean_text
from fengqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fengqiao.org.choices import Role
from fengqiao.org.models import Unit, User


def _write_event(case: Case, *, actor: Actor | None, **fields: Any) -> CaseEvent:
    return append_event(case, actor=user_of(actor), actor_label=label_of(actor), **fields)


def _lock(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    try:
        return (
            Case.objects.select_for_update(of=("self",))
            .select_related("center", "lead_unit")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise NotFound(_("案件不存在。")) from None


@db_transaction.atomic
def transition(
    *,
    case: Case | int,
    action: str,
    actor: Actor | None,
    membership_id: int | None = None,
    note: str = "",
    result: str = "",
    public_result: str = "",
    lead_unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    target_center: Unit | None = None,
    satisfaction: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Move a case along the closed loop. The only writer of ``Case.status``.

    Locks the case row, looks the move up in :mod:`fengqiao.cases.workflow`, checks the
    actor's role and scope and what the move requires, applies the action's effect
    (:mod:`fengqiao.cases.effects`) and appends the event.
    """
    now = now or timezone.now()
    case = _lock(case)
    if expected_version is not None and expected_version != case.version:
        raise Conflict(
            _("案件已被他人处理（当前状态：%(status)s），请刷新后重试。")
            % {"status": case.get_status_display()},
            code="version_conflict",
        )
    t = _find_move(case, action)
    unit = _authorize(t, case, actor, membership_id)
    move = _checked_move(
        t,
        kind_of(actor),
        effects.Move(
            action=action,
            note=(note or "").strip(),
            result=(result or "").strip(),
            public_result=public_result or "",
            lead_unit=lead_unit,
            co_units=tuple(co_units),
            target_center=target_center,
            satisfaction=satisfaction,
        ),
    )
    from_status = case.status
    data = effects.EFFECTS[t.action](case, move, now)
    case.status = t.target or from_status
    case.version += 1
    case.updated_at = now
    case.save()
    CaseAssignment.objects.filter(case=case).exclude(case_status=case.status).update(
        case_status=case.status
    )
    _write_event(
        case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor,
        unit=unit,
        note=move.note or move.result,
        data=data,
        now=now,
    )
    return case


def _find_move(case: Case, action: str) -> workflow.Transition:
    t = workflow.find(action, case.status)
    if t is None:
        action_label = Action(action).label if action in Action.values else action
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": case.get_status_display(), "action": action_label},
            code="invalid_transition",
        )
    return t


def _authorize(
    t: workflow.Transition,
    case: Case,
    actor: Actor | None,
    membership_id: int | None,
) -> Unit | None:
    """The unit the actor moves the case for (None for the citizen or the system), or a
    refusal when the actor may not make this move."""
    kind = kind_of(actor)
    if kind != STAFF:
        if kind not in t.roles:
            raise PermissionDenied(_("不允许执行“%(action)s”。") % {"action": t.action.label})
        return None
    user = user_of(actor)
    if user is None:
        raise PermissionDenied(_("请先登录。"))
    allowed = {
        tr.action: m for tr, m in allowed_transitions(user, case, membership_id=membership_id)
    }
    if t.action not in allowed:
        raise PermissionDenied(_("您无权对该案件执行“%(action)s”。") % {"action": t.action.label})
    return allowed[t.action].unit


def _checked_move(t: workflow.Transition, kind: str, move: effects.Move) -> effects.Move:
    """The move, if it brings what the transition requires."""
    if workflow.NOTE in t.requires and not move.note:
        raise ValidationFailed(_("请填写理由或说明。"), field="note")
    if workflow.RESULT in t.requires and not move.result:
        raise ValidationFailed(_("请填写办理结果。"), field="result")
    if len(move.note) > 5000 or len(move.result) > 20000:
        raise ValidationFailed(_("内容过长。"), field="note")
    # A closed case whose party could not be reached within the visit limit is archived by
    # the system without a rating; the event records that it was unreached.
    unreached = (
        t.action == Action.ARCHIVE and kind == SYSTEM and not move.satisfaction and bool(move.note)
    )
    if workflow.SATISFACTION in t.requires and not unreached:
        if move.satisfaction not in Satisfaction.values:
            raise ValidationFailed(_("请选择满意度。"), field="satisfaction")
        if t.action == Action.ARCHIVE and move.satisfaction != Satisfaction.SATISFIED:
            raise ValidationFailed(
                _("群众评价为“基本满意”或“不满意”时不能归档，请重新办理。"), field="satisfaction"
            )
    return dataclasses.replace(move, unreached=unreached) if unreached else move


@db_transaction.atomic
def record_event(
    *,
    case: Case | int,
    action: str,
    actor: Actor | None,
    unit: Unit | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> CaseEvent:
    """Append an event that does not change the status (comment, supervision, reveal...)."""
    if action in workflow.STATUS_ACTIONS or action == Action.REGISTER:
        raise ValueError("status changes go through transition()")
    case = _lock(case)
    return _write_event(
        case,
        action=action,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        unit=unit,
        note=note,
        data=data,
        now=now or timezone.now(),
    )


@db_transaction.atomic
def report_co_handling(
    *, case: Case | int, actor: User, unit: Unit, report: str, now: dt.datetime | None = None
) -> CaseAssignment:
    """A co-handling unit reports its part (协办反馈)."""
    report = clean_text(report, _("协办反馈"), max_length=20000)
    case = _lock(case)
    if not active_memberships(actor) or not any(
        m.unit_id == unit.pk and m.role == Role.HANDLER for m in active_memberships(actor)
    ):
        raise PermissionDenied(_("您不是该单位的承办人。"))
    assignment = case.assignments.filter(
        unit=unit,
        role=AssignmentRole.CO,
        status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED],
    ).first()
    if assignment is None:
        raise Conflict(_("该单位没有待反馈的协办任务。"), code="no_co_assignment")
    now = now or timezone.now()
    assignment.status = AssignmentStatus.REPORTED
    assignment.report = report
    assignment.reported_at = now
    assignment.signed_at = assignment.signed_at or now
    assignment.save(update_fields=["status", "report", "reported_at", "signed_at"])
    _write_event(
        case,
        action=Action.CO_REPORT,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        unit=unit,
        note=report,
        now=now,
    )
    return assignment


@db_transaction.atomic
def release_co_handler(
    *,
    case: Case | int,
    unit: Unit,
    actor: User,
    reason: str,
    membership_id: int | None = None,
    now: dt.datetime | None = None,
) -> CaseAssignment:
    """The dispatcher releases a co-handling unit from reporting its part (解除协办), with a
    reason, so that the lead unit can resolve the case without it."""
    reason = clean_text(reason, _("解除理由"), max_length=2000)
    case = _lock(case)
    if not may_release_co_handler(actor, case, membership_id=membership_id):
        raise PermissionDenied(_("只有本中心的分流调度员或中心主任可以解除协办。"))
    assignment = case.assignments.filter(
        unit=unit, role=AssignmentRole.CO, status__in=effects.UNREPORTED
    ).first()
    if assignment is None:
        raise Conflict(_("该单位没有待反馈的协办任务。"), code="no_co_assignment")
    now = now or timezone.now()
    assignment.status = AssignmentStatus.RELEASED
    assignment.return_reason = reason
    assignment.save(update_fields=["status", "return_reason"])
    _write_event(
        case,
        action=Action.CO_RELEASE,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        unit=case.center,
        note=reason,
        data={"unit": unit.pk, "unit_name": unit.name},
        now=now,
    )
    return assignment


@db_transaction.atomic
def link_cases(
    *,
    case: Case,
    other: Case,
    kind: str = LinkKind.RELATED,
    note: str = "",
    score: float | None = None,
    actor: User | None = None,
) -> bool:
    """Link two cases both ways; returns False when the link already existed."""
    if case.pk == other.pk:
        raise ValidationFailed(_("不能关联案件自身。"), field="other")
    created = False
    for a, b in ((case, other), (other, case)):
        _link, made = CaseLink.objects.get_or_create(
            case=a, other=b, kind=kind, defaults={"note": note, "score": score}
        )
        created = created or made
    if created and actor is not None:
        record_event(
            case=case, action=Action.LINK, actor=actor, note=other.code, data={"other": other.pk}
        )
    return created


def link_many(*, case: Case, links: Iterable[tuple[Case, str, float | None]]) -> int:
    """Link a case to many others at once, both ways, in two statements (registration finds
    up to twenty related cases; linking them one by one cost 160 queries). Existing links are
    kept; returns how many pairs were given."""
    rows = []
    for other, kind, score in links:
        if other.pk == case.pk:
            continue
        rows.append(CaseLink(case=case, other=other, kind=kind, score=score))
        rows.append(CaseLink(case=other, other=case, kind=kind, score=score))
    if rows:
        CaseLink.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows) // 2


def _sniff_type(head: bytes, name: str) -> str:
    signatures = (
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"%PDF-", "application/pdf"),
        (b"ID3", "audio/mpeg"),
    )
    for sig, ctype in signatures:
        if head.startswith(sig):
            return ctype
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "audio/mp4" if name.lower().endswith(".m4a") else "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        guessed = mimetypes.guess_type(name)[0] or ""
        return guessed
    if name.lower().endswith(".txt"):
        try:
            head.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            return ""
    return ""


@db_transaction.atomic
def add_attachment(
    *, case: Case, upload: UploadedFile, actor: Actor, is_public: bool = False
) -> Attachment:
    """Store a file on a case after checking its size and its real type (by content)."""
    size = upload.size or 0
    if size <= 0:
        raise ValidationFailed(_("文件为空。"), field="file")
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationFailed(
            _("文件不能超过%(mb)dMB。") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    name = os.path.basename(upload.name or "file")[:200]
    ext = os.path.splitext(name)[1].lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    ctype = _sniff_type(head, name)
    allowed = settings.ATTACHMENT_ALLOWED_TYPES
    if ctype not in allowed or ext not in allowed[ctype]:
        raise ValidationFailed(
            _("不支持的文件类型，请上传图片（JPG/PNG）、PDF、音视频或Office文档。"), field="file"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=name,
        content_type=ctype,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=user_of(actor),
        is_public=is_public,
    )
    attachment.file.save(f"{case.code}{ext}", upload, save=False)
    attachment.save()
    record_event(
        case=case,
        action=Action.ATTACH,
        actor=actor,
        note=name,
        data={"attachment": attachment.pk, "size": size},
    )
    return attachment


@dataclass(frozen=True)
class ChainReport:
    case_code: str
    events: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(case: Case) -> ChainReport:
    """Recompute the hash chain of a case; report the first event that does not match."""
    prev = ""
    count = 0
    for expected_seq, event in enumerate(case.events.order_by("seq").iterator(), start=1):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(case.code, count, event.seq, "sequence gap")
        if event.prev_hash != prev:
            return ChainReport(case.code, count, event.seq, "previous hash does not match")
        if event.compute_hash(case.code) != event.hash:
            return ChainReport(case.code, count, event.seq, "content changed")
        prev = event.hash
    return ChainReport(case.code, count)


# Fields that update_case may change; status and the code never change here.
UPDATABLE_FIELDS = frozenset(
    {
        "title", "description", "category", "kind", "address", "latitude", "longitude",
        "grid", "people_count", "risk_level", "risk_score", "risk_factors", "tier_level",
        "responsible_leader", "sign_deadline", "deadline", "is_overdue",
    }
)  # fmt: skip


def _jsonable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@db_transaction.atomic
def update_case(
    *,
    case: Case | int,
    changes: dict[str, Any],
    actor: Actor | None,
    unit: Unit | None = None,
    note: str = "",
    action: str = Action.UPDATE,
    now: dt.datetime | None = None,
) -> Case:
    """Change a case's attributes (not its status) and record what changed in one event.

    Used by routing (category, risk, tier), deadlines (deadline, overdue) and staff edits.
    Nothing is written when nothing changes, so callers may retry freely.
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    case = _lock(case)
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        if getattr(case, name) != value:
            changed[name] = {"from": _jsonable(getattr(case, name)), "to": _jsonable(value)}
            setattr(case, name, value)
    if not changed:
        return case
    if "address" in changed:
        case.address_key = address_key(case.region, case.address)
    case.version += 1
    case.updated_at = now or timezone.now()
    case.save()
    for big in ("description", "risk_factors"):
        if big in changed:
            changed[big] = {"changed": True}
    _write_event(
        case,
        action=action,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        unit=unit,
        note=note,
        data={"changes": changed},
        now=case.updated_at,
    )
    return case

"""Writes on cases. Each is one transaction that writes its audit event in the same
transaction; :func:`transition` is the only writer of a case's status."""

from __future__ import annotations

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

from fengqiao.cases import workflow
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
from fengqiao.cases.policies import deadline_policy
from fengqiao.cases.selectors import active_memberships, allowed_transitions
from fengqiao.cases.validation import clean_text
from fengqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Unit, User

STAFF = "staff"


def _write_event(case: Case, **fields: Any) -> CaseEvent:
    return append_event(case, **fields)


def _actor_label(actor: User | None, actor_kind: str) -> str:
    if actor is not None:
        return str(actor)
    return {workflow.CITIZEN: _("群众"), workflow.SYSTEM: _("系统")}.get(actor_kind, "")


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


def _check_lead_unit(case: Case, unit: Unit | None, *, field: str = "lead_unit") -> Unit:
    if unit is None:
        raise ValidationFailed(_("请选择主办单位。"), field=field)
    if not unit.is_active:
        raise ValidationFailed(_("单位“%(unit)s”已停用。") % {"unit": unit}, field=field)
    if not unit.region_path.startswith(case.scope_path):
        raise ValidationFailed(
            _("单位“%(unit)s”不在%(center)s的管辖范围内。") % {"unit": unit, "center": case.center},
            field=field,
        )
    if unit.pk == case.center_id:
        raise ValidationFailed(_("不能派给本中心自身，请选择部门或下级中心。"), field=field)
    return unit


def _check_target_center(case: Case, target: Unit | None, action: str) -> Unit:
    if target is None or target.kind != UnitKind.CENTER or not target.is_active:
        raise ValidationFailed(_("请选择目标综治中心。"), field="target_center")
    current = case.center.region_path
    if action == Action.ESCALATE:
        ok = current.startswith(target.region_path) and target.region_path != current
        if not ok:
            raise ValidationFailed(_("上报只能提交给上级综治中心。"), field="target_center")
    else:
        ok = target.region_path.startswith(current) and target.region_path != current
        if not ok:
            raise ValidationFailed(_("交办只能交给下级综治中心。"), field="target_center")
    return target


def _cancel_assignments(case: Case) -> None:
    case.assignments.filter(
        status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.REPORTED]
    ).update(status=AssignmentStatus.CANCELLED)


@db_transaction.atomic
def transition(
    *,
    case: Case | int,
    action: str,
    actor: User | None,
    actor_kind: str = STAFF,
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
    actor's role and scope and what the move requires, applies it and appends the event.
    """
    now = now or timezone.now()
    case = _lock(case)
    if expected_version is not None and expected_version != case.version:
        raise Conflict(
            _("案件已被他人处理（当前状态：%(status)s），请刷新后重试。")
            % {"status": case.get_status_display()},
            code="version_conflict",
        )
    t = workflow.find(action, case.status)
    if t is None:
        action_label = Action(action).label if action in Action.values else action
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": case.get_status_display(), "action": action_label},
            code="invalid_transition",
        )

    unit: Unit | None = None
    if actor_kind == STAFF:
        if actor is None:
            raise PermissionDenied(_("请先登录。"))
        allowed = {
            tr.action: m for tr, m in allowed_transitions(actor, case, membership_id=membership_id)
        }
        if t.action not in allowed:
            raise PermissionDenied(
                _("您无权对该案件执行“%(action)s”。") % {"action": t.action.label}
            )
        unit = allowed[t.action].unit
    elif actor_kind not in t.roles:
        raise PermissionDenied(_("不允许执行“%(action)s”。") % {"action": t.action.label})

    note = (note or "").strip()
    result = (result or "").strip()
    if workflow.NOTE in t.requires and not note:
        raise ValidationFailed(_("请填写理由或说明。"), field="note")
    if workflow.RESULT in t.requires and not result:
        raise ValidationFailed(_("请填写办理结果。"), field="result")
    if len(note) > 5000 or len(result) > 20000:
        raise ValidationFailed(_("内容过长。"), field="note")
    # A closed case whose party could not be reached within the visit limit is archived by
    # the system without a rating; the event records that it was unreached.
    unreached = (
        action == Action.ARCHIVE and actor_kind == workflow.SYSTEM and not satisfaction and note
    )
    if workflow.SATISFACTION in t.requires and not unreached:
        if satisfaction not in Satisfaction.values:
            raise ValidationFailed(_("请选择满意度。"), field="satisfaction")
        if action == Action.ARCHIVE and satisfaction != Satisfaction.SATISFIED:
            raise ValidationFailed(
                _("群众评价为“基本满意”或“不满意”时不能归档，请重新办理。"), field="satisfaction"
            )

    from_status = case.status
    data: dict[str, Any] = {}
    if action == Action.DISPATCH:
        lead = _check_lead_unit(case, lead_unit)
        co = []
        for u in co_units:
            if u.pk != lead.pk and u not in co:
                if u.kind == UnitKind.CENTER:
                    raise ValidationFailed(
                        _("协办单位应为职能部门；需要下级中心办理的，请派给该中心主办。"),
                        field="co_units",
                    )
                co.append(_check_lead_unit(case, u, field="co_units"))
        _cancel_assignments(case)
        center_before = case.center_id
        CaseAssignment.objects.create(
            case=case, unit=lead, role=AssignmentRole.LEAD, assigned_at=now
        )
        for u in co:
            CaseAssignment.objects.create(
                case=case, unit=u, role=AssignmentRole.CO, assigned_at=now
            )
        case.lead_unit = lead
        if lead.kind == UnitKind.CENTER:
            # Sent down to a lower center (村级调、乡级办): that center takes charge, so its
            # own staff see and handle it; the center above still sees it in its subtree.
            case.center = lead
            case.scope_path = lead.region_path
        case.tier_level = lead.region.level
        case.dispatched_at = now
        case.is_overdue = False
        sign_deadline, deadline, deadline_note = deadline_policy()(case, now)
        case.sign_deadline, case.deadline = sign_deadline, deadline
        data = {
            "lead_unit": lead.pk,
            "from_center": center_before,
            "co_units": [u.pk for u in co],
            "deadline": deadline.isoformat() if deadline else None,
            "sign_deadline": sign_deadline.isoformat() if sign_deadline else None,
        }
        if deadline_note:
            data["deadline_note"] = deadline_note
    elif action == Action.SIGN:
        case.assignments.filter(
            unit=case.lead_unit, role=AssignmentRole.LEAD, status=AssignmentStatus.PENDING
        ).update(status=AssignmentStatus.SIGNED, signed_at=now)
    elif action == Action.RETURN:
        case.assignments.filter(unit=case.lead_unit, status=AssignmentStatus.PENDING).update(
            status=AssignmentStatus.RETURNED, return_reason=note
        )
        _cancel_assignments(case)
        data = {"returned_by_unit": case.lead_unit_id}
        if case.lead_unit_id == case.center_id:
            # A lower center returns what was sent down to it: back to the sending center.
            last = case.events.filter(action=Action.DISPATCH).order_by("-seq").first()
            sender = Unit.objects.filter(pk=(last.data or {}).get("from_center")).first()
            if sender is not None:
                case.center = sender
                case.scope_path = sender.region_path
        case.lead_unit = None
        case.deadline = case.sign_deadline = None
    elif action in (Action.RESOLVE, Action.ANSWER, Action.SETTLE):
        case.result = result
        case.public_result = (public_result or result).strip()
        case.resolved_at = now
        settled_unit = case.lead_unit if action == Action.RESOLVE else case.center
        case.settled_level = settled_unit.region.level if settled_unit else None
    elif action in (Action.ESCALATE, Action.DELEGATE):
        target = _check_target_center(case, target_center, action)
        data = {"from_center": case.center_id, "to_center": target.pk}
        _cancel_assignments(case)
        case.center = target
        case.scope_path = target.region_path
        case.lead_unit = None
        case.deadline = case.sign_deadline = None
        case.tier_level = target.region.level
    elif action == Action.CLOSE:
        case.closed_at = now
    elif action == Action.SEND_BACK:
        case.resolved_at = None
    elif action == Action.ARCHIVE:
        case.satisfaction = satisfaction
        data = {"unreached": True} if unreached else {"satisfaction": satisfaction}
    elif action == Action.REOPEN:
        if satisfaction:
            if satisfaction not in Satisfaction.values:
                raise ValidationFailed(_("请选择满意度。"), field="satisfaction")
            case.satisfaction = satisfaction
            data = {"satisfaction": satisfaction}
        case.resolved_at = case.closed_at = None

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
        actor_label=_actor_label(actor, actor_kind),
        unit=unit,
        note=note or result,
        data=data,
        now=now,
    )
    return case


@db_transaction.atomic
def record_event(
    *,
    case: Case | int,
    action: str,
    actor: User | None,
    actor_kind: str = STAFF,
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
        actor_label=_actor_label(actor, actor_kind),
        unit=unit,
        note=note,
        data=data,
        now=now or timezone.now(),
    )


@db_transaction.atomic
def report_co_handling(*, case: Case | int, actor: User, unit: Unit, report: str) -> CaseAssignment:
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
    now = timezone.now()
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
        actor_label=str(actor),
        unit=unit,
        note=report,
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
    *, case: Case, upload: UploadedFile, actor: User | None, is_public: bool = False
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
        uploaded_by=actor,
        is_public=is_public,
    )
    attachment.file.save(f"{case.code}{ext}", upload, save=False)
    attachment.save()
    record_event(
        case=case,
        action=Action.ATTACH,
        actor=actor,
        actor_kind=STAFF if actor else workflow.CITIZEN,
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
    actor: User | None,
    actor_kind: str = STAFF,
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
        actor_label=_actor_label(actor, actor_kind),
        unit=unit,
        note=note,
        data={"changes": changed},
        now=case.updated_at,
    )
    return case

"""Writes of routing: register-and-route, risk (re)grading, category corrections, training and
activating classifier versions, switching the risk scheme.

Each is one transaction; changes to a case go through :func:`fengqiao.cases.services.update_case`
(which writes the audit event); notifications go out after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases import hooks
from fengqiao.cases import services as case_services
from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.models import Case, Category
from fengqiao.cases.selectors import visible_cases
from fengqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from fengqiao.notifications.services import notify
from fengqiao.org.models import User
from fengqiao.routing import classification, dispatch, related, risk
from fengqiao.routing.assessment import RoutingDecision, grade, risk_changes
from fengqiao.routing.evaluate import cross_validate
from fengqiao.routing.models import (
    CaseRouting,
    ClassifierVersion,
    Correction,
    RiskScheme,
)
from fengqiao.routing.risk import RiskAssessment
from fengqiao.routing.selectors import may_correct_category
from fengqiao.routing.text import TextClassifier

logger = logging.getLogger(__name__)


def _case_link(case: Case) -> str:
    try:
        return reverse("workbench:case", args=[case.code])
    except NoReverseMatch:
        return f"/cases/{case.code}/"


def notify_top_level(case: Case, assessment: RiskAssessment) -> None:
    """Tell the directors of the case's center (and its 包案 leader) that it rose to the top
    level. Runs after commit; without the notifications app it only logs."""
    recipients = dispatch.center_directors(case.center)
    if case.responsible_leader_id and case.responsible_leader not in recipients:
        recipients.append(case.responsible_leader)
    reasons = "；".join(
        f"{f['label']}（+{f['weight']}）：{f['detail']}" for f in assessment.factors
    )
    title = _("%(level)s风险案件：%(title)s") % {"level": assessment.label, "title": case.title}
    body = _("案件%(code)s风险分值%(score)d。%(reasons)s") % {
        "code": case.code,
        "score": assessment.score,
        "reasons": reasons,
    }
    notify(
        recipients=recipients,
        title=title,
        body=body,
        link=_case_link(case),
        kind="risk_red",
        dedupe_key=f"risk_red:{case.pk}:{case.version}",
    )


def _after_grading(case: Case, before: str | None, assessment: RiskAssessment) -> None:
    scheme = risk.active_scheme()
    top = scheme.top
    if assessment.level == top.code and (before is None or scheme.rank(before) < top.rank):
        transaction.on_commit(lambda: notify_top_level(case, assessment))


@transaction.atomic
def apply_risk(
    *, case: Case | int, actor: User | None = None, floor: str | None = None
) -> RiskAssessment:
    """Grade a case again and store the level, score, factors and tier; a rise to the top
    level notifies the center's directors at once (after commit)."""
    pk = case.pk if isinstance(case, Case) else case
    current = Case.objects.select_related("category", "center", "region").filter(pk=pk).first()
    if current is None:
        raise NotFound(_("案件不存在。"))
    before = current.risk_level
    assessment = grade(current, floor)
    updated = case_services.update_case(
        case=current,
        changes=risk_changes(current, assessment),
        actor=actor or sweep_actor("risk_grading"),
        note=_("风险研判"),
    )
    if before != updated.risk_level:
        _after_grading(updated, before, assessment)
    return assessment


def after_registration(case: Case, decision: RoutingDecision) -> None:
    """Inside the registering transaction: a case registered at the top level tells the
    center's directors and its 包案 leader once the transaction commits."""
    _after_grading(case, None, decision.assessment)


def link_related_now(case: Case) -> None:
    """Where case events are delivered inline (tests, the demo loader), link a new case to
    its related cases at once; otherwise the registration event's handler does it in the
    task worker (:func:`fengqiao.routing.handlers.on_case_event`), queued in the same
    transaction as the case and so never lost."""
    if hooks.delivery() == hooks.INLINE:
        link_related(case=case)


@transaction.atomic
def link_related(*, case: Case) -> list[tuple[Case, str, float]]:
    """Index a case's text and link it to the related cases found now."""
    sig = related.index_case(case)
    links = related.find_related(case, sig=sig)
    case_services.link_many(case=case, links=links)
    return links


@transaction.atomic
def correct_category(
    *, case: Case | int, category: Category, actor: User, now: dt.datetime | None = None
) -> Case:
    """A dispatcher confirms or corrects a case's category. The correction is stored (the
    next training run learns from it) and the risk is graded again."""
    pk = case.pk if isinstance(case, Case) else case
    current = visible_cases(actor).select_related("category").filter(pk=pk).first()
    if current is None:
        raise NotFound(_("案件不存在。"))
    if not may_correct_category(actor, current):
        raise PermissionDenied(_("只有分流调度员或中心主任可以更正分类。"))
    if not category.is_active:
        raise ValidationFailed(_("分类“%(name)s”已停用。") % {"name": category}, field="category")
    if current.category_id == category.pk:
        return current
    now = now or timezone.now()
    routing = CaseRouting.objects.filter(case=current).first()
    Correction.objects.create(
        case=current,
        proposed=current.category or (routing.category if routing else None),
        corrected=category,
        actor=actor,
        created_at=now,
    )
    updated = case_services.update_case(
        case=current,
        changes={"category": category, "kind": category.kind},
        actor=actor,
        note=_("更正分类"),
        now=now,
    )
    apply_risk(case=updated)
    return Case.objects.get(pk=updated.pk)


def record_correction_from_event(event) -> Correction | None:
    """A category change made by a person elsewhere (an edit form) counts as a correction."""
    change = (event.data or {}).get("changes", {}).get("category")
    if not change or event.actor_id is None or not change.get("to"):
        return None
    # correct_category() stored its own correction in the same transaction.
    exists = Correction.objects.filter(
        case_id=event.case_id,
        corrected_id=change["to"],
        actor_id=event.actor_id,
        created_at__gte=event.created_at - dt.timedelta(seconds=30),
    ).exists()
    if exists:
        return None
    return Correction.objects.create(
        case_id=event.case_id,
        proposed_id=change.get("from"),
        corrected_id=change["to"],
        actor_id=event.actor_id,
        created_at=event.created_at,
    )


@dataclass(frozen=True)
class TrainResult:
    version: ClassifierVersion
    metrics: dict
    activated: bool


def _folds(labels: list[str], k: int) -> list[int]:
    """Stratified fold numbers: each category spread round-robin over the folds."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(n % k)
    return out


def evaluate(texts: list[str], labels: list[str], *, folds: int = 5) -> dict:
    """Cross-validated accuracy and macro-F1 of the text classifier on these cases."""

    rows = [
        {"title": "", "text": t, "label": label, "fold": f}
        for t, label, f in zip(texts, labels, _folds(labels, folds), strict=True)
    ]
    return cross_validate(rows)


@transaction.atomic
def activate_version(*, version: ClassifierVersion) -> ClassifierVersion:
    """Make this version the one registration uses."""
    ClassifierVersion.objects.select_for_update().filter(is_active=True).exclude(
        pk=version.pk
    ).update(is_active=False)
    if not version.is_active:
        version.is_active = True
        version.save(update_fields=["is_active"])
    return version


def train_model(
    *, min_samples: int = 30, activate: bool = False, folds: int = 5, note: str = ""
) -> TrainResult:
    """Train a new classifier version on the deployment's closed cases and corrections,
    evaluate it by cross-validation, store it, and activate it when asked or when it is
    better (macro-F1) than the active one."""

    texts, labels, _ids = classification.training_set()
    if len(texts) < min_samples:
        raise ValidationFailed(
            _("训练样本不足：现有%(n)d件，至少需要%(min)d件已结案案件。")
            % {"n": len(texts), "min": min_samples},
            field="min_samples",
        )
    if len(set(labels)) < 2:
        raise ValidationFailed(_("训练样本至少要有两个分类。"), field="labels")
    metrics = evaluate(texts, labels, folds=folds)
    model = TextClassifier.train(texts, labels)
    blob = model.dumps()
    with transaction.atomic():
        last = ClassifierVersion.objects.select_for_update().aggregate(v=Max("version"))["v"]
        version = ClassifierVersion.objects.create(
            version=(last or 0) + 1,
            blob=blob,
            labels=sorted(set(labels)),
            metrics=metrics,
            n_samples=len(texts),
            trained_at=timezone.now(),
            note=note[:255],
        )
        active = ClassifierVersion.objects.filter(is_active=True).first()
        better = active is None or metrics.get("macro_f1", 0) > (active.metrics or {}).get(
            "macro_f1", 0
        )
        activated = activate or better
        if activated:
            activate_version(version=version)
    return TrainResult(version=version, metrics=metrics, activated=activated)


@transaction.atomic
def activate_scheme(*, scheme: RiskScheme) -> RiskScheme:
    """Switch the risk scheme in use (蓝黄红, 红橙黄蓝, 红黄绿…)."""
    if not scheme.levels.exists():
        raise ValidationFailed(_("该方案还没有定义风险等级。"), field="scheme")
    RiskScheme.objects.filter(is_active=True).exclude(pk=scheme.pk).update(is_active=False)
    if not scheme.is_active:
        scheme.is_active = True
        scheme.save(update_fields=["is_active"])
    return scheme

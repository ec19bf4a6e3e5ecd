"""Key populations: registration, reveals with a reason (logged), visits, missed-visit alerts.

Who may touch them is :func:`fengqiao.grid.selectors.visible_key_people`: directors of the
centers above the person's grid, and the grid workers of that grid. A reveal of any field
needs a reason and writes a :class:`KeyPersonReveal` row in the same transaction that the
director sees. Visits are due on the working-day calendar (``deadlines``); a missed one
raises a reminder to the responsible worker, and after :data:`SUPERVISE_AFTER` more working
days automatic supervision to the directors of the village and township centers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fengqiao.core import crypto
from fengqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fengqiao.core.validators import is_phone, is_resident_id
from fengqiao.deadlines.calendar import WorkCalendar, load_calendar
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import (
    RISK_CADENCE,
    VISIT_WORKDAYS,
    AlertLevel,
    KeyCategory,
    KeyRisk,
    VisitEvery,
)
from fengqiao.grid.models import KeyPerson, KeyPersonReveal, KeyPersonVisit, VisitAlert
from fengqiao.grid.models.keypop import ENCRYPTED_FIELDS
from fengqiao.grid.services.audit import audit
from fengqiao.grid.services.common import clean_text
from fengqiao.notifications.services import notify
from fengqiao.org.choices import Role, UnitKind
from fengqiao.org.models import Membership, User
from fengqiao.regions.models import Grid

SUPERVISE_AFTER = 3  # working days past the due date before supervision
FIELD_LABELS = {
    "name": _lazy("姓名"),
    "id_number": _lazy("身份证号"),
    "phone": _lazy("联系电话"),
    "address": _lazy("住址"),
    "note": _lazy("管控情况"),
}


def _may_register(actor: User, grid: Grid) -> bool:
    if any(grid.region_path.startswith(p) for p in sel.director_paths(actor)):
        return True
    return sel.is_grid_worker(actor) and grid.pk in sel.own_grid_ids(actor)


def next_due(from_day: dt.date, every: str, calendar: WorkCalendar | None = None) -> dt.date:
    """The working day by which the next visit is due."""
    calendar = calendar or load_calendar([from_day.year, from_day.year + 1])
    return calendar.nth_workday_after(from_day, VISIT_WORKDAYS[every])


@transaction.atomic
def register_key_person(
    *,
    actor: User | None,
    grid: Grid,
    category: str,
    name: str,
    risk: str,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    note: str = "",
    visit_every: str = "",
    responsible: User | None = None,
    today: dt.date | None = None,
) -> KeyPerson:
    """Put a person under management (``actor`` None: a loader, which checks nothing)."""
    if actor is not None and not _may_register(actor, grid):
        raise PermissionDenied(_("您没有登记该网格重点人员的权限。"))
    if category not in KeyCategory.values:
        raise ValidationFailed(_("重点人员类别无效。"), field="category")
    if risk not in KeyRisk.values:
        raise ValidationFailed(_("风险等级无效。"), field="risk")
    visit_every = visit_every or RISK_CADENCE[KeyRisk(risk)]
    if visit_every not in VisitEvery.values:
        raise ValidationFailed(_("走访频次无效。"), field="visit_every")
    name = clean_text(name, _("姓名"), max_length=64, field="name")
    id_number = crypto.normalize_id_number(
        clean_text(id_number, _("身份证号"), max_length=18, required=False)
    )
    if id_number and not is_resident_id(id_number):
        raise ValidationFailed(
            _("身份证号码不正确（请核对位数、出生日期和最后一位校验码）。"), field="id_number"
        )
    phone = clean_text(phone, _("联系电话"), max_length=20, required=False, field="phone")
    if phone and not is_phone(phone):
        raise ValidationFailed(_("联系电话格式不正确。"), field="phone")
    if (
        id_number
        and KeyPerson.objects.filter(
            category=category, id_number_hash=crypto.id_number_hash(id_number)
        ).exists()
    ):
        raise Conflict(
            _("该人员已登记为%(category)s，不能重复登记。")
            % {"category": KeyCategory(category).label},
            field="id_number",
        )
    today = today or timezone.localdate()
    person = KeyPerson(
        grid=grid,
        category=category,
        risk=risk,
        visit_every=visit_every,
        next_visit_due=next_due(today, visit_every),
        responsible=responsible,
    )
    person.set_values(
        name=name,
        id_number=id_number,
        phone=phone,
        address=clean_text(address, _("住址"), max_length=200, required=False),
        note=clean_text(note, _("管控情况"), max_length=2000, required=False),
    )
    person.save()
    audit(actor=actor, action="keyperson.register", obj=person, category=category, risk=risk)
    return person


def get_person(user: User, person_id: int) -> KeyPerson:
    person = (
        sel.visible_key_people(user).select_related("grid__region").filter(pk=person_id).first()
    )
    if person is None:
        raise NotFound(_("人员不存在或您无权查看。"))
    return person


@transaction.atomic
def reveal(*, actor: User, person: KeyPerson, fields: list[str], reason: str) -> dict[str, str]:
    """The plain values of ``fields``, logged with the reason (who, when, why, what)."""
    if not sel.visible_key_people(actor).filter(pk=person.pk).exists():
        raise NotFound(_("人员不存在或您无权查看。"))
    reason = clean_text(reason, _("查看事由"), max_length=200, field="reason")
    if len(reason) < 4:
        raise ValidationFailed(_("请具体说明查看事由（至少4个字）。"), field="reason")
    fields = [f for f in dict.fromkeys(fields) if f in ENCRYPTED_FIELDS]
    if not fields:
        raise ValidationFailed(_("请选择要查看的信息。"), field="fields")
    KeyPersonReveal.objects.create(
        person=person, region_path=person.region_path, user=actor, fields=fields, reason=reason
    )
    return {f: person.plain(f) for f in fields}


@dataclass(frozen=True)
class VisitResult:
    visit: KeyPersonVisit
    next_due: dt.date


@transaction.atomic
def record_visit(
    *,
    actor: User,
    person: KeyPerson,
    visited_on: dt.date,
    findings: str,
    risk_after: str,
) -> VisitResult:
    """A visit: the plan moves on from the visit's day, open alerts are lifted."""
    person = KeyPerson.objects.select_for_update().get(pk=get_person(actor, person.pk).pk)
    today = timezone.localdate()
    if visited_on > today or visited_on < today - dt.timedelta(days=31):
        raise ValidationFailed(_("走访日期应在最近31天内。"), field="visited_on")
    if risk_after not in KeyRisk.values:
        raise ValidationFailed(_("风险等级无效。"), field="risk_after")
    findings = clean_text(findings, _("走访情况"), max_length=5000, field="findings")
    visit = KeyPersonVisit.objects.create(
        person=person,
        visitor=actor,
        visited_on=visited_on,
        due_on=person.next_visit_due,
        findings_enc=crypto.encrypt(findings),
        risk_after=risk_after,
        was_late=visited_on > person.next_visit_due,
    )
    person.risk = risk_after
    person.last_visited_on = max(visited_on, person.last_visited_on or visited_on)
    person.next_visit_due = next_due(person.last_visited_on, person.visit_every)
    person.save(update_fields=["risk", "last_visited_on", "next_visit_due"])
    VisitAlert.objects.filter(person=person, resolved_at=None).update(resolved_at=timezone.now())
    audit(
        actor=actor,
        action="keyperson.visit",
        obj=person,
        visited_on=visited_on.isoformat(),
        late=visit.was_late,
    )
    return VisitResult(visit, person.next_visit_due)


def _directors_over(region_path: str) -> list[User]:
    codes = [c for c in region_path.split(".") if c]
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.DIRECTOR,
            is_active=True,
            unit__kind=UnitKind.CENTER,
            unit__region_id__in=codes[-2:],  # the village's and the township's centers
        ).select_related("user")
    ]


def _raise(person: KeyPerson, level: str, recipients: list[User], title: str) -> bool:
    try:
        with transaction.atomic():
            VisitAlert.objects.create(
                person=person,
                region_path=person.region_path,
                level=level,
                due_on=person.next_visit_due,
            )
    except IntegrityError:
        return False  # raised before for this due date
    notify(
        recipients=recipients,
        title=title,
        body=_("%(person)s（%(category)s）应于%(due)s前走访，尚未走访。")
        % {
            "person": person.name_mask,
            "category": person.get_category_display(),
            "due": person.next_visit_due.isoformat(),
        },
        link=reverse("grid:key_person", args=[person.pk]),
        kind="grid_visit",
        dedupe_key=f"grid-visit:{person.pk}:{level}:{person.next_visit_due.isoformat()}",
    )
    return True


def sweep_missed_visits(*, today: dt.date | None = None, limit: int = 5000) -> dict[str, int]:
    """Alert on every visit past due: a reminder, then supervision. Safe to run again."""
    today = today or timezone.localdate()
    calendar = load_calendar([today.year - 1, today.year])
    due = (
        KeyPerson.objects.filter(is_active=True, next_visit_due__lt=today)
        .select_related("responsible")
        .order_by("next_visit_due")[:limit]
    )
    counts = {"overdue": 0, "reminders": 0, "supervised": 0}
    for person in due:
        counts["overdue"] += 1
        if person.responsible and _raise(
            person, AlertLevel.REMINDER, [person.responsible], _("重点人员走访逾期提醒")
        ):
            counts["reminders"] += 1
        if calendar.nth_workday_after(person.next_visit_due, SUPERVISE_AFTER) <= today and _raise(
            person,
            AlertLevel.SUPERVISION,
            _directors_over(person.region_path),
            _("自动督办：重点人员走访逾期"),
        ):
            counts["supervised"] += 1
    return counts

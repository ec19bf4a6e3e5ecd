# ruff: noqa: E501 - lines of Chinese notes read better unbroken
"""The demo's steps that belong to other apps, each through that app's public services.

- intake: :func:`fengqiao.intake.services.register_appeal` registers each case as a door
  would; routing classifies it, grades the risk (factors, 包案 leader for red cases) and
  links related cases;
- deadlines, supervision rules and followup react to case events: the demo runs their
  event handlers itself, in its own transaction and at the simulated time, leaving out the
  handlers that notify citizens (no SMS goes out from the demo);
- deadlines: a case handled past its limit is marked overdue when it passed the limit, the
  way the sweep marks it; the sweep itself runs at the end for the cases still open;
- supervision: automatic orders on overdue cases, orders by hand on some others, replies
  and closings, so that orders exist in every state and grade;
- followup: visits back on closed cases (满意 archives, 基本满意/不满意 reopens), some not
  reached, and the monthly random samples.

A step that fails is logged and skipped (the demo goes on with the next case).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from fengqiao.cases import hooks
from fengqiao.cases import services as case_services
from fengqiao.cases.actors import sweep_actor
from fengqiao.cases.choices import Action, LinkKind, RiskLevel, Satisfaction, Status
from fengqiao.cases.models import Case, CaseEvent, EventCursor
from fengqiao.deadlines import services as deadline_services
from fengqiao.demo.clock import Clock
from fengqiao.demo.models import DemoCase, DemoRun
from fengqiao.followup import services as followup_services
from fengqiao.followup.models import VisitTask
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door
from fengqiao.org.choices import Role
from fengqiao.org.models import User
from fengqiao.supervision import rules as supervision_rules
from fengqiao.supervision import services as supervision_services
from fengqiao.supervision.models import SupervisionOrder

if TYPE_CHECKING:
    from fengqiao.demo.cases import Life
    from fengqiao.demo.organization import DemoOrg

logger = logging.getLogger(__name__)

SUPERVISION_REPLIES = [
    "已收到督办，已约谈当事双方，正在抓紧推进，预计本周内办结。",
    "已成立专班，逐户核实情况，办理进展将按时报告。",
    "超期原因是当事人外出务工联系不上，现已取得联系，正在调处。",
    "已落实包案领导，制定稳控方案，目前情况平稳。",
]
MANUAL_REQUIREMENTS = [
    "该案群众反映强烈，请于期限内报告办理进展，确保案结事了。",
    "请主办单位主要负责人亲自过问，限期化解并书面回复。",
    "涉及群体性诉求，请做好稳控工作，每周报告一次进展。",
]


@contextmanager
def own_event_handlers() -> Iterator[list[Callable[[CaseEvent], None]]]:
    """Switch off the after-commit case event handlers and hand back the ones the demo runs
    itself (all but those that notify people)."""
    paths = list(getattr(settings, "FENGQIAO_CASE_EVENT_HANDLERS", ()))
    kept = []
    for path in paths:
        if "notify" in path.rsplit(".", 1)[-1]:
            continue
        kept.append(import_string(path))
    hooks.handlers.cache_clear()
    try:
        with override_settings(FENGQIAO_CASE_EVENT_HANDLERS=[]):
            yield kept
    finally:
        hooks.handlers.cache_clear()


class Steps:
    def __init__(
        self,
        org: DemoOrg,
        anchor: dt.datetime,
        clock: Clock,
        handlers: list[Callable[[CaseEvent], None]] | None = None,
    ):
        self.org = org
        self.anchor = anchor
        self.clock = clock
        self.handlers = handlers or []

    # ---- events --------------------------------------------------------------------------

    def flush(self, case: Case | int) -> bool:
        """Run the event handlers on the case's events they have not seen yet (after the
        case's cursor; a handler may write further events: those are handled too). True when
        a handler wrote some."""
        if not self.handlers:
            return False
        pk = case.pk if isinstance(case, Case) else case
        for round_ in range(5):
            last = EventCursor.objects.filter(case_id=pk).values_list("seq", flat=True).first()
            events = list(CaseEvent.objects.filter(case_id=pk, seq__gt=last or 0).order_by("seq"))
            if not events:
                return round_ > 1
            for event in events:
                for handler in self.handlers:
                    try:
                        handler(event)
                    except Exception:  # as hooks do: a handler's failure loses nothing
                        logger.exception("demo: handler %r failed on event %s", handler, event.pk)
            # Handled here (the notices left out on purpose): the task worker of `make run`
            # goes on after them when someone acts on the case.
            hooks.mark_handled(pk, events[-1].seq)
        return True

    # ---- registration and risk -----------------------------------------------------------

    def register(self, *, appeal: AppealIn, actor: User | None, now: dt.datetime) -> Case:
        door = Door.DEMO
        case = register_appeal(appeal=appeal, door=door, actor=actor, now=now).case
        self.flush(case)
        return Case.objects.select_related("center", "lead_unit").get(pk=case.pk)

    def link(self, case: Case, applicant_key: str, cluster: str, run: DemoRun) -> None:
        """Link a repeat appellant's cases and the cases of one cluster (routing links by
        text, phone and place on its own)."""
        for key, kind, note in (
            (applicant_key, LinkKind.SAME_PARTY, "同一申请人多次反映"),
            (cluster, LinkKind.RELATED, "同一事件引发的系列诉求"),
        ):
            if not key:
                continue
            field = "applicant_key" if kind == LinkKind.SAME_PARTY else "cluster"
            earlier = (
                DemoCase.objects.filter(run=run, **{field: key})
                .exclude(case=case)
                .order_by("-index")
                .values_list("case_id", flat=True)[:2]
            )
            for other in Case.objects.filter(pk__in=list(earlier)):
                case_services.link_cases(case=case, other=other, kind=kind, note=note)

    # ---- during handling -----------------------------------------------------------------

    def while_handling(self, life: Life, end: dt.datetime) -> list:
        """What happens around a case while it is handled until ``end``: a supervisor's
        order on some red and large cases, and, past the deadline, the overdue mark and the
        automatic order. Returns the orders to close once the case is resolved."""
        orders = []
        case = life.case
        r = life.r
        limit = min(end, self.anchor)
        big = case.risk_level == RiskLevel.RED or case.people_count >= 10
        if big and r.random() < 0.6:
            moment = life.later(20, 24 * 4)
            if moment < limit:
                life.at(moment)
                grade = r.choice(["key", "listed"] if case.risk_level == RiskLevel.RED else
                                 ["general", "key"])  # fmt: skip
                order = self._issue(life, grade=grade, automatic=False, reason="领导关注",
                                    requirement=r.choice(MANUAL_REQUIREMENTS))  # fmt: skip
                if order is not None:
                    orders.append(order)
                    reply_at = life.later(6, 24 * 3)
                    if reply_at < limit:
                        self._reply(life, order, reply_at)
        if case.deadline is None or end <= case.deadline:
            return orders
        overdue_at = max(case.deadline + dt.timedelta(minutes=r.randint(5, 300)), life.t)
        if end >= self.anchor or overdue_at >= self.anchor:
            return orders  # still open at the anchor: the final sweep marks it, as live
        life.at(overdue_at)
        life.case = case_services.update_case(
            case=case, changes={"is_overdue": True}, actor=sweep_actor("demo"),
            note="超过办理时限", now=life.t,
        )  # fmt: skip
        self.flush(life.case)
        grade = "key" if case.risk_level == RiskLevel.RED else "general"
        order = self._issue(life, grade=grade, automatic=True, reason="超过办理时限",
                            requirement="案件已超过办理时限，请说明原因并限期办结。")  # fmt: skip
        if order is not None:
            orders.append(order)
            reply_at = life.later(3, 48)
            if reply_at < end:
                self._reply(life, order, reply_at)
        return orders

    def close_orders(self, life: Life, orders: list) -> None:
        """The supervisor closes the orders of a resolved case (most of them)."""
        for order in orders:
            if life.r.random() < 0.9:
                self._close_order(life, order, life.later(2, 30))

    def _issue(self, life: Life, *, grade: str, automatic: bool, reason: str, requirement: str):
        case = life.case
        try:
            if automatic:
                order = supervision_services.issue_automatic(
                    case=case, grade=grade, requirement=requirement, reason=reason,
                    auto_key=f"demo:{case.pk}:{life.t:%Y%m%d%H%M}", now=life.t,
                )  # fmt: skip
            else:
                order = supervision_services.issue_order(
                    case=case, grade=grade, requirement=requirement,
                    actor=None if automatic else life.staff(Role.SUPERVISOR),
                    is_automatic=automatic, reason=reason, now=life.t,
                )  # fmt: skip
        except Exception:
            logger.exception("demo: supervision order on %s failed", case.code)
            return None
        self.flush(case)
        return order

    def _reply(self, life: Life, order, moment: dt.datetime) -> None:
        if moment >= self.anchor:
            return
        life.at(moment)
        self.clock.set(life.t)
        handler = life.b.handler_of(life.case.lead_unit) if life.case.lead_unit else None
        actor = handler or life.staff(Role.DISPATCHER)
        try:
            supervision_services.reply_to_order(
                order=order, actor=actor, text=life.r.choice(SUPERVISION_REPLIES), now=life.t
            )
        except Exception:
            logger.exception("demo: supervision reply on %s failed", life.case.code)
        self.flush(life.case)

    def _close_order(self, life: Life, order, moment: dt.datetime) -> None:
        if moment >= self.anchor:
            return
        life.at(moment)
        order.refresh_from_db()
        if order.status == "closed":
            return
        try:
            supervision_services.close_order(
                order=order, actor=life.staff(Role.SUPERVISOR), note="已按要求办结，督办销号。",
                now=life.t,
            )  # fmt: skip
        except Exception:
            logger.exception("demo: closing supervision order on %s failed", life.case.code)
        self.flush(life.case)

    # ---- visits --------------------------------------------------------------------------

    def visit(self, life: Life, *, reopen: bool) -> None:
        """Visit a closed case back: 满意 archives it; 基本满意/不满意 reopens it, after which
        it is handled, resolved and closed again and visited once more."""
        r = life.r
        moment = life.later(4, 24 * 5)
        satisfaction = (
            r.choice([Satisfaction.BASIC, Satisfaction.DISSATISFIED])
            if reopen
            else Satisfaction.SATISFIED
        )
        comment = r.choice(
            ["对方没有按协议履行。", "问题只解决了一半。", "处理太慢。"]
            if reopen
            else ["满意，谢谢中心。", "问题解决了，很满意。", "工作人员很耐心。", "满意。", ""]
        )
        task = self._visit_task(life.case)
        visitor = life.staff(Role.RECEPTIONIST)
        if task is not None:
            try:
                if r.random() < 0.08:  # the first call is not answered
                    life.at(moment)
                    followup_services.record_visit(
                        task=task, actor=visitor, method="phone", reached=False,
                        comment="电话无人接听。", now=life.t,
                    )  # fmt: skip
                    self.flush(life.case)
                    moment = life.later(20, 24 * 3)
                life.at(moment)
                applicant = life.case.applicant
                followup_services.record_visit(
                    task=task, actor=visitor,
                    method=r.choice(["phone", "phone", "phone", "sms", "in_person"]),
                    reached=True, reached_person=applicant.name if applicant else "申请人",
                    satisfaction=satisfaction, comment=comment, now=life.t,
                )  # fmt: skip
            except Exception as exc:
                if isinstance(exc, life.stop_class):
                    raise
                logger.exception("demo: visit on %s failed; archiving by hand", life.case.code)
                task = None
            else:
                life.case = Case.objects.select_related("center", "lead_unit").get(pk=life.case.pk)
                self.flush(life.case)
        if task is None:
            life.at(moment)
            if reopen:
                life.move(Action.REOPEN, life.staff(Role.DISPATCHER), life.t,
                          note="回访时当事人表示：" + comment, satisfaction=satisfaction)  # fmt: skip
            else:
                life.move(Action.ARCHIVE, visitor, life.t, satisfaction=satisfaction,
                          note="电话回访，当事人表示满意。")  # fmt: skip
        if life.case.status == Status.HANDLING and life.case.lead_unit_id:  # reopened
            life.work_and_resolve()
            life.after_resolve(final=True)

    def _visit_task(self, case: Case):
        return VisitTask.objects.filter(case=case, status="pending").order_by("-id").first()

    # ---- the end -------------------------------------------------------------------------

    def final(self, run: DemoRun, rng: random.Random) -> dict[str, int]:
        """At the anchor: sweep deadlines and supervision as the live system would, then give
        the supervisors and handlers something to show (orders by hand, replies, closings),
        and draw the monthly visit samples."""
        done: dict[str, int] = {}
        self.clock.set(self.anchor)
        try:
            deadline_services.sweep_deadlines(now=self.anchor)
        except Exception:
            logger.exception("demo: deadline sweep failed")
        try:
            supervision_rules.sweep_supervision(now=self.anchor)
        except Exception:
            logger.exception("demo: supervision sweep failed")
        self._answer_some_orders(rng)
        # What the sweeps and the answers wrote is handled as everything before it was.
        touched = CaseEvent.objects.filter(created_at__gte=self.anchor).values_list(
            "case_id", flat=True
        )
        for case_id in sorted(set(touched)):
            self.flush(case_id)
        self.clock.set(self.anchor)
        try:  # last month's random sample of parties to visit (回访抽样)
            followup_services.draw_previous_month_samples(now=self.anchor)
        except Exception:
            logger.exception("demo: drawing the monthly samples failed")
        return done

    def _answer_some_orders(self, rng: random.Random) -> None:
        """Within the hour after the anchor, some handlers answer the orders just issued."""
        orders = SupervisionOrder.objects.filter(
            status__in=["open", "overdue"], case__status__in=[Status.DISPATCHED, Status.HANDLING]
        ).select_related("case")
        for order in orders.order_by("pk"):
            case = order.case
            if rng.random() > 0.3 or case.lead_unit_id is None:
                continue
            actor = self.org.staff.get((case.lead_unit_id, Role.HANDLER))
            if actor is None:
                continue
            moment = self.anchor + dt.timedelta(minutes=rng.randint(1, 50))
            last = case.events.order_by("-seq").values_list("created_at", flat=True).first()
            if last and last >= moment:
                continue
            self.clock.set(moment)
            try:
                supervision_services.reply_to_order(
                    order=order, actor=actor, text=rng.choice(SUPERVISION_REPLIES), now=moment
                )
            except Exception:
                logger.exception("demo: reply to order %s failed", order.pk)
            self.flush(case)

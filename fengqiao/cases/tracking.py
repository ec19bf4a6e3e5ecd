"""Public tracking of one case (扫码/查询进度): the citizen gives the code and the last four
digits of the applicant's phone and sees a plain-language timeline, nothing internal.

A mistyped code is refused by its check character before any lookup; any other mismatch
(no such case, wrong digits) gives the same answer, so codes cannot be probed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fengqiao.cases.choices import Action, PartyRole, Status
from fengqiao.cases.codes import InvalidCode, check_code
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.errors import NotFound, ValidationFailed

RESULT_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.ARCHIVED})

# What a citizen reads for each event; events not listed here are internal and skipped.
TIMELINE_TEXTS = {
    Action.REGISTER: gettext_lazy("您的诉求已受理"),
    Action.MEDIATE: gettext_lazy("正在进行调解"),
    Action.DISPATCH: gettext_lazy("已转交承办单位办理"),
    Action.SIGN: gettext_lazy("承办单位已签收，正在办理"),
    Action.RETURN: gettext_lazy("正在重新分派"),
    Action.ESCALATE: gettext_lazy("正在重新分派"),
    Action.DELEGATE: gettext_lazy("正在重新分派"),
    Action.ANSWER: gettext_lazy("已办结，等待审核"),
    Action.SETTLE: gettext_lazy("已办结，等待审核"),
    Action.RESOLVE: gettext_lazy("已办结，等待审核"),
    Action.SEND_BACK: gettext_lazy("正在继续办理"),
    Action.CLOSE: gettext_lazy("已结案"),
    Action.ARCHIVE: gettext_lazy("已归档，感谢您的评价"),
    Action.REOPEN: gettext_lazy("正在重新办理"),
    Action.REJECT: gettext_lazy("不予受理"),
    Action.WITHDRAW: gettext_lazy("诉求已撤回"),
}


def not_found_message() -> str:
    return _("未找到该案件，请核对编号和手机号后四位")


@dataclass(frozen=True)
class TimelineStep:
    time: dt.datetime
    text: str


@dataclass(frozen=True)
class PublicCaseView:
    """What anyone holding the code and the phone's last four digits may see."""

    code: str
    status: str
    status_label: str
    kind: str
    kind_label: str
    category_label: str
    registered_at: dt.datetime
    deadline: dt.datetime | None
    result: str
    can_rate: bool
    satisfaction: str
    timeline: tuple[TimelineStep, ...]


def public_timeline(case: Case) -> tuple[TimelineStep, ...]:
    steps: list[TimelineStep] = []
    events = CaseEvent.objects.filter(case=case, action__in=list(TIMELINE_TEXTS)).order_by("seq")
    for action, created_at in events.values_list("action", "created_at"):
        text = str(TIMELINE_TEXTS[action])
        if steps and steps[-1].text == text:
            continue  # e.g. escalate then delegate: one step is enough
        steps.append(TimelineStep(time=created_at, text=text))
    return tuple(steps)


def public_view(case: Case) -> PublicCaseView:
    return PublicCaseView(
        code=case.code,
        status=case.status,
        status_label=str(case.get_status_display()),
        kind=case.kind,
        kind_label=str(case.get_kind_display()),
        category_label=case.category.display_name if case.category_id else "",
        registered_at=case.registered_at,
        deadline=case.deadline,
        result=case.public_result if case.status in RESULT_STATUSES else "",
        can_rate=case.status == Status.CLOSED,
        satisfaction=case.satisfaction,
        timeline=public_timeline(case),
    )


def track_case(*, code: str, phone_last4: str) -> PublicCaseView:
    """Find a case for the public by its code and the last four digits of the applicant's
    phone. Bad check character → ValidationFailed("invalid_code"); anything else that
    does not match → the same NotFound."""
    try:
        normalized = check_code(code or "")
    except InvalidCode:
        raise ValidationFailed(
            _("案件编号有误，请核对后重新输入（20位，最后一位为校验码）。"),
            code="invalid_code",
            field="code",
        ) from None
    digits = (phone_last4 or "").strip()
    if len(digits) != 4 or not digits.isdigit():
        raise NotFound(not_found_message())
    case = (
        Case.objects.filter(
            code=normalized,
            parties__role=PartyRole.APPLICANT,
            parties__phone_last4=digits,
        )
        .select_related("category")
        .first()
    )
    if case is None:
        raise NotFound(not_found_message())
    return public_view(case)

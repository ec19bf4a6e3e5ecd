"""Public tracking of one case (扫码/查询进度): the citizen gives the code and the last four
digits of the applicant's phone and sees a plain-language timeline, nothing internal.

A mistyped code is refused by its check character before any lookup; any other mismatch
(no such case, wrong digits) gives the same answer, so codes cannot be probed.

Guessing the four digits (:func:`verify_and_track`, used by the portal and the public API)
is held back twice, and never by a lock that the right digits cannot pass:

- per address: :data:`DEFAULT_TRACK_LIMITS` ``failures_per_ip_hour`` (30) wrong tries in a
  clock hour stop that address until the hour is over (other codes too);
- per code, from any number of addresses: after ``free_failures_per_code`` (5) wrong tries
  the next try is still free; after each further wrong try the next must wait 2^k seconds
  (1, 2, 4, … s), at most ``max_delay_seconds`` (60). A code's wrong tries are forgotten
  a day after the last one. The citizen with the right digits waits at most one minute after
  the last wrong try of anyone else, from any address, and is never locked out for an hour.

So one address can make 30 wrong tries an hour, and all addresses together at most one
evaluated try a minute on one code: the 10,000 possible endings take at least
:func:`seconds_to_try` (10,000) = 599,343 s ≈ 6.9 days of uninterrupted guessing, half of them
(the expected time to hit) about 3.5 days. Tries refused by a wait are not evaluated and do
not count; tries of one code are evaluated one at a time (a claim in the shared cache), so
a burst from many addresses at once gets no more through than one try at a time.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fengqiao.cases.choices import Action, PartyRole, Status
from fengqiao.cases.codes import InvalidCode, check_code
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.errors import DomainError, NotFound, ValidationFailed

RESULT_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.ARCHIVED})

# What a citizen reads for each event; events not listed here are internal and skipped.
TIMELINE_TEXTS: dict[str, Any] = {
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
        category_label=case.category.display_name if case.category is not None else "",
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


# --- throttling the guesses ----------------------------------------------------------------

# Defaults; a deployment may override them with settings.FENGQIAO_TRACK_LIMITS.
DEFAULT_TRACK_LIMITS = {
    "failures_per_ip_hour": 30,
    "free_failures_per_code": 5,
    "max_delay_seconds": 60,
}
HOUR = 3600
CODE_MEMORY_SECONDS = 24 * HOUR  # a code's wrong tries are forgotten a day after the last
CLAIM_SECONDS = 10  # a try being evaluated holds its code this long at most


class TrackThrottled(DomainError):
    """Too many wrong tries: ``retry_after`` says in how many seconds to try again."""

    code = "throttled"
    http_status = 429

    def __init__(self, message: Any, *, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


def track_limit(name: str) -> int:
    overrides = getattr(settings, "FENGQIAO_TRACK_LIMITS", None) or {}
    return int(overrides.get(name, DEFAULT_TRACK_LIMITS[name]))


def code_delay(failures: int) -> int:
    """Seconds a try of a code must wait after its last wrong try, ``failures`` wrong tries
    having been made: 0 up to the free ones, then 1, 2, 4, … up to ``max_delay_seconds``."""
    extra = failures - track_limit("free_failures_per_code") - 1
    if extra < 0:
        return 0
    cap = track_limit("max_delay_seconds")
    return cap if extra >= cap.bit_length() else min(2**extra, cap)


def seconds_to_try(guesses: int) -> int:
    """The least time ``guesses`` wrong tries of one code take, however many addresses
    make them: the sum of the waits before each (with the defaults, 10,000 → 599,343 s)."""
    return sum(code_delay(failures) for failures in range(guesses))


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address for throttling, from ``request.META``. Behind the TLS proxy (the
    deployment sets SECURE_PROXY_SSL_HEADER then) REMOTE_ADDR is the proxy's: take the
    address the proxy appended last to X-Forwarded-For, the one a client cannot forge."""
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return str(meta.get("REMOTE_ADDR", ""))


def _ip_key(ip: str, now: float) -> str:
    return f"track:ip:{ip or 'unknown'}:{int(now // HOUR)}"


def _code_key(code: str) -> str:
    return f"track:code:{code}"


def _claim_key(code: str, failures: int) -> str:
    return f"track:code:{code}:claim:{failures}"


def _code_refusal(seconds: int) -> TrackThrottled:
    seconds = max(1, seconds)
    text = ngettext(
        "该案件编号近期输错次数较多，为保护您的信息，请%(seconds)d秒后再试。",
        "该案件编号近期输错次数较多，为保护您的信息，请%(seconds)d秒后再试。",
        seconds,
    )
    return TrackThrottled(text % {"seconds": seconds}, retry_after=seconds)


def _check_address(ip: str, now: float) -> None:
    if int(cache.get(_ip_key(ip, now)) or 0) >= track_limit("failures_per_ip_hour"):
        seconds = HOUR - int(now % HOUR)
        minutes = math.ceil(seconds / 60)
        text = ngettext(
            "您所在网络查询失败次数过多，请%(minutes)d分钟后再试。",
            "您所在网络查询失败次数过多，请%(minutes)d分钟后再试。",
            minutes,
        )
        raise TrackThrottled(text % {"minutes": minutes}, retry_after=seconds)


def _claim_code(code: str, now: float) -> int:
    """Take the code's turn for one evaluated try; returns its wrong tries so far."""
    failures, last = cache.get(_code_key(code)) or (0, 0.0)
    wait = last + code_delay(failures) - now
    if wait > 0:
        raise _code_refusal(math.ceil(wait))
    if not cache.add(_claim_key(code, failures), 1, CLAIM_SECONDS):
        raise _code_refusal(1)  # another try of this code is being evaluated right now
    return failures


def _note_failure(code: str, ip: str, failures: int, now: float) -> None:
    # Only the holder of the claim writes the code's state, so this cannot lose a count.
    cache.set(_code_key(code), (failures + 1, now), CODE_MEMORY_SECONDS)
    key = _ip_key(ip, now)
    cache.add(key, 0, HOUR)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)


def verify_and_track(
    *, code: str, phone_last4: str, ip: str, now: float | None = None
) -> PublicCaseView:
    """:func:`track_case` for anyone on the internet: throttled per address and per code as
    the module says. Raises :class:`TrackThrottled` (with ``retry_after``) when a try must
    wait, else what :func:`track_case` raises or returns."""
    now = time.time() if now is None else now
    try:
        normalized = check_code(code or "")
    except InvalidCode:
        return track_case(code=code, phone_last4=phone_last4)  # raises its invalid_code
    digits = (phone_last4 or "").strip()
    if len(digits) != 4 or not digits.isdigit():
        raise NotFound(not_found_message())  # no try of the four digits: not counted
    _check_address(ip, now)
    failures = _claim_code(normalized, now)
    try:
        view = track_case(code=normalized, phone_last4=digits)
    except NotFound:
        _note_failure(normalized, ip, failures, now)
        raise
    except Exception:
        cache.delete(_claim_key(normalized, failures))
        raise
    cache.delete(_claim_key(normalized, failures))
    return view

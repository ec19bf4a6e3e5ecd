"""Plain-language SMS to the applicant at the four steps a citizen cares about: registered,
dispatched (routed), resolved and closed; with the case code and the tracking link."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from fengqiao.cases.choices import Action, PartyRole
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.qr import tracking_url
from fengqiao.core.validators import is_mobile
from fengqiao.notifications import services as notifications

CITIZEN_NOTICES = {
    Action.REGISTER: "registered",
    Action.DISPATCH: "dispatched",
    Action.RESOLVE: "resolved",
    Action.ANSWER: "resolved",
    Action.SETTLE: "resolved",
    Action.CLOSE: "closed",
}


def citizen_notice_text(step: str, code: str) -> str:
    """The SMS for one step, in plain Chinese, with the code and the tracking link.

    The link's address: ``FENGQIAO_PUBLIC_URL`` when set; else, built in the task worker
    (no request), the address the site was last reached at by a person, which the request
    that wrote the event stored before writing it (``fengqiao.notifications.links``)."""
    url = tracking_url(code)
    with translation.override(settings.LANGUAGE_CODE):
        texts = {
            "registered": _(
                "您反映的问题已受理，案件编号%(code)s。凭编号和手机号后四位可随时查询办理进度：%(url)s"
            ),
            "dispatched": _(
                "您反映的问题（编号%(code)s）已转交承办单位办理，我们会跟踪督促。查询进度：%(url)s"
            ),
            "resolved": _(
                "您反映的问题（编号%(code)s）已办理完毕，正在审核。查看办理结果：%(url)s"
            ),
            "closed": _(
                "您反映的问题（编号%(code)s）已结案。请对办理结果作出评价（满意、基本满意、不满意），"
                "我们也会回访您：%(url)s"
            ),
        }
        return texts[step] % {"code": code, "url": url}


def notify_applicant_of(event: CaseEvent) -> list[str]:
    """Queue the applicant's SMS for this event (once per event); returns the dedupe keys."""
    step = CITIZEN_NOTICES.get(event.action)
    if step is None or (event.data or {}).get("historical_import"):
        return []  # an imported old case was registered long ago: no "受理" SMS today
    case = Case.objects.filter(pk=event.case_id).prefetch_related("parties").first()
    if case is None:
        return []
    keys = []
    for party in case.parties.all():
        if party.role != PartyRole.APPLICANT or not party.phone_encrypted:
            continue
        phone = party.phone
        if not is_mobile(phone):
            continue  # a landline cannot receive SMS
        key = f"case:{case.pk}:event:{event.pk}:party:{party.pk}:sms"
        notifications.send_to_citizen(
            phone=phone, text=citizen_notice_text(step, case.code), dedupe_key=key
        )
        keys.append(key)
    return keys

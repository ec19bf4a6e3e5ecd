import pytest

from fengqiao.cases.choices import PartyRole, Status
from fengqiao.cases.models import CaseEvent
from fengqiao.followup.handlers import notify_applicant
from fengqiao.intake.types import PartyIn
from fengqiao.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_applicant_gets_a_plain_sms_at_each_of_the_four_steps(closed_case):
    case = closed_case(phone="13712345678")
    rows = list(OutboundMessage.objects.order_by("id"))
    texts = [row.text for row in rows]
    assert len(rows) == 4
    assert all(row.address == "13712345678" and row.status == "sent" for row in rows)
    assert all(case.code in text for text in texts)
    assert all(f"/p/track/{case.code}/" in text for text in texts)
    assert "已受理" in texts[0]
    assert "已转交承办单位办理" in texts[1]
    assert "已办理完毕" in texts[2]
    assert "已结案" in texts[3] and "满意" in texts[3]


def test_one_sms_per_event_even_if_the_handler_runs_again(closed_case):
    case = closed_case(status=Status.DISPATCHED)
    assert OutboundMessage.objects.count() == 2
    for event in CaseEvent.objects.filter(case=case):
        notify_applicant(event)
    assert OutboundMessage.objects.count() == 2


def test_no_sms_to_a_landline_or_a_respondent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.register(
            parties=[
                PartyIn(name="李四", role=PartyRole.APPLICANT, phone="07127654321"),
                PartyIn(name="王五", role=PartyRole.RESPONDENT, phone="13800000009"),
            ]
        )
    assert OutboundMessage.objects.count() == 0


def test_no_registration_sms_for_an_imported_old_case(closed_case):
    """A historical import's registration event is not news to its applicant."""
    case = closed_case(status=Status.REGISTERED, phone="13712345679")
    OutboundMessage.objects.all().delete()
    event = CaseEvent.objects.get(case=case, action="register")
    event.data = {**(event.data or {}), "historical_import": True}
    notify_applicant(event)
    assert OutboundMessage.objects.count() == 0
    event.data = {}
    notify_applicant(event)
    assert OutboundMessage.objects.count() == 1

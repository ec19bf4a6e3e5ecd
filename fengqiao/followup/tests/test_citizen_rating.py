import pytest

from fengqiao.cases.choices import Status
from fengqiao.core.errors import Conflict, NotFound, ValidationFailed
from fengqiao.followup import services
from fengqiao.followup.models import Visit, VisitTask
from fengqiao.supervision.models import SupervisionOrder

pytestmark = pytest.mark.django_db


def test_a_satisfied_citizen_rating_archives_the_case(closed_case):
    case = closed_case(phone="13912345678")
    visit = services.citizen_rate(
        code=case.code.lower(), phone_last4="5678", satisfaction="satisfied", comment="谢谢"
    )
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED and case.satisfaction == "satisfied"
    assert visit.method == "citizen_portal" and visit.visited_by is None
    assert VisitTask.objects.get(case=case).status == "archived"
    event = case.events.order_by("-seq").first()
    assert event.action == "archive" and event.actor is None and event.actor_label == "群众"
    with pytest.raises(Conflict):
        services.citizen_rate(code=case.code, phone_last4="5678", satisfaction="satisfied")


def test_a_dissatisfied_citizen_rating_reopens_under_supervision(closed_case, world):
    case = closed_case(phone="13912345678")
    services.citizen_rate(
        code=case.code, phone_last4="5678", satisfaction="dissatisfied", comment="问题没解决"
    )
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.satisfaction == "dissatisfied"
    order = SupervisionOrder.objects.get(case=case)
    assert order.is_automatic and order.reason == "visit_dissatisfied"
    assert VisitTask.objects.get(case=case).status == "done"


def test_rating_checks_code_and_phone_like_tracking(closed_case, world):
    case = closed_case(phone="13912345678")
    mistyped = case.code[:-1] + ("0" if case.code[-1] != "0" else "1")
    with pytest.raises(ValidationFailed):
        services.citizen_rate(code=mistyped, phone_last4="5678", satisfaction="satisfied")
    with pytest.raises(NotFound):
        services.citizen_rate(code=case.code, phone_last4="0000", satisfaction="satisfied")
    with pytest.raises(ValidationFailed):
        services.citizen_rate(code=case.code, phone_last4="5678", satisfaction="great")
    open_case = world.register(status=Status.HANDLING, phone="13912345678")
    with pytest.raises(Conflict):
        services.citizen_rate(code=open_case.code, phone_last4="5678", satisfaction="satisfied")
    assert Visit.objects.count() == 0
    case.refresh_from_db()
    assert case.status == Status.CLOSED

import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.cases.choices import Status

pytestmark = pytest.mark.django_db


def test_issue_reply_close(world, api_as):
    case = world.register(status=Status.HANDLING)
    deadline = (timezone.now() + dt.timedelta(days=3)).isoformat()
    issued = api_as("supervisor").post(
        f"/api/v1/cases/{case.code}/supervision",
        {"grade": "key", "requirement": "三日内报告进展", "reply_deadline": deadline},
    )
    assert issued.status_code == 201, issued.content
    order = issued.json()
    assert order["unit"]["name"] == "云梦县司法局" and order["status"] == "open"

    handler = api_as("justice_handler")
    listed = handler.get(f"/api/v1/cases/{case.code}/supervision").json()
    assert [o["id"] for o in listed] == [order["id"]]
    reply = handler.post(f"/api/v1/supervision/{order['id']}/replies", {"text": "已约谈双方"})
    assert reply.status_code == 201
    replies = handler.get(f"/api/v1/supervision/{order['id']}/replies").json()
    assert [r["text"] for r in replies] == ["已约谈双方"]

    closed = api_as("supervisor").post(f"/api/v1/supervision/{order['id']}/close", {})
    assert closed.json()["status"] == "closed"
    again = handler.post(f"/api/v1/supervision/{order['id']}/replies", {"text": "补充"})
    assert again.status_code == 409 and again.json()["code"] == "order_closed"


def test_orders_out_of_scope_look_missing(world, api_as):
    case = world.register(status=Status.HANDLING)
    deadline = (timezone.now() + dt.timedelta(days=3)).isoformat()
    order = (
        api_as("director")
        .post(
            f"/api/v1/cases/{case.code}/supervision",
            {"grade": "general", "requirement": "请尽快办理", "reply_deadline": deadline},
        )
        .json()
    )
    outsider = api_as("other_dispatcher")
    assert outsider.get(f"/api/v1/supervision/{order['id']}").status_code == 404
    response = outsider.post(f"/api/v1/supervision/{order['id']}/replies", {"text": "x"})
    assert response.status_code == 404
    assert api_as("director").get("/api/v1/supervision/999999").status_code == 404


def test_handler_cannot_issue(world, api_as):
    case = world.register(status=Status.HANDLING)
    deadline = (timezone.now() + dt.timedelta(days=3)).isoformat()
    response = api_as("justice_handler").post(
        f"/api/v1/cases/{case.code}/supervision",
        {"grade": "key", "requirement": "x", "reply_deadline": deadline},
    )
    assert response.status_code == 403

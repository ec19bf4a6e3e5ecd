"""Links to the citizen-facing site follow the address the site is reached at (receipts,
QR codes, posters, the API, SMS sent by the task worker) unless FENGQIAO_PUBLIC_URL is set."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fengqiao.api.services import create_token
from fengqiao.cases import qr
from fengqiao.cases.models import Case
from fengqiao.cases.tasks import handle_case_events
from fengqiao.notifications import links
from fengqiao.notifications.models import OutboundMessage, PublicOrigin
from fengqiao.portal.tests.helpers import submit
from fengqiao.portal.views import _scalable_svg
from fengqiao.testing.tasks import queued_delivery

pytestmark = pytest.mark.django_db
HOST = "localhost:8123"
NOTICE_HANDLERS = ["fengqiao.followup.handlers.notify_applicant"]


@pytest.fixture(autouse=True)
def _fresh_memory():
    links.forget_stored()  # the database of the previous test was rolled back
    yield
    links.forget_stored()


def _track(code: str, origin: str = f"http://{HOST}") -> str:
    return f"{origin}/p/track/{code}/"


def test_portal_receipt_and_its_qr_code_use_the_address_the_citizen_opened(world):
    client = Client(HTTP_HOST=HOST)
    receipt = client.get(submit(client, world).url).content.decode()
    case = Case.objects.get()
    assert _track(case.code) in receipt
    assert "127.0.0.1:8000" not in receipt
    assert _scalable_svg(qr.qr_svg(_track(case.code), scale=5)) in receipt


def test_poster_over_https_points_to_that_address(world):
    client = Client(HTTP_HOST="zz.localhost")
    with override_settings(ALLOWED_HOSTS=["zz.localhost"]):
        html = client.get(
            reverse("portal:poster", args=[world.township_center.pk]), secure=True
        ).content.decode()
    expected = f"https://zz.localhost/p/?center={world.township_center.pk}"
    assert expected in html
    assert _scalable_svg(qr.qr_svg(expected, scale=10)) in html


def test_workbench_receipt_uses_the_address_the_staff_opened(world):
    client = Client(HTTP_HOST="127.0.0.1:8765")
    client.force_login(world.receptionist)
    case = world.register()
    html = client.get(f"/cases/{case.code}/receipt/").content.decode()
    assert _track(case.code, "http://127.0.0.1:8765") in html
    assert "127.0.0.1:8000" not in html


def test_api_gives_the_tracking_link_on_the_callers_address(world):
    case = world.register()
    token = create_token(user=world.director, name="test").secret
    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    body = client.get(f"/api/v1/cases/{case.code}").json()
    assert body["tracking_url"] == _track(case.code)


def test_sms_sent_by_the_worker_carries_the_address_of_the_registering_request(world):
    with queued_delivery(FENGQIAO_CASE_EVENT_HANDLERS=NOTICE_HANDLERS):
        client = Client(HTTP_HOST=HOST)
        submit(client, world)
        case = Case.objects.get()
        assert not OutboundMessage.objects.exists()  # the request did not wait for it
        # Later requests of no person (a health probe, a reader) do not move the address.
        Client(HTTP_HOST="127.0.0.1").get(reverse("portal:home"))
        Client(HTTP_HOST="127.0.0.1").post("/login/", {"username": "x", "password": "y"})
        # The worker, with no request: the SMS links to the address the citizen used.
        assert handle_case_events.call(case.pk, 1) == 1
    sms = OutboundMessage.objects.get()
    assert _track(case.code) in sms.text
    assert "127.0.0.1" not in sms.text


def test_a_staff_write_on_another_port_moves_the_address_for_later_sms(world):
    client = Client(HTTP_HOST="localhost:9001")
    client.force_login(world.receptionist)
    client.post("/cases/new/", {})  # any write by a signed-in person
    assert PublicOrigin.objects.get().origin == "http://localhost:9001"
    assert qr.tracking_url("X") == "http://localhost:9001/p/track/X/"  # no request here


def test_a_refused_host_is_never_stored(world):
    response = Client(HTTP_HOST="evil.example.com").post(reverse("portal:track"), {})
    assert response.status_code == 400
    assert not PublicOrigin.objects.exists()


def test_nothing_seen_yet_gives_the_fallback_address(world):
    assert links.public_base_url() == links.FALLBACK_URL


@override_settings(PUBLIC_BASE_URL="https://zz.example.gov.cn")
def test_the_configured_public_url_always_wins(world):
    with queued_delivery(FENGQIAO_CASE_EVENT_HANDLERS=NOTICE_HANDLERS):
        client = Client(HTTP_HOST=HOST)
        receipt = client.get(submit(client, world).url).content.decode()
        case = Case.objects.get()
        handle_case_events.call(case.pk, 1)
    expected = _track(case.code, "https://zz.example.gov.cn")
    assert expected in receipt and HOST not in receipt
    assert expected in OutboundMessage.objects.get().text
    assert not PublicOrigin.objects.exists()  # nothing to remember

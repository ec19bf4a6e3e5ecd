import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from fengqiao.notifications import services
from fengqiao.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db
GATEWAY = "fengqiao.notifications.backends.HttpGatewayBackend"


class FlakyGateway(BaseHTTPRequestHandler):
    """Answers 503 to the first ``fail`` requests, then 200 with a receipt id."""

    fail = 1
    received: list

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append(
            {"auth": self.headers.get("Authorization"), "body": json.loads(self.rfile.read(length))}
        )
        if len(self.server.received) <= self.server.fail:
            self.send_response(503)
            self.end_headers()
            return
        payload = json.dumps({"id": f"gw-{len(self.server.received)}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyGateway)
    server.received = []
    server.fail = 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FENGQIAO_SMS_BACKEND = GATEWAY
    settings.FENGQIAO_SMS_GATEWAY = {
        "URL": f"http://127.0.0.1:{server.server_port}/sms",
        "TOKEN": "secret-token",
        "TIMEOUT": 5,
        "EXTRA": '{"sign": "枫桥"}',
    }
    yield server
    server.shutdown()
    server.server_close()


def test_citizen_sms_is_stored_encrypted_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_to_citizen(
            phone="138 0013 8000", text="您的诉求已受理", dedupe_key="k1"
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_to_citizen(
            phone="13800138000", text="您的诉求已受理", dedupe_key="k1"
        )
    assert again.pk == first.pk and OutboundMessage.objects.count() == 1
    row = OutboundMessage.objects.get()
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert row.address == "13800138000" and row.address_masked == "138****8000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT address_encrypted FROM notifications_outboundmessage")
        assert "13800138000" not in cursor.fetchone()[0]


def test_failed_delivery_stays_pending_and_the_retry_sends_it(
    gateway, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.send_to_citizen(phone="13900000001", text="您的诉求已办结", dedupe_key="k2")
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1
    assert "503" in row.last_error
    assert row.next_attempt_at >= before + dt.timedelta(seconds=60)
    # Not due yet: nothing is tried.
    assert services.retry_due(timezone.now()) == 0
    assert len(gateway.received) == 1
    # The periodic retry after the backoff sends it.
    assert services.retry_due(timezone.now() + dt.timedelta(minutes=2)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.provider_id) == ("sent", 2, "", "gw-2")
    assert row.sent_at is not None and row.next_attempt_at is None
    sent = gateway.received[-1]
    assert sent["auth"] == "Bearer secret-token"
    assert sent["body"]["to"] == "13900000001" and sent["body"]["text"] == "您的诉求已办结"
    assert sent["body"]["sign"] == "枫桥" and sent["body"]["id"] == "k2"
    # Nothing more to do.
    assert services.retry_due(timezone.now() + dt.timedelta(days=1)) == 0
    assert len(gateway.received) == 2


def test_unreachable_gateway_keeps_the_message_with_growing_backoff(settings):
    with socket.socket() as s:  # a free port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.FENGQIAO_SMS_BACKEND = GATEWAY
    settings.FENGQIAO_SMS_GATEWAY = {"URL": f"http://127.0.0.1:{port}/", "TIMEOUT": 2}
    row = services.send_to_citizen(phone="13900000002", text="测试", dedupe_key="k3")
    now = timezone.now()
    waits = []
    for _ in range(3):
        now += dt.timedelta(days=1)
        assert services.retry_due(now) == 0
        row.refresh_from_db()
        waits.append(row.next_attempt_at - now)
    assert row.status == "pending" and row.attempts == 3 and "unreachable" in row.last_error
    assert waits == [dt.timedelta(seconds=s) for s in (60, 300, 900)]


def test_email_goes_through_the_same_outbox(django_capture_on_commit_callbacks, world):
    world.director.email = "director@example.org"
    world.director.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[world.director], title="月度抽样", body="请安排回访", also_email=True
        )
    row = OutboundMessage.objects.get(channel="email")
    assert row.status == "sent" and row.address == "director@example.org"
    assert row.address_masked == "d***@example.org" and row.subject == "月度抽样"

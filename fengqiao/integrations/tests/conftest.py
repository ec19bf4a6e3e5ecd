from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fengqiao.integrations.choices import PartnerKind
from fengqiao.integrations.services.partners import create_partner
from fengqiao.integrations.services.signing import HEADER, sign


class Receiver:
    """A real HTTP server on localhost that records what it is sent; ``status`` is what
    it answers."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append(
                    {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
                )
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hotline(world):
    return create_partner(
        code="hotline12345",
        name="12345政务服务便民热线",
        kind=PartnerKind.HOTLINE_12345,
        center=world.county_center,
    )


def signed_post(client, url: str, payload: dict, secret: str, **headers):
    body = json.dumps(payload, ensure_ascii=False).encode()
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={HEADER: sign(secret, body), **headers},
    )


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs what waits for the commit (handlers, queued tasks) at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

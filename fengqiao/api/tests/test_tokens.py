import hashlib

import pytest
from django.core.management import call_command
from django.test import Client

from fengqiao.api.models import ApiToken
from fengqiao.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_tokens_are_hashed_at_rest(world, api_as):
    api = api_as("dispatcher")
    created = api.post("/api/v1/tokens", {"name": "对接系统"})
    assert created.status_code == 201
    secret = created.json()["token"]
    row = ApiToken.objects.get(pk=created.json()["id"])
    assert row.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list())
    assert secret not in stored
    listed = api.get("/api/v1/tokens").json()
    assert {t["name"] for t in listed} == {"test", "对接系统"}
    assert all("token" not in t for t in listed)


def test_revoked_token_is_401(world, api_as):
    api = api_as("dispatcher")
    new = api.post("/api/v1/tokens", {"name": "临时"}).json()
    other = ApiClient(new["token"])
    assert other.get("/api/v1/categories").status_code == 200
    revoked = api.delete(f"/api/v1/tokens/{new['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    response = other.get("/api/v1/categories")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_wrong_or_missing_token_is_401(world):
    for header in ("Bearer fq_00000000_nope", "Bearer garbage", None):
        client = Client()
        headers = {"Authorization": header} if header else {}
        response = client.post(
            "/api/v1/cases", "{}", content_type="application/json", headers=headers
        )
        assert response.status_code == 401, header
        assert response.json()["code"] == "not_authenticated"


def test_someone_elses_token_cannot_be_revoked(world, api_as):
    mine = api_as("dispatcher").post("/api/v1/tokens", {"name": "mine"}).json()
    response = api_as("director").delete(f"/api/v1/tokens/{mine['id']}")
    assert response.status_code == 404


def test_session_auth_needs_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.dispatcher)
    assert client.get("/api/v1/tokens").status_code == 200
    refused = client.post("/api/v1/tokens", '{"name": "x"}', content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.get("/api/v1/docs")  # any page sets the cookie; take it like the browser would
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        "/api/v1/tokens",
        '{"name": "x"}',
        content_type="application/json",
        headers={"X-CSRFToken": _mask_cipher_secret(secret)},
    )
    assert accepted.status_code == 201


def test_management_command_prints_a_working_token(world, capsys):
    call_command("create_api_token", "dispatcher", "--name", "ci")
    token = capsys.readouterr().out.strip()
    assert token.startswith("fq_")
    assert ApiClient(token).get("/api/v1/categories").status_code == 200


def test_a_deactivated_holder_is_refused_at_once(world, api_as):
    api = api_as("dispatcher")
    assert api.get("/api/v1/categories").status_code == 200  # now remembered
    world.dispatcher.is_active = False
    world.dispatcher.save()
    assert api.get("/api/v1/categories").status_code == 401


def test_a_revocation_saved_elsewhere_counts_within_the_cache_time(world, api_as, monkeypatch):
    from fengqiao.api import services

    api = api_as("dispatcher")
    assert api.get("/api/v1/categories").status_code == 200
    # Another web process revokes it: this process hears no signal, and remembers the
    # holder for a few seconds more, never longer.
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert api.get("/api/v1/categories").status_code == 200
    later = services.time.monotonic() + services.AUTH_CACHE_SECONDS + 0.1
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert api.get("/api/v1/categories").status_code == 401

import pytest

from fengqiao.cases.choices import Status
from fengqiao.cases.models import CaseEvent
from fengqiao.core.validators import mod11_2_check

pytestmark = pytest.mark.django_db


def bad_check(code: str) -> str:
    return code[:19] + ("0" if code[19] != "0" else "1")


def test_detail_masks_parties_and_lists_allowed_actions(world, api_as):
    body17 = "42092319900101123"
    id_number = body17 + mod11_2_check(body17)
    case = world.register(status=Status.DISPATCHED, id_number=id_number)
    body = api_as("justice_handler").get(f"/api/v1/cases/{case.code}").json()
    assert body["parties"][0]["masked_name"] == "张*"
    assert body["parties"][0]["masked_phone"] == "138****8000"
    assert body["parties"][0]["masked_id_number"] != ""
    assert "13800138000" not in str(body) and id_number not in str(body)
    assert body["assignments"][0]["unit"]["name"] == "云梦县司法局"
    assert body["assignments"][0]["status"] == "pending"
    assert sorted(a["action"] for a in body["allowed_actions"]) == ["return", "sign"]
    assert body["version"] == case.version


def test_mistyped_code_is_422_before_lookup(world, api_as, django_assert_max_num_queries):
    case = world.register()
    api = api_as("dispatcher")
    # the token, its first-use stamp and its holder's memberships, no case
    with django_assert_max_num_queries(3):
        response = api.get(f"/api/v1/cases/{bad_check(case.code)}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_code"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("post", "/transitions", {"action": "mediate"}),
        ("get", "/events", None),
        ("get", "/qr.svg", None),
        ("get", "/supervision", None),
    ],
)
def test_out_of_scope_case_looks_missing(world, api_as, method, suffix, body):
    case = world.register()
    outsider = api_as("other_dispatcher")
    seen = getattr(outsider, method)(f"/api/v1/cases/{case.code}{suffix}", body)
    missing_code = case.code[:14] + "99999"
    missing_code += mod11_2_check(missing_code)
    missing = getattr(outsider, method)(f"/api/v1/cases/{missing_code}{suffix}", body)
    assert seen.status_code == missing.status_code == 404
    assert seen.json() == missing.json()


def test_the_whole_loop_through_the_api(world, api_as):
    case = world.register()
    url = f"/api/v1/cases/{case.code}/transitions"
    dispatched = api_as("dispatcher").post(
        url,
        {
            "action": "dispatch",
            "lead_unit": world.justice.pk,
            "co_units": [world.police.pk],
            "expected_version": case.version,
        },
    )
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["status"] == "dispatched"
    assert len(dispatched.json()["assignments"]) == 2
    handler = api_as("justice_handler")
    assert handler.post(url, {"action": "sign"}).json()["status"] == "handling"
    early = handler.post(url, {"action": "resolve", "result": "双方达成协议"})
    assert early.status_code == 409 and early.json()["code"] == "co_handlers_pending"
    reported = api_as("police_handler").post(
        f"/api/v1/cases/{case.code}/co-handling", {"action": "report", "text": "已出警核实"}
    )
    assert reported.status_code == 200, reported.content
    resolved = handler.post(
        url, {"action": "resolve", "result": "双方达成协议", "public_result": "已调解成功"}
    )
    assert resolved.json()["status"] == "resolved"
    closed = api_as("director").post(url, {"action": "close"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["public_result"] == "已调解成功"
    events = api_as("director").get(f"/api/v1/cases/{case.code}/events").json()
    assert [e["action"] for e in events] == [
        "register", "dispatch", "sign", "co_report", "resolve", "close"
    ]  # fmt: skip
    assert events[4]["note"] == "双方达成协议"


def test_stale_version_is_409_version_conflict(world, api_as):
    case = world.register()
    response = api_as("dispatcher").post(
        f"/api/v1/cases/{case.code}/transitions",
        {"action": "dispatch", "lead_unit": world.justice.pk, "expected_version": 99},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"


def test_impossible_move_is_409_invalid_transition(world, api_as):
    case = world.register()
    response = api_as("director").post(
        f"/api/v1/cases/{case.code}/transitions", {"action": "close"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_missing_requirement_names_the_field(world, api_as):
    case = world.register()
    response = api_as("receptionist").post(
        f"/api/v1/cases/{case.code}/transitions", {"action": "reject"}
    )
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "note"


def test_unknown_action_and_unit(world, api_as):
    case = world.register()
    api = api_as("dispatcher")
    url = f"/api/v1/cases/{case.code}/transitions"
    assert api.post(url, {"action": "fly"}).json()["code"] == "unknown_action"
    response = api.post(url, {"action": "dispatch", "lead_unit": 2**40})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_unit"
    assert response.json()["details"]["field"] == "lead_unit"


def test_qr_codes(world, api_as):
    case = world.register()
    api = api_as("dispatcher")
    svg = api.get(f"/api/v1/cases/{case.code}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = api.get(f"/api/v1/cases/{case.code}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"


def test_detail_query_count_is_fixed(world, api_as, django_assert_num_queries):
    api = api_as("dispatcher")
    api.get("/api/v1/categories")  # the token's first use stamps last_used_at
    small = world.register()
    big = world.register(status=Status.HANDLING)
    # case, parties, assignments (+units); the token and memberships are remembered from the
    # first call (api.services.AUTH_CACHE_SECONDS)
    with django_assert_num_queries(3) as small_ctx:
        api.get(f"/api/v1/cases/{small.code}")
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        api.get(f"/api/v1/cases/{big.code}")
    assert CaseEvent.objects.filter(case=big).count() == 3


def test_a_dispatcher_releases_a_silent_co_handler_with_a_reason(world, api_as):
    case = world.register()
    url = f"/api/v1/cases/{case.code}/transitions"
    api_as("dispatcher").post(
        url, {"action": "dispatch", "lead_unit": world.justice.pk, "co_units": [world.police.pk]}
    )
    handler = api_as("justice_handler")
    handler.post(url, {"action": "sign"})
    co = f"/api/v1/cases/{case.code}/co-handling"
    # The lead handler may not release; a release needs a reason.
    refused = handler.post(co, {"action": "release", "unit": world.police.pk, "text": "不需要"})
    assert refused.status_code == 403
    empty = api_as("dispatcher").post(
        co, {"action": "release", "unit": world.police.pk, "text": ""}
    )
    assert empty.status_code == 422
    released = api_as("dispatcher").post(
        co, {"action": "release", "unit": world.police.pk, "text": "派出所已书面说明不涉及治安"}
    )
    assert released.status_code == 200, released.content
    police = next(a for a in released.json()["assignments"] if a["unit"]["id"] == world.police.pk)
    assert police["status"] == "released"
    resolved = handler.post(url, {"action": "resolve", "result": "已办结"})
    assert resolved.json()["status"] == "resolved"

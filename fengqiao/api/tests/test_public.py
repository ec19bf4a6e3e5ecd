import pytest
from django.test import override_settings

from fengqiao.api.tests.conftest import ApiClient
from fengqiao.cases import services, tracking
from fengqiao.cases.choices import Action, PartyRole, Status
from fengqiao.cases.codes import make_code
from fengqiao.intake.types import PartyIn

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/track"


@pytest.fixture
def closed_case(world):
    case = world.register(
        status=Status.CLOSED,
        parties=[
            PartyIn(name="张三", role=PartyRole.APPLICANT, phone="13800138000"),
            PartyIn(name="李四", role=PartyRole.RESPONDENT, phone="13900139999"),
        ],
    )
    services.record_event(
        case=case, action=Action.COMMENT, actor=world.director, note="内部意见：注意维稳"
    )
    return case


def test_right_code_and_digits_show_only_the_plain_timeline(world, closed_case, anon):
    response = anon.get(URL, {"code": closed_case.code, "phone_last4": "8000"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "code", "status", "status_label", "kind", "kind_label", "category_label",
        "registered_at", "deadline", "result", "can_rate", "satisfaction", "timeline",
    }  # fmt: skip
    assert body["status"] == "closed" and body["can_rate"] is True
    assert [s["text"] for s in body["timeline"]] == [
        "您的诉求已受理",
        "已转交承办单位办理",
        "承办单位已签收，正在办理",
        "已办结，等待审核",
        "已结案",
    ]
    text = response.content.decode()
    staff_names = [str(u) for u in world.users.values()] + ["云梦县司法局"]
    for secret in [*staff_names, "测试说明", "内部意见", "李四", "张三", "13900139999", "1380013"]:
        assert secret not in text, secret


def test_in_english(world, closed_case):
    body = ApiClient(language="en").get(URL, {"code": closed_case.code, "phone_last4": "8000"})
    assert body.json()["timeline"][0]["text"] == "Your request has been registered"


def test_wrong_digits_and_missing_case_look_the_same(world, closed_case, anon):
    wrong = anon.get(URL, {"code": closed_case.code, "phone_last4": "9999"})  # respondent's
    missing_code = make_code("420923", closed_case.registered_at.date(), 99999)
    missing = anon.get(URL, {"code": missing_code, "phone_last4": "8000"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.content == missing.content
    assert wrong.json()["message"] == "未找到该案件，请核对编号和手机号后四位"


def test_mistyped_code_says_so(world, closed_case, anon):
    code = closed_case.code
    bad = code[:19] + ("0" if code[19] != "0" else "1")
    response = anon.get(URL, {"code": bad, "phone_last4": "8000"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_code"


@override_settings(FENGQIAO_PUBLIC_TRACK_RATE=(3, 600))
def test_lookups_are_rate_limited_per_address(world, closed_case, anon):
    params = {"code": closed_case.code, "phone_last4": "0000"}
    statuses = [anon.get(URL, params).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    limited = anon.get(URL, params)
    assert limited.json()["code"] == "rate_limited"
    other = ApiClient().client.get(URL, params, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_wrong_digits_from_many_addresses_make_the_code_wait_not_lock(
    world, closed_case, monkeypatch
):
    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(tracking.time, "time", lambda: clock["now"])
    wrong = {"code": closed_case.code, "phone_last4": "0000"}
    for n in range(tracking.track_limit("free_failures_per_code") + 1):
        response = ApiClient().client.get(URL, wrong, REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code == 404
    right = {"code": closed_case.code, "phone_last4": "8000"}
    refused = ApiClient().client.get(URL, right, REMOTE_ADDR="10.0.2.1")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    body = refused.json()
    assert body["code"] == "throttled" and body["details"] == {"retry_after": 1}
    assert "请1秒后再试" in body["message"]
    clock["now"] += 1
    assert ApiClient().client.get(URL, right, REMOTE_ADDR="10.0.2.1").status_code == 200


@override_settings(FENGQIAO_PUBLIC_TRACK_RATE=(1000, 600))
def test_one_address_guessing_many_codes_is_stopped_for_the_hour(world, anon):
    codes = [world.register(phone="13800138000").code for _ in range(6)]
    for n in range(tracking.track_limit("failures_per_ip_hour")):
        assert anon.get(URL, {"code": codes[n % 6], "phone_last4": "0000"}).status_code == 404
    refused = anon.get(URL, {"code": codes[0], "phone_last4": "8000"})
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert "分钟后再试" in refused.json()["message"]
    other = ApiClient().client.get(
        URL, {"code": codes[0], "phone_last4": "8000"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200

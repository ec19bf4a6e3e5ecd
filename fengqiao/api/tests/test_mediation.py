"""The mediation API: directory, 点单 (public and window), sessions to the agreement, rooms,
packages, transfers, statistics; errors in the API's shape."""

import base64

import pytest

from fengqiao.cases.choices import Status
from fengqiao.cases.models import Case
from fengqiao.mediation.tests.conftest import PNG, at, build_med, two_party_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def med(world):
    return build_med(world)


@pytest.fixture
def case(world):
    return two_party_case(world)


def test_public_directory_and_profile(world, med, anon):
    listed = anon.get("/api/v1/public/mediation/mediators", {"kind": "legal_expert"})
    assert listed.status_code == 200
    assert [m["name"] for m in listed.json()] == ["胡律师"]
    one = anon.get(f"/api/v1/public/mediation/mediators/{med.zhou.pk}").json()
    assert one["languages"] == ["普通话", "云梦话"] and one["availability"][0]["start"] == "09:00"
    assert anon.get("/api/v1/public/mediation/mediators/999999").status_code == 404


def test_public_request_needs_the_phone_digits(world, med, anon, case):
    body = {"code": case.code, "phone_last4": "1234", "mediator_id": med.zhou.pk}
    wrong = anon.post("/api/v1/public/mediation/requests", body)
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"
    body["phone_last4"] = "8000"
    made = anon.post("/api/v1/public/mediation/requests", body)
    assert made.status_code == 201 and made.json()["status"] == "pending"


def test_conflict_of_interest_is_a_409_with_reasons(world, med, anon, case):
    med.li.set_phone("13911112222")
    med.li.save()
    refused = anon.post(
        "/api/v1/public/mediation/requests",
        {"code": case.code, "phone_last4": "8000", "mediator_id": med.li.pk},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict_of_interest" and refused.json()["details"]["reasons"]


def test_session_to_signed_agreement_settles(world, med, api_as, anon, case):
    mediator = api_as("mediator")
    session = mediator.post(
        f"/api/v1/cases/{case.code}/mediation/sessions",
        {
            "mediator_id": med.zhou.pk,
            "mode": "room",
            "room_id": med.room.pk,
            "starts_at": at(1).isoformat(),
            "ends_at": at(1, 11).isoformat(),
        },
    )
    assert session.status_code == 201, session.content
    sid = session.json()["id"]
    clash = mediator.post(
        f"/api/v1/mediation/rooms/{med.room.pk}/bookings",
        {"starts_at": at(1, 10).isoformat(), "ends_at": at(1, 12).isoformat()},
    )
    assert clash.status_code == 409 and clash.json()["code"] == "room_taken"
    done = mediator.post(
        f"/api/v1/mediation/sessions/{sid}/outcome",
        {
            "outcome": "success",
            "facts": "排水沟堵塞",
            "terms": "一、疏通。",
        },
    )
    assert done.status_code == 200 and done.json()["agreement"]
    aid = done.json()["agreement"]
    agreement = mediator.get(f"/api/v1/mediation/agreements/{aid}").json()
    image = base64.b64encode(PNG).decode()
    for signer in agreement["missing_signers"]:
        signed = mediator.post(
            f"/api/v1/mediation/agreements/{aid}/signatures",
            {"role": signer["role"], "party_id": signer["party_id"], "image_base64": image},
        )
        assert signed.status_code == 201, signed.content
    assert signed.json()["status"] == "signed"
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
    pdf = mediator.get(f"/api/v1/mediation/agreements/{aid}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    checked = anon.get(
        "/api/v1/public/mediation/agreements/verify", {"code": agreement["verification_code"]}
    )
    assert checked.status_code == 200 and checked.json()["parties"] == ["张**", "李**"]
    summary = mediator.get(f"/api/v1/cases/{case.code}/mediation").json()
    assert summary["sessions"][0]["outcome"] == "success" and summary["agreements"][0]["id"] == aid


def test_bad_input_gives_clear_errors(world, med, api_as, case):
    mediator = api_as("mediator")
    nul = mediator.post(
        f"/api/v1/cases/{case.code}/mediation/requests",
        {"mediator_id": med.zhou.pk, "note": "a\x00b"},
    )
    assert nul.status_code == 422 and nul.json()["code"] == "validation_error"
    long = mediator.post(
        f"/api/v1/cases/{case.code}/mediation/requests",
        {"mediator_id": med.zhou.pk, "note": "长" * 501},
    )
    assert long.status_code == 422
    backwards = mediator.post(
        f"/api/v1/cases/{case.code}/mediation/sessions",
        {
            "mediator_id": med.zhou.pk,
            "mode": "online",
            "online_link": "https://m.example.cn/1",
            "starts_at": at(1, 11).isoformat(),
            "ends_at": at(1, 9).isoformat(),
        },
    )
    assert backwards.status_code == 422 and "结束时间" in backwards.json()["message"]


def test_out_of_scope_case_is_missing(world, med, api_as, case):
    other = api_as("other_dispatcher")
    assert other.get(f"/api/v1/cases/{case.code}/mediation").status_code == 404


def test_transfer_and_package_and_stats(world, med, api_as):
    case = world.register(status=Status.HANDLING, lead_unit=world.police)
    sent = api_as("police_handler").post(
        f"/api/v1/cases/{case.code}/mediation/transfers",
        {
            "kind": "police",
            "from_unit_id": world.police.pk,
            "to_unit_id": world.county_center.pk,
            "reason": "纠纷警情，适宜调解",
        },
    )
    assert sent.status_code == 201, sent.content
    accepted = api_as("mediator").post(f"/api/v1/mediation/transfers/{sent.json()['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    seen = api_as("police_handler").get("/api/v1/mediation/transfers").json()
    assert seen[0]["status"] == "accepted"
    pkg = api_as("director").post(
        f"/api/v1/cases/{case.code}/mediation/package",
        {
            "preset": "labor",
            "services": [
                {
                    "kind": "mediation",
                    "unit_id": world.justice.pk,
                    "due_date": at(10).date().isoformat(),
                },
                {
                    "kind": "legal_aid",
                    "unit_id": world.justice.pk,
                    "due_date": at(10).date().isoformat(),
                },
            ],
        },
    )
    assert pkg.status_code == 200, pkg.content
    service_id = pkg.json()["services"][0]["id"]
    upd = api_as("justice_handler").post(
        f"/api/v1/mediation/package-services/{service_id}", {"status": "done", "outcome": "已调解"}
    )
    assert upd.json()["status"] == "done"
    stats = api_as("director").get("/api/v1/mediation/stats", {"by": "level"})
    assert stats.status_code == 200 and "previous" in stats.json()


def test_openapi_lists_mediation(anon):
    paths = anon.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/public/mediation/requests" in paths
    assert "/api/v1/mediation/stats" in paths

"""Open311 GeoReport v2: every answer checked against the official JSON Schemas, errors as
the specification writes them, the georeport client against a live server."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.intake.models import AppealKey

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def post(client: Client, api_key: str, world, **extra):
    data = {
        "api_key": api_key,
        "jurisdiction_id": world.county.code,
        "service_code": "dispute.neighbor",
        "lat": "31.0201",
        "long": "113.7502",
        "description": "邻居装修每天早上六点开始施工，噪音很大，协商无果。",
        "first_name": "五",
        "last_name": "王",
        "phone": "13700001111",
        "attribute[region]": world.village.code,
        **extra,
    }
    return client.post(f"{BASE}/requests.json", data)


def test_services_and_definitions_match_the_schemas(world, schemas):
    c = Client()
    services = c.get(f"{BASE}/services.json", {"jurisdiction_id": world.county.code}).json()
    schemas("services.json", services)
    codes = [s["service_code"] for s in services]
    assert "dispute.neighbor" in codes
    definition = c.get(f"{BASE}/services/dispute.neighbor.json",
                       {"jurisdiction_id": world.county.code}).json()  # fmt: skip
    schemas("service-definition.json", definition)
    assert [a["code"] for a in definition["attributes"]] == ["region", "people_count"]
    xml = c.get(f"{BASE}/services.xml", {"jurisdiction_id": world.county.code})
    root = ET.fromstring(xml.content)
    assert root.tag == "services" and root.find("service/service_code").text == codes[0]
    assert root.find("service/metadata").text == "true"
    english = c.get(f"{BASE}/services.json", {"jurisdiction_id": world.county.code},
                    HTTP_ACCEPT_LANGUAGE="en").json()  # fmt: skip
    assert len(english) == len(services)


def test_post_registers_a_case_and_it_is_tracked_open_then_closed(world, schemas, open311_client):
    c = Client()
    r = post(c, open311_client.api_key, world)
    assert r.status_code == 200, r.content
    (created,) = r.json()
    code, token = created["service_request_id"], created["token"]
    case = Case.objects.get(code=code)
    assert case.region_id == world.village.code and case.parties.get().phone == "13700001111"
    assert AppealKey.objects.filter(principal="source:open311-app", key=token).exists()
    q = {"jurisdiction_id": world.county.code}
    assert c.get(f"{BASE}/tokens/{token}.json", q).json() == [
        {"token": token, "service_request_id": code}
    ]
    one = c.get(f"{BASE}/requests/{code}.json", q).json()
    schemas("requests.json", one)
    assert one[0]["status"] == "open" and one[0]["service_code"] == "dispute.neighbor"
    assert "13700001111" not in str(one) and "王五" not in str(one)
    listed = c.get(f"{BASE}/requests.json", {**q, "status": "open"}).json()
    schemas("requests.json", listed)
    assert [x["service_request_id"] for x in listed] == [code]
    steps = (
        (Action.DISPATCH, world.dispatcher),
        (Action.SIGN, world.justice_handler),
        (Action.RESOLVE, world.justice_handler),
        (Action.CLOSE, world.director),
    )
    for action, actor in steps:
        case = case_services.transition(
            case=case, action=action, actor=actor, lead_unit=world.justice, note="说明",
            result="已调解",
        )  # fmt: skip
    closed = c.get(f"{BASE}/requests.json", {**q, "status": "closed"}).json()
    schemas("requests.json", closed)
    assert closed[0]["status"] == "closed" and closed[0]["service_request_id"] == code
    assert c.get(f"{BASE}/requests.json", {**q, "status": "open"}).json() == []
    xml = ET.fromstring(c.get(f"{BASE}/requests/{code}.xml", q).content)
    assert xml.tag == "service_requests" and xml.find("request/status").text == "closed"


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": "fq_wrong"}, 403, "api_key"),
        ({"service_code": "nope"}, 400, "service_code"),
        ({"lat": "", "long": ""}, 400, "lat"),
        ({"description": ""}, 400, "description"),
        ({"jurisdiction_id": "999999"}, 404, "999999"),
        ({"attribute[region]": "420902"}, 400, "管辖范围"),
    ],
)
def test_errors_are_the_specification_list(world, open311_client, change, status, words):
    c = Client()
    r = post(c, change.pop("api_key", open311_client.api_key), world, **change)
    assert r.status_code == status
    (error,) = r.json()
    assert error["code"] == status and words in error["description"]
    assert not Case.objects.exists()


def test_get_errors_and_formats(world):
    c = Client()
    assert c.get(f"{BASE}/services.json").status_code == 400  # several centers: say which
    r = c.get(f"{BASE}/services/none.xml", {"jurisdiction_id": world.county.code})
    root = ET.fromstring(r.content)
    assert r.status_code == 404 and root.tag == "errors" and root.find("error/code").text == "404"
    assert c.get(f"{BASE}/services.yaml", {"jurisdiction_id": world.county.code}).status_code == 400
    r = c.get(f"{BASE}/requests.json", {"jurisdiction_id": world.county.code, "start_date": "x"})
    assert r.status_code == 400 and "start_date" in r.json()[0]["description"]
    en = c.get(f"{BASE}/requests/NOPE.json", {"jurisdiction_id": world.county.code},
               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert en.status_code == 404 and "not" in en.json()[0]["description"].lower()
    discovery = c.get(f"{BASE}/discovery.json").json()
    assert discovery["endpoints"][0]["specification"].endswith("GeoReport_v2")


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_reads_services_and_requests(live_server, world, open311_client):
    from georeport import GeoReport

    r = post(Client(), open311_client.api_key, world)
    code = r.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}{BASE}", jurisdiction=world.county.code,
                           output_format=fmt)  # fmt: skip
        services = client.get_service_list()
        assert any(s["service_code"] == "dispute.neighbor" for s in services)
        definition = client.get_service_definition("dispute.neighbor")
        assert definition["service_code"] == "dispute.neighbor"
        request = client.get_service_request(code)
        assert request["service_request_id"] == code and request["status"] == "open"
        listed = client.get_service_requests(status="open")
        if fmt == "xml":  # xmltodict gives one item as a dict, several as a list
            listed = [listed] if isinstance(listed, dict) else listed
        assert [x["service_request_id"] for x in listed] == [code]

"""Transfers in: signed, idempotent by the source's order number, mapped, called back."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action, Channel, Status
from fengqiao.cases.models import Case
from fengqiao.integrations.choices import DeliveryStatus, MappingKind, PartnerKind
from fengqiao.integrations.models import Delivery, InboundTransfer, RiskSignal
from fengqiao.integrations.services.partners import create_partner, set_mapping
from fengqiao.integrations.services.signing import HEADER, sign, verify
from fengqiao.integrations.tests.conftest import signed_post

pytestmark = pytest.mark.django_db

ORDER = {
    "external_id": "12345-20260301-0001",
    "title": "小区噪音扰民",
    "description": "楼下烧烤店每晚营业至凌晨两点，噪音扰民，多次反映无果。",
    "applicant": {"name": "李四", "phone": "13912345678"},
}


def url(partner) -> str:
    return f"/api/v1/transfers/{partner.code}/orders"


def test_signed_order_becomes_one_case_and_a_resend_answers_with_it(world, hotline):
    c = Client()
    first = signed_post(
        c, url(hotline.partner), {**ORDER, "region": world.village.code}, hotline.secret
    )
    assert first.status_code == 201, first.content
    code = first.json()["case_code"]
    case = Case.objects.get(code=code)
    assert case.channel == Channel.TRANSFER_12345 and case.status == Status.REGISTERED
    assert case.region_id == world.village.code
    again = signed_post(
        c, url(hotline.partner), {**ORDER, "region": world.village.code}, hotline.secret
    )
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    edited = {
        **ORDER,
        "region": world.village.code,
        "description": ORDER["description"] + "（补充）",
    }
    third = signed_post(c, url(hotline.partner), edited, hotline.secret)
    assert third.status_code == 200 and third.json()["case_code"] == code
    assert Case.objects.filter(title=ORDER["title"]).count() == 1
    assert InboundTransfer.objects.get(external_id=ORDER["external_id"]).resent == 2


def test_unsigned_wrong_and_stale_signatures_are_refused(world, hotline):
    c = Client()
    body = json.dumps(ORDER).encode()
    assert c.post(url(hotline.partner), body, content_type="application/json").status_code == 403
    wrong = c.post(
        url(hotline.partner), body, content_type="application/json",
        headers={HEADER: sign("whsec_other", body)},
    )  # fmt: skip
    assert wrong.status_code == 403 and wrong.json()["code"] == "bad_signature"
    stale = c.post(
        url(hotline.partner), body, content_type="application/json",
        headers={HEADER: sign(hotline.secret, body, timestamp=int(time.time()) - 3600)},
    )  # fmt: skip
    assert stale.status_code == 403 and stale.json()["code"] == "stale_signature"
    assert not Case.objects.filter(title=ORDER["title"]).exists()
    with pytest.raises(Exception, match="签名"):
        verify(hotline.secret, body, "t=abc")


def test_codes_are_mapped_to_our_categories_and_regions(world, hotline):
    set_mapping(partner=hotline.partner, kind=MappingKind.CATEGORY, external_code="ZS-07",
                internal_code="dispute.neighbor")  # fmt: skip
    set_mapping(partner=hotline.partner, kind=MappingKind.REGION, external_code="CG-01",
                internal_code=world.village.code)  # fmt: skip
    r = signed_post(
        Client(), url(hotline.partner), {**ORDER, "category": "ZS-07", "region": "CG-01"},
        hotline.secret,
    )  # fmt: skip
    case = Case.objects.get(code=r.json()["case_code"])
    assert case.category.code == "dispute.neighbor" and case.region_id == world.village.code


def test_bad_order_is_a_clear_error_in_english_and_nothing_written(world, hotline):
    r = signed_post(
        Client(), url(hotline.partner), {**ORDER, "region": "999999"}, hotline.secret,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert r.status_code == 422 and "999999" in r.json()["message"]
    missing = signed_post(Client(), url(hotline.partner), {"title": "x"}, hotline.secret)
    assert missing.status_code == 422
    assert not InboundTransfer.objects.exists()


def test_status_callbacks_follow_the_case(world, receiver, commits):
    creds = create_partner(
        code="police110", name="110接处警", kind=PartnerKind.POLICE_110,
        center=world.county_center, callback_url=receiver.url,
    )  # fmt: skip
    with commits():
        r = signed_post(
            Client(), url(creds.partner), {**ORDER, "region": world.village.code}, creds.secret
        )
    case = Case.objects.get(code=r.json()["case_code"])
    assert case.channel == Channel.TRANSFER_110
    with commits():
        case_services.transition(case=case, action=Action.DISPATCH, actor=world.dispatcher,
                                 lead_unit=world.police, note="转派出所")  # fmt: skip
    actions = [m["json"]["event"]["action"] for m in receiver.received]
    assert actions == ["register", "dispatch"]
    last = receiver.received[-1]
    assert last["json"]["external_id"] == ORDER["external_id"]
    assert last["json"]["case"]["status"] == Status.DISPATCHED
    verify(creds.secret, last["body"], last["headers"][HEADER])  # the source can check it
    assert (
        Delivery.objects.filter(partner=creds.partner, status=DeliveryStatus.DELIVERED).count() == 2
    )


def test_sentiment_feed_gives_risk_signals_not_cases(world):
    creds = create_partner(code="yuqing", name="舆情监测平台", kind=PartnerKind.SENTIMENT,
                           center=world.county_center)  # fmt: skip
    u = f"/api/v1/transfers/{creds.partner.code}/signals"
    item = {"external_id": "YQ-1", "title": "某小区业主聚集维权", "level": "high",
            "region": world.township.code}  # fmt: skip
    assert signed_post(Client(), u, item, creds.secret).status_code == 201
    assert signed_post(Client(), u, item, creds.secret).json()["created"] is False
    assert RiskSignal.objects.get().level == "high"
    order = signed_post(Client(), url(creds.partner), ORDER, creds.secret)
    assert order.status_code == 422 and not Case.objects.filter(title=ORDER["title"]).exists()

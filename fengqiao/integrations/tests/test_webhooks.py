"""Outbound webhooks: matching, signatures, retries with backoff, dead letters, replay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action
from fengqiao.integrations.choices import DeliveryStatus
from fengqiao.integrations.models import Delivery
from fengqiao.integrations.services import webhooks
from fengqiao.integrations.services.signing import HEADER, verify

pytestmark = pytest.mark.django_db


def test_subscriber_receives_signed_events_of_its_unit_only(world, receiver, commits):
    _sub, secret = webhooks.create_subscription(
        name="派出所警务平台", url=receiver.url, actor=world.director, unit=world.police,
        actions=[Action.DISPATCH, Action.SIGN],
    )  # fmt: skip
    with commits():
        case = world.register()
        other = world.register(title="另一宗纠纷")
    with commits():
        case_services.transition(case=case, action=Action.DISPATCH, actor=world.dispatcher,
                                 lead_unit=world.police, note="")  # fmt: skip
        case_services.transition(case=other, action=Action.DISPATCH, actor=world.dispatcher,
                                 lead_unit=world.justice, note="")  # fmt: skip
    assert [m["json"]["case"]["code"] for m in receiver.received] == [case.code]
    msg = receiver.received[0]
    verify(secret, msg["body"], msg["headers"][HEADER])
    assert (
        msg["json"]["type"] == "case.dispatch" and msg["headers"]["X-Fengqiao-Event"] == "dispatch"
    )
    assert "13800138000" not in msg["body"].decode() and "张三" not in msg["body"].decode()


def test_failures_back_off_then_die_and_an_admin_replays(world, receiver, commits):
    receiver.status = 503
    webhooks.create_subscription(name="全县", url=receiver.url, actor=world.director,
                                 region=world.county)  # fmt: skip
    with commits():
        world.register()
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1 and d.last_status == 503
    assert d.next_attempt_at - timezone.now() > dt.timedelta(seconds=25)
    assert webhooks.retry_due() == {"delivered": 0, "failed": 0, "dead": 0}  # not due yet
    later = timezone.now()
    for n in range(2, webhooks.MAX_ATTEMPTS + 1):
        later += webhooks.backoff(n - 1) + dt.timedelta(seconds=1)
        webhooks.retry_due(now=later)
        d.refresh_from_db()
        assert d.attempts == n
    assert d.status == DeliveryStatus.DEAD and len(receiver.received) == webhooks.MAX_ATTEMPTS
    assert webhooks.backoff(3) == dt.timedelta(seconds=120)
    assert webhooks.backoff(20) == dt.timedelta(seconds=webhooks.BACKOFF_MAX)
    receiver.status = 200
    c = Client()
    c.force_login(world.director)
    page = c.get("/integrations/deliveries/?status=dead")
    assert d.case_code in page.content.decode()
    with commits():
        r = c.post(f"/integrations/deliveries/{d.pk}/replay/")
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED and d.attempts == 1


def test_a_handler_run_twice_writes_no_second_delivery(world, receiver, commits):
    webhooks.create_subscription(name="全部", url=receiver.url, actor=world.director)
    with commits():
        case = world.register()
    event = case.events.get(seq=1)
    assert webhooks.deliveries_for(event) == []
    assert Delivery.objects.count() == 1


def test_unreachable_url_is_an_error_kept_on_the_delivery(world, commits):
    webhooks.create_subscription(name="坏地址", url="http://127.0.0.1:9/none", actor=world.director)
    with commits():
        world.register()
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.PENDING and d.last_error and d.last_status is None


def test_subscription_url_must_be_http(world, commits):
    with pytest.raises(Exception, match="http"):
        webhooks.create_subscription(name="x", url="ftp://x", actor=world.director)

import pytest

from fengqiao.notifications import services
from fengqiao.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_notify_fills_each_inbox_and_counts_unread(world):
    messages = services.notify(
        recipients=[world.dispatcher, world.director, world.dispatcher],
        title="新案件待分流",
        body="案件 42092320261122000017 已受理，请尽快分流。",
        link="/cases/1/",
        kind="case",
    )
    assert [m.recipient for m in messages] == [world.dispatcher, world.director]
    assert services.unread_count(world.dispatcher) == 1
    assert services.unread_count(world.receptionist) == 0
    # Another user's id is ignored; the owner's marks it read.
    assert services.mark_read(world.director, [messages[0].pk]) == 0
    assert services.mark_read(world.dispatcher, [messages[0].pk]) == 1
    assert services.unread_count(world.dispatcher) == 0
    assert services.unread_count(world.director) == 1
    assert services.mark_read(world.director) == 1


def test_same_dedupe_key_gives_no_second_message(world):
    for _ in range(3):
        out = services.notify(
            recipients=[world.dispatcher],
            title="督办提醒",
            body="请回复",
            dedupe_key="supervision:7:due",
        )
        assert len(out) == 1
    services.notify(
        recipients=[world.director], title="督办提醒", body="", dedupe_key="supervision:7:due"
    )
    assert Message.objects.filter(dedupe_key="supervision:7:due").count() == 2
    assert services.unread_count(world.dispatcher) == 1

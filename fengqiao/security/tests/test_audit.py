"""The audit trail: access to personal data is recorded, the chain finds tampering."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fengqiao.intake.types import PartyIn
from fengqiao.org.models import Unit
from fengqiao.security import audit
from fengqiao.security.models import AuditEntry, AuditHead, AuditKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return world.register(parties=[PartyIn(name="李四", phone="13912345678")])


def _reveal(client, case, **data):
    party = case.parties.get()
    return client.post(reverse("workbench:reveal", args=[case.code, party.pk]), data)


def test_a_reveal_is_recorded_with_who_what_why(client, world, case):
    client.force_login(world.dispatcher)
    response = _reveal(client, case, reason="电话回访")
    assert "13912345678" in response.content.decode()
    entry = AuditEntry.objects.get(kind=AuditKind.REVEAL)
    assert entry.actor_name == "dispatcher" and entry.target == case.code
    assert entry.fields == "name,phone,id_number" and entry.reason == "电话回访"
    assert entry.region_path == case.region_path and entry.address == "127.0.0.1"
    # The personal data itself is not in the trail.
    assert "13912345678" not in str(AuditEntry.objects.values_list().get(pk=entry.pk))


def test_a_refused_reveal_is_recorded_too(client, world, case):
    client.force_login(world.leader)
    response = _reveal(client, case)
    assert "13912345678" not in response.content.decode()
    assert AuditEntry.objects.filter(kind=AuditKind.REVEAL_REFUSED, actor_name="leader").exists()


def test_director_reviews_reveals_in_his_area_and_auditor_everything(client, world, case, auditor):
    client.force_login(world.dispatcher)
    _reveal(client, case, reason="核实身份")
    client.force_login(world.director)
    page = client.get(reverse("security:audit"), {"kind": "reveal"}).content.decode()
    assert case.code in page and "核实身份" in page
    client.force_login(world.other_dispatcher)
    assert client.get(reverse("security:audit")).status_code == 403
    client.force_login(auditor)
    page = client.get(reverse("security:audit"), {"target": case.code}).content.decode()
    assert case.code in page
    page = client.get(reverse("security:audit"), {"verify": "1"}).content.decode()
    assert "审计链完整" in page


def test_admin_site_changes_are_on_the_trail(world, superuser):
    LogEntry.objects.log_actions(
        user_id=superuser.pk,
        queryset=Unit.objects.filter(pk=world.police.pk),
        action_flag=ADDITION,
        change_message="added",
        single_object=True,
    )
    entry = AuditEntry.objects.get(kind=AuditKind.ADMIN_CHANGE)
    assert entry.actor_name == "root" and entry.target == "org.unit"
    assert entry.detail["object_id"] == str(world.police.pk)
    assert ContentType.objects.get_for_model(Unit).model == "unit"


def _trail(n=5):
    return [audit.record(AuditKind.EXPORT, actor_name=f"u{i}", target=f"t{i}") for i in range(n)]


def test_an_intact_trail_verifies():
    _trail()
    result = audit.verify()
    assert result.ok and result.checked == 5


def test_the_database_refuses_to_rewrite_an_entry():
    _trail(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE security_auditentry SET reason = 'x'")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.first().save()


def _without_triggers(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER security_auditentry_no_update")
        else:
            cur.execute("ALTER TABLE security_auditentry DISABLE TRIGGER USER")
        cur.execute(sql, params)


def test_a_rewritten_entry_is_found_even_with_the_later_macs_recomputed():
    entries = _trail()
    _without_triggers("UPDATE security_auditentry SET target = 'forged' WHERE seq = 2")
    assert "#2: altered (MAC does not match)" in audit.verify().problems
    # Recomputing the chain without the key (plain SHA-256, or another key) does not help.
    forged = AuditEntry.objects.get(seq=2)
    assert forged.mac == entries[1].mac


def test_a_deleted_entry_and_a_deleted_tail_are_found():
    _trail()
    _without_triggers("DELETE FROM security_auditentry WHERE seq IN (3, 5)")
    problems = audit.verify().problems
    assert "#3: missing (next is #4)" in problems
    assert "head: names #5, the trail ends at #4" in problems


def test_an_anchored_head_cannot_be_moved_back():
    _trail()
    _without_triggers("DELETE FROM security_auditentry WHERE seq = 5")
    prev = AuditEntry.objects.get(seq=4)
    AuditHead.objects.update(seq=4, mac=prev.mac)  # the seal is left: it needs the key
    assert "head: altered (seal does not match)" in audit.verify().problems


def test_deleting_an_account_breaks_no_entry(world):
    user = world.dispatcher
    audit.record(AuditKind.EXPORT, actor=user, target="x")
    user.delete()
    assert audit.verify().ok
    assert AuditEntry.objects.get().actor_name == "dispatcher"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_to_delete_entries():
    _trail(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM security_auditentry")

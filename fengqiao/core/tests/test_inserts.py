"""core.inserts writes a new row exactly as save() would (ids, JSON, auto_now stamps), and a
batch writes its queued rows together, before anything else reads them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from fengqiao.core import inserts
from fengqiao.intake.models import AppealKey
from fengqiao.routing.models import CaseRouting

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return world.register()


def _key(case, key="k", **fields) -> AppealKey:
    return AppealKey(principal="user:1", key=key, door="api", fingerprint="f", case=case, **fields)


def test_insert_writes_what_save_would(case):
    CaseRouting.objects.filter(case=case).delete()
    routing = inserts.insert(
        CaseRouting(case=case, unit_types=["司法所"], top_terms=[["欠薪", 0.4]], confidence=0.8)
    )
    assert routing.pk is not None and not routing._state.adding
    stored = CaseRouting.objects.get(pk=routing.pk)
    assert stored.unit_types == ["司法所"] and stored.top_terms == [["欠薪", 0.4]]
    assert stored.created_at is not None and stored.updated_at is not None  # auto_now(_add)
    key = inserts.insert(_key(case))
    assert AppealKey.objects.get(pk=key.pk).created_at is not None


def test_insert_refuses_a_row_that_has_an_id(case):
    row = _key(case)
    row.save()
    with pytest.raises(ValueError):
        inserts.insert(row)


def _keys(case, n: int) -> list[AppealKey]:
    return [_key(case, f"k{i}") for i in range(n)]


def test_a_batch_writes_its_rows_together_when_it_ends(case):
    rows = _keys(case, 3)
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), inserts.batch():
        for row in rows:
            assert inserts.insert_later(row) is row
        assert all(row.pk is None for row in rows)  # queued, not written yet
    assert all(row.pk is not None and not row._state.adding for row in rows)
    stored = AppealKey.objects.filter(pk__in=[r.pk for r in rows])
    assert sorted(stored.values_list("key", flat=True)) == ["k0", "k1", "k2"]
    writes = [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    # PostgreSQL: one round trip for the three rows; SQLite: one statement each.
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)


def test_a_statement_in_the_block_sees_the_queued_rows(case):
    with transaction.atomic(), inserts.batch():
        inserts.insert_later(_key(case))
        assert AppealKey.objects.filter(key="k").count() == 1  # written first


def test_a_block_left_by_an_error_writes_nothing(case):
    with pytest.raises(RuntimeError), transaction.atomic(), inserts.batch():
        inserts.insert_later(_key(case))
        raise RuntimeError("the request failed")
    assert not AppealKey.objects.exists()


def test_a_failing_row_fails_the_whole_batch(case):
    _key(case, "taken").save()
    rows = [*_keys(case, 2), _key(case, "taken")]
    with pytest.raises(IntegrityError), transaction.atomic(), inserts.batch():
        for row in rows:
            inserts.insert_later(row)
    assert AppealKey.objects.count() == 1  # the one written before


def test_outside_a_batch_a_row_is_written_at_once(case):
    row = inserts.insert_later(_key(case))
    assert row.pk is not None and AppealKey.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_a_batch_needs_the_transaction_that_holds_its_rows():
    with pytest.raises(RuntimeError), inserts.batch():
        pass


def test_reserve_gives_a_row_its_id_before_it_is_written(case):
    row = _key(case)
    if not inserts.reserve(row):  # SQLite gives ids only on insert
        assert connection.vendor == "sqlite" and row.pk is None
        return
    reserved = row.pk
    assert reserved is not None
    with transaction.atomic(), inserts.batch():
        inserts.insert_later(row)
    assert row.pk == reserved and AppealKey.objects.get(pk=reserved).key == "k"
    later = inserts.insert(_key(case, "k2"))
    assert later.pk > reserved  # the sequence moved past it
    with pytest.raises(ValueError):  # an instance with an id of its own is no new row
        inserts.reserve(row)


def test_a_statement_fetched_in_a_batch_goes_with_the_queued_rows(case):
    rows = _keys(case, 2)
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), inserts.batch():
        for row in rows:
            inserts.insert_later(row)
        table = AppealKey._meta.db_table
        (count,) = inserts.fetchone(f"SELECT COUNT(*) FROM {table} WHERE key LIKE %s", ["k%"])
        assert count == 2  # the queued rows were written before it ran
    assert all(row.pk is not None for row in rows)
    # PostgreSQL: the two rows and the statement in one round trip.
    sent = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) == (1 if connection.vendor == "postgresql" else 3)
    assert inserts.fetchone(f"SELECT COUNT(*) FROM {table}", []) == (2,)  # outside a batch


def test_values_of_another_type_are_adapted_as_save_would(case):
    # Plain values go to the driver as they are; anything else takes the field's own path.
    row = inserts.insert(_key(case, 42))
    assert AppealKey.objects.get(pk=row.pk).key == "42"

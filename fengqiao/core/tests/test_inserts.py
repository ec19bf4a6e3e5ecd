"""core.inserts writes a new row exactly as save() would (ids, JSON, auto_now stamps)."""

import pytest

from fengqiao.api.models import IdempotencyKey
from fengqiao.core import inserts
from fengqiao.routing.models import CaseRouting

pytestmark = pytest.mark.django_db


def test_insert_writes_what_save_would(world):
    case = world.register()
    CaseRouting.objects.filter(case=case).delete()
    routing = inserts.insert(
        CaseRouting(case=case, unit_types=["司法所"], top_terms=[["欠薪", 0.4]], confidence=0.8)
    )
    assert routing.pk is not None and not routing._state.adding
    stored = CaseRouting.objects.get(pk=routing.pk)
    assert stored.unit_types == ["司法所"] and stored.top_terms == [["欠薪", 0.4]]
    assert stored.created_at is not None and stored.updated_at is not None  # auto_now(_add)
    key = inserts.insert(IdempotencyKey(user=world.receptionist, key="k", fingerprint="f"))
    assert IdempotencyKey.objects.get(pk=key.pk).created_at is not None


def test_insert_refuses_a_row_that_has_an_id(world):
    row = IdempotencyKey.objects.create(user=world.receptionist, key="k", fingerprint="f")
    with pytest.raises(ValueError):
        inserts.insert(row)

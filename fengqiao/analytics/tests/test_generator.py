"""The benchmark data generator: valid hash chains, every status, rollups that match."""

import datetime as dt

import pytest

from bench.generate import PATHS, event_hash, generate
from fengqiao.analytics import rollups
from fengqiao.analytics.selectors import dashboard
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import verify_chain
from fengqiao.cases.taxonomy import ensure_default_categories
from fengqiao.deadlines.models import CaseTimer
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)


def test_the_fast_event_hash_is_the_models_hash():
    at = dt.datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC)
    event = CaseEvent(
        seq=2, action="dispatch", from_status="registered", to_status="dispatched",
        actor_label="bench", note="", data={}, created_at=at, prev_hash="ab" * 32,
    )  # fmt: skip
    code = "42092320250304000017"
    assert event_hash(code=code, seq=2, action="dispatch", frm="registered", to="dispatched",
                      at=at, prev="ab" * 32) == event.compute_hash(code)  # fmt: skip


def test_generated_cases_verify_cover_every_status_and_match_the_rollups():
    ensure_default_categories()
    counts = generate(300, seed=7, now=NOW)
    assert counts["cases"] == Case.objects.count() == 300
    assert counts["events"] == CaseEvent.objects.count()
    assert set(Case.objects.values_list("status", flat=True)) == set(PATHS)
    for case in Case.objects.all():
        report = verify_chain(case)
        assert report.broken_seq is None, report
    # Open cases in a county department's hands run clocks the sweep reads.
    assert CaseTimer.objects.filter(case__status__in=["dispatched", "handling"]).exists()
    province = Region.objects.get(code="420000")
    dash = dashboard(province, months=None)
    baseline = rollups.group_by_baseline(province.path)
    assert dash.total == 300
    assert dash.by_status == {k: v for k, v in baseline["status"].items() if v}
    assert sum(dash.by_month.values()) == sum(baseline["month"].values()) == 300
    assert dash.by_risk == {k: v for k, v in baseline["risk"].items() if v}
    # Each level keeps its own rows: a city and a county add up like their cases do.
    for code in ("420900", "420923"):
        region = Region.objects.get(code=code)
        figures = rollups.group_by_baseline(region.path)
        assert dashboard(region, months=None).by_status == {
            k: v for k, v in figures["status"].items() if v
        }

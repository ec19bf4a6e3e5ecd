import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.followup.models import MonthlySample, VisitTask
from fengqiao.followup.tasks import followup_sweep_task

pytestmark = pytest.mark.django_db


def test_the_periodic_sweep_opens_missing_tasks_and_draws_last_months_samples(closed_case, world):
    case = closed_case()
    VisitTask.objects.filter(case=case).delete()  # as if the after-commit handler had failed
    result = followup_sweep_task.enqueue().return_value
    assert result["opened"] == 1
    assert VisitTask.objects.filter(case=case, status="pending").count() == 1
    # Next month, the sweep draws this month's samples, once.
    from fengqiao.followup import services

    first_of_next = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    next_month = timezone.make_aware(dt.datetime.combine(first_of_next, dt.time(9)))
    samples = services.draw_previous_month_samples(next_month)
    assert [s.center for s in samples] == [world.county_center]
    assert samples[0].case_codes == [case.code]
    services.draw_previous_month_samples(next_month)
    assert MonthlySample.objects.count() == 1

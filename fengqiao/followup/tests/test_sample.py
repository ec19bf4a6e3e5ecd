import datetime as dt

import pytest
from django.utils import timezone

from fengqiao.core.errors import ValidationFailed
from fengqiao.followup import selectors, services
from fengqiao.followup.models import MonthlySample, VisitTask

pytestmark = pytest.mark.django_db
PHONES = ["13700000001", "13700000002", "13700000003", "13700000001", "13700000002", "13700000004"]


@pytest.fixture
def month_of_cases(closed_case):
    """Six cases closed this month by four different applicants (phones)."""
    return [closed_case(phone=phone) for phone in PHONES]


def party_phones(sample):
    return [t.case.parties.get(role="applicant").phone for t in sample.tasks.all()]


def test_sample_has_the_size_asked_and_never_the_same_party_twice(month_of_cases, world):
    month = timezone.localdate()
    sample = services.draw_monthly_sample(world.county_center, month, size=4)
    assert sample.population == 6 and sample.size == 4
    phones = party_phones(sample)
    assert len(phones) == 4 and len(set(phones)) == 4
    assert sorted(sample.case_codes) == sorted(t.case.code for t in sample.tasks.all())
    assert all(t.is_sample and t.status == "pending" for t in sample.tasks.all())


def test_default_size_takes_one_case_per_party_at_most(month_of_cases, world):
    sample = services.draw_monthly_sample(world.county_center, timezone.localdate())
    assert sample.size == 30
    assert sorted(party_phones(sample)) == sorted(set(PHONES))  # 4 parties, not 6 cases


def test_the_draw_is_reproducible_and_drawn_once_a_month(month_of_cases, world):
    month = timezone.localdate()
    first = services.draw_monthly_sample(world.county_center, month, size=3)
    assert first.seed == services.default_seed(world.county_center, month)
    codes = list(first.case_codes)
    # Asked again: the same sample, nothing new.
    again = services.draw_monthly_sample(world.county_center, month, size=3, seed="other")
    assert again.pk == first.pk and VisitTask.objects.filter(is_sample=True).count() == 3
    # Drawn afresh from the same cases with the same seed: the same cases.
    first.delete()
    redrawn = services.draw_monthly_sample(world.county_center, month, size=3)
    assert redrawn.case_codes == codes
    # Another seed gives another order (with six cases, almost surely another draw).
    candidates = [(c.code, services._applicant_key(c)) for c in month_of_cases]
    draws = {tuple(services.pick_sample(candidates, size=3, seed=str(s))) for s in range(10)}
    assert len(draws) > 1
    assert services.pick_sample(candidates, size=3, seed=redrawn.seed) == codes


def test_a_party_sampled_by_one_center_is_not_drawn_again_that_month(closed_case, world):
    from fengqiao.org.choices import Role, UnitType
    from fengqiao.testing.factories import grant, make_department

    township_police = make_department(
        world.township, UnitType.PUBLIC_SECURITY, center=world.township_center
    )
    grant(world.police_handler, township_police, Role.HANDLER)
    township = {"center": world.township_center, "lead_unit": township_police}
    a = closed_case(phone="13700000011")
    b = closed_case(phone="13700000011", **township)
    c = closed_case(phone="13700000012", **township)
    month = timezone.localdate()
    county = services.draw_monthly_sample(world.county_center, month)
    assert county.case_codes == [a.code]
    township = services.draw_monthly_sample(world.township_center, month)
    assert township.case_codes == [c.code] and b.code not in township.case_codes


def test_only_cases_closed_in_that_month_are_drawn(month_of_cases, world):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    sample = services.draw_monthly_sample(world.county_center, last_month)
    assert sample.population == 0 and sample.case_codes == []
    with pytest.raises(ValidationFailed):
        services.draw_monthly_sample(world.county_center, timezone.localdate(), size=0)
    with pytest.raises(ValidationFailed):
        services.draw_monthly_sample(world.justice, timezone.localdate())


def test_sample_visits_are_recorded_and_a_bad_one_is_supervised(month_of_cases, world):
    sample = services.draw_monthly_sample(world.county_center, timezone.localdate(), size=2)
    first, second = sample.tasks.order_by("id")
    # The routine visit archived the first case already; the sample visit is independent.
    routine = VisitTask.objects.get(case=first.case, is_sample=False)
    services.record_visit(task=routine, actor=world.receptionist, method="phone",
                          reached_person="本人", satisfaction="satisfied")  # fmt: skip
    bad = services.record_visit(task=first, actor=world.supervisor, method="phone",
                                reached_person="本人", satisfaction="dissatisfied",
                                comment="其实没解决")  # fmt: skip
    first.case.refresh_from_db()
    assert first.case.status == "archived" and bad.outcome == "supervised"
    assert first.case.supervision_orders.get().reason == "sample_dissatisfied"
    # The second case is still closed: its sample visit counts like the routine one.
    good = services.record_visit(task=second, actor=world.supervisor, method="sms",
                                 reached_person="本人", satisfaction="satisfied")  # fmt: skip
    second.case.refresh_from_db()
    assert good.outcome == "archived" and second.case.status == "archived"
    # ...and the case's routine visit is no longer due.
    assert VisitTask.objects.get(case=second.case, is_sample=False).status == "archived"
    listed = selectors.samples(world.director).get(pk=sample.pk)
    assert (listed.drawn, listed.pending) == (2, 0)
    assert MonthlySample.objects.count() == 1

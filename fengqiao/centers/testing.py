"""A small world for the centers' tests and browser tests: the factories' county with the
defaults, residency set up and a duty roster for today."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from fengqiao.centers import services
from fengqiao.centers.choices import DutyPost
from fengqiao.centers.defaults import ensure_defaults
from fengqiao.org.choices import Residency
from fengqiao.testing.factories import World


@dataclass
class CentersWorld:
    world: World


def build_centers_world(world: World) -> CentersWorld:
    ensure_defaults()
    today = timezone.localdate()
    c = world.county_center
    services.set_residency(
        center=c,
        unit=world.justice,
        residency=Residency.ROTATING,
        weekdays=[today.weekday()],
        actor=world.director,
    )
    services.assign_shift(
        center=c, day=today, post=DutyPost.CHIEF_ON_DUTY, user=world.leader, actor=world.director
    )
    services.assign_shift(
        center=c,
        day=today,
        post=DutyPost.DUTY_DIRECTOR,
        user=world.dispatcher,
        actor=world.director,
    )
    return CentersWorld(world)

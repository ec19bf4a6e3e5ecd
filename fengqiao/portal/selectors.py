"""Reads of the citizen portal: centers shown on posters, public tracking (the region picker
is `fengqiao.org.region_picker`)."""

from __future__ import annotations

from fengqiao.cases.tracking import PublicCaseView, track_case
from fengqiao.org.choices import UnitKind
from fengqiao.org.models import Unit


def active_center(center_id: object) -> Unit | None:
    """An active center by id, or None (a bad or unknown id is simply no center)."""
    try:
        pk = int(str(center_id))
    except (TypeError, ValueError):
        return None
    return (
        Unit.objects.filter(pk=pk, kind=UnitKind.CENTER, is_active=True)
        .select_related("region")
        .first()
    )


def public_case(*, code: str, phone_last4: str) -> PublicCaseView:
    """The public view of one case (raises NotFound / ValidationFailed from tracking)."""
    return track_case(code=code, phone_last4=phone_last4)

"""The demo section: partners, orders, signals, cameras and a checked import; run twice,
it adds nothing."""

from __future__ import annotations

import pytest

from fengqiao.cases.models import Case
from fengqiao.demo import integrations as demo
from fengqiao.demo.organization import build_organization
from fengqiao.integrations.choices import ImportStatus
from fengqiao.integrations.models import (
    Camera,
    CameraCitation,
    ImportJob,
    InboundTransfer,
    Partner,
    RiskSignal,
)


@pytest.mark.django_db
def test_demo_section_is_idempotent():
    org = build_organization()
    lines: list[str] = []
    demo.build(org, log=lines.append)
    counts = (
        Partner.objects.count(), InboundTransfer.objects.count(), RiskSignal.objects.count(),
        Camera.objects.count(), CameraCitation.objects.count(), ImportJob.objects.count(),
        Case.objects.count(),
    )  # fmt: skip
    assert counts == (6, 8, 3, 4, 1, 1, 8)
    job = ImportJob.objects.get()
    assert (job.total, job.valid, job.status) == (5, 2, ImportStatus.FAILED)
    demo.build(org, log=lines.append)
    again = (
        Partner.objects.count(), InboundTransfer.objects.count(), RiskSignal.objects.count(),
        Camera.objects.count(), CameraCitation.objects.count(), ImportJob.objects.count(),
        Case.objects.count(),
    )  # fmt: skip
    assert again == counts
    assert any("orders transferred in: 8 new" in line for line in lines)

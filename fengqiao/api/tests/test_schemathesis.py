"""Property-based run of the live OpenAPI document (schemathesis): with a staff token, no
request the schema allows may give a 5xx or a response the schema does not describe."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fengqiao.api.services import create_token
from fengqiao.cases.choices import Status
from fengqiao.supervision.services import issue_order

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restore_reference_data"),
]

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz(operation, base_url: str, token: str, failures: list[str], statuses: Counter, **fixed):
    """A Hypothesis test of one operation that records what breaks instead of stopping."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(**fixed))
    def run(case) -> None:
        response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
        statuses[(operation.label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collect all, report together
            failures.append(
                f"{operation.label}: {response.status_code} {type(exc).__name__}: "
                f"{str(exc)[:800]}\n  reproduce: {case.as_curl_command()[:800]}"
            )

    return run


def test_openapi_document_holds_under_fuzzing(reference_data, live_server, world):
    token = create_token(user=world.director, name="schemathesis").secret
    case = world.register(status=Status.HANDLING)  # something to list, move and supervise
    order = issue_order(
        case=case,
        grade="key",
        requirement="三日内报告进展",
        reply_deadline=timezone.now() + dt.timedelta(days=3),
        actor=world.director,
    )
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    # Revoking would cut the run's own token; revocation has its own tests.
    operations = [r.ok() for r in schema.exclude(method="DELETE").get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    statuses: Counter = Counter()

    for operation in operations:
        fuzz(operation, live_server.url, token, failures, statuses)()
        # Again on a real case and order, to get past the lookups.
        names = {p.name for p in operation.path_parameters}
        if "code" in names:
            path = {"code": world.county.code if "regions" in operation.path else case.code}
        elif "order_id" in names:
            path = {"order_id": order.pk}
        else:
            continue
        fuzz(operation, live_server.url, token, failures, statuses, path_parameters=path)()

    assert not failures, "\n\n".join(failures[:20])
    # The run reached real work, not only refusals.
    ok = {label for (label, status), n in statuses.items() if status < 300}
    assert {"GET /api/v1/cases", "GET /api/v1/categories", "POST /api/v1/tokens"} <= ok, statuses

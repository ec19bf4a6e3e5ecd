from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from fengqiao.integrations.choices import PartnerKind
from fengqiao.integrations.services.partners import create_partner


@pytest.fixture
def schemas(shared_data: Path):
    """The official GeoReport v2 JSON Schemas, each with a validator that resolves the
    schemas' relative references ("request.json") among themselves."""
    folder = shared_data / "open311"
    docs = {
        p.name: json.loads(p.read_text()) for p in folder.glob("*.json") if p.name != "swagger.json"
    }
    registry = Registry().with_resources(
        (name, Resource.from_contents(doc, default_specification=_draft()))
        for name, doc in docs.items()
    )

    def check(name: str, value) -> None:
        errors = list(Draft7Validator(docs[name], registry=registry).iter_errors(value))
        assert not errors, [e.message for e in errors]

    return check


def _draft():
    from referencing.jsonschema import DRAFT7

    return DRAFT7


@pytest.fixture
def open311_client(world):
    return create_partner(
        code="open311-app",
        name="城市随手拍",
        kind=PartnerKind.OPEN311,
        center=world.county_center,
    )

"""The Open311 endpoints' OpenAPI document names every endpoint, and each answers."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern

from fengqiao.open311 import urls
from fengqiao.open311.openapi import document

pytestmark = pytest.mark.django_db


def test_the_document_is_served_and_linked_from_the_api_docs(client):
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert (
        doc["openapi"].startswith("3.1")
        and "requestBody" in doc["paths"]["/open311/v2/requests.{format}"]["post"]
    )
    api_doc = client.get("/api/v1/openapi.json").json()
    assert "/open311/v2/openapi.json" in api_doc["info"]["description"]


def test_every_endpoint_is_documented_and_every_documented_path_exists(client):
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} - {"root", "openapi"}
    paths = document()["paths"]
    documented = {re.match(r"/open311/v2/(\w+)", path).group(1) for path in paths}
    assert {n.rstrip("s") for n in names} == {d.rstrip("s") for d in documented}
    # Every documented path answers (json and xml), none is a 404 of the router itself.
    for path in paths:
        url = path.format(format="json", service_code="x", service_request_id="1", token_id="t")
        response = client.get(url)
        assert response.status_code in (200, 400, 403, 404), (url, response.status_code)
        if response.status_code == 404:
            assert response.json()[0]["code"] == 404  # the spec's error, not a missing route
    for ref in re.findall(r'"#/components/schemas/(\w+)"', str(paths).replace("'", '"')):
        assert ref in document()["components"]["schemas"]

"""GeoReport v2 answers in JSON or XML, as the specification writes them."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# The element name of a list's items in XML, by the list's name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def _xml(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml(node, k, v)
    elif isinstance(value, list):
        for item in value:
            _xml(node, ITEM.get(name, "item"), item)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` (a list or a dict) under the root element ``root``."""
    tree = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            _xml(tree, ITEM.get(root, "item"), item)
    else:
        for k, v in value.items():
            _xml(tree, k, v)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(tree, encoding="utf-8")


def respond(value: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, value), content_type="text/xml; charset=utf-8", status=status
        )
    return HttpResponse(
        json.dumps(value, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error list: ``[{"code": <HTTP code>, "description": ...}]``."""
    return respond(
        [{"code": status, "description": description}], fmt, root="errors", status=status
    )

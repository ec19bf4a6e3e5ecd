"""Helpers for the portal's tests: fill in and submit the appeal form like a browser."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

PHONE = "13912345678"


def open_form(client: Client, center=None) -> str:
    url = reverse("portal:home") + (f"?center={center.pk}" if center else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form_token"]


def appeal_data(world, token: str, **overrides) -> dict:
    data = {
        "form_token": token,
        "kind": "dispute",
        "description": "楼上邻居装修噪音很大，晚上十点以后还在施工，协商无果。",
        "county": world.county.code,
        "township": world.township.code,
        "village": world.village.code,
        "address": "城关镇解放路12号",
        "name": "王女士",
        "phone": PHONE,
        "via_qr": "0",
    }
    data.update(overrides)
    return data


def submit(client: Client, world, **overrides):
    token = overrides.pop("token", None) or open_form(client, overrides.get("center_unit"))
    center = overrides.pop("center_unit", None)
    headers = {k: overrides.pop(k) for k in list(overrides) if k.startswith("HTTP_")}
    data = appeal_data(world, token, **overrides)
    if center is not None:
        data["center"] = str(center.pk)
    return client.post(reverse("portal:home"), data, **headers)

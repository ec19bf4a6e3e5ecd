from django.urls import path, re_path

from fengqiao.api.errors import not_found_view, wrap_method_not_allowed
from fengqiao.api.main import api

app_name = "api"


def _v1_patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        pattern.callback = wrap_method_not_allowed(pattern.callback)
    return patterns


urlpatterns = [
    path("v1/", (_v1_patterns(), "api-v1", "api-v1")),
    re_path(r"^.*$", not_found_view, name="not-found"),
]

import pytest

from fengqiao.cases import hooks
from fengqiao.cases.choices import Status

OUR_HANDLERS = [
    "fengqiao.followup.handlers.notify_applicant",
    "fengqiao.followup.handlers.open_visit_task",
]


@pytest.fixture(autouse=True)
def only_followup_handlers(settings):
    """Run this app's case-event handlers only, so that these tests do not depend on what
    other apps plug in."""
    settings.FENGQIAO_CASE_EVENT_HANDLERS = OUR_HANDLERS
    hooks.handlers.cache_clear()
    yield
    hooks.handlers.cache_clear()


@pytest.fixture
def closed_case(world, django_capture_on_commit_callbacks):
    """A case walked to 已结案 (or ``status``) with the after-commit handlers run."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return world.register(status=kwargs.pop("status", Status.CLOSED), **kwargs)

    return make

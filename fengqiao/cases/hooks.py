"""After-commit handlers for case events, named in settings (``FENGQIAO_CASE_EVENT_HANDLERS``).

Higher apps (notifications to citizens, routing re-grading, analytics rollups) react to what
happened to a case without the cases app importing them. Each handler receives the event
after the transaction that wrote it has committed; it should be quick (enqueue a task for
slow work) and must not raise: an error is logged and does not undo the event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from fengqiao.cases.models import CaseEvent

logger = logging.getLogger(__name__)
Handler = Callable[[CaseEvent], None]


@lru_cache(maxsize=1)
def handlers() -> tuple[Handler, ...]:
    return tuple(
        import_string(path) for path in getattr(settings, "FENGQIAO_CASE_EVENT_HANDLERS", ())
    )


def _run(event: CaseEvent) -> None:
    for handler in handlers():
        try:
            handler(event)
        except Exception:  # a handler's failure must not lose the event or block the others
            logger.exception("case event handler %r failed for event %s", handler, event.pk)


def schedule(event: CaseEvent) -> None:
    """Call the configured handlers once the current transaction commits."""
    if handlers():
        transaction.on_commit(lambda: _run(event))

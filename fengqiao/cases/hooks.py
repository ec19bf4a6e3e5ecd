"""Case-event handlers, named in settings (``FENGQIAO_CASE_EVENT_HANDLERS``).

Higher apps (notifications to citizens, deadline clocks, routing re-grading, analytics
rollups) react to what happened to a case without the cases app importing them. Each
handler receives one event after the transaction that wrote it has committed, and must not
raise: an error is logged and does not undo the event or stop the other handlers.

How events reach the handlers (``FENGQIAO_CASE_EVENT_DELIVERY``):

- ``"queue"`` (production): writing an event queues a task in the same transaction, so the
  task commits with the event and is never lost; the task worker runs the handlers. Each
  case keeps a cursor (:class:`~fengqiao.cases.models.EventCursor`): a task handles every
  event of its case after the cursor, in order, under the cursor's row lock, so several
  workers never handle one case's events twice or out of order, and a retried task does
  nothing more. A case without a cursor has had none of its events handled (the first task
  creates it at 0), so writing an event costs no cursor write. The request that wrote the
  event does not wait for the handlers.
- ``"inline"`` (tests, bulk loaders inside :func:`inline`): the handlers run in the same
  process right after commit, and move the case's cursor past the event, so that queued
  delivery later goes on after it.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

from fengqiao.cases.models import CaseEvent, EventCursor
from fengqiao.cases.tasks import handle_case_events
from fengqiao.core import queueing

logger = logging.getLogger(__name__)
Handler = Callable[[CaseEvent], None]
QUEUE, INLINE = "queue", "inline"
_delivery_override: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "fengqiao_case_event_delivery", default=None
)


@lru_cache(maxsize=1)
def handlers() -> tuple[Handler, ...]:

    return tuple(
        import_string(path) for path in getattr(settings, "FENGQIAO_CASE_EVENT_HANDLERS", ())
    )


def delivery() -> str:
    """``"queue"`` or ``"inline"``: how events reach the handlers now."""
    return str(_delivery_override.get() or getattr(settings, "FENGQIAO_CASE_EVENT_DELIVERY", QUEUE))


@contextlib.contextmanager
def inline() -> Iterator[None]:
    """Run the handlers in this process right after each commit (bulk loaders such as the
    demo, whose later steps build on what the handlers did)."""
    token = _delivery_override.set(INLINE)
    try:
        yield
    finally:
        _delivery_override.reset(token)


def _run(event: CaseEvent, *, isolated: bool = False) -> None:
    """Every handler on the event; ``isolated`` gives each its own savepoint (inside the
    worker's transaction a failed query then undoes only that handler)."""
    for handler in handlers():
        try:
            if isolated:
                with transaction.atomic():
                    handler(event)
            else:
                handler(event)
        except Exception:  # a handler's failure must not lose the event or block the others
            logger.exception("case event handler %r failed for event %s", handler, event.pk)


def schedule(event: CaseEvent) -> None:
    """Hand the event to the configured handlers once the current transaction commits."""
    if not handlers():
        return
    if delivery() == QUEUE:
        queueing.enqueue(handle_case_events, event.case_id, event.seq)
    else:
        transaction.on_commit(lambda: _deliver_inline(event))


def _deliver_inline(event: CaseEvent) -> None:
    _run(event)
    mark_handled(event.case_id, event.seq)


def mark_handled(case_id: int, seq: int) -> None:
    """Record that the case's events up to ``seq`` have been handled (by inline delivery,
    or by a loader that runs the handlers itself, as the demo does), so that queued
    delivery goes on after them."""
    EventCursor.objects.bulk_create(
        [EventCursor(case_id=case_id, seq=seq)],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["seq"],
    )


def handle_pending(case_id: int, seq: int) -> int:
    """Run the handlers on every event of the case not handled yet, in order; return how
    many events were handled. ``seq`` is the event that queued this call (every event up to
    it is handled by the time this returns, by this call or an earlier one)."""
    with transaction.atomic():
        cursor, _created = EventCursor.objects.select_for_update().get_or_create(
            case_id=case_id, defaults={"seq": 0}
        )
        events = list(CaseEvent.objects.filter(case_id=case_id, seq__gt=cursor.seq).order_by("seq"))
        for event in events:
            _run(event, isolated=True)
        if events:
            cursor.seq = events[-1].seq
            cursor.save(update_fields=["seq"])
    return len(events)


# Every case's events up to its last one count as handled (cases written around the hooks:
# the benchmark's bulk loader; migration cases 0009 did the same once for earlier data).
MARK_HANDLED_SQL = (
    "INSERT INTO cases_eventcursor (case_id, seq) "
    "SELECT e.case_id, MAX(e.seq) FROM cases_caseevent e "
    "WHERE NOT EXISTS (SELECT 1 FROM cases_eventcursor c WHERE c.case_id = e.case_id) "
    "GROUP BY e.case_id"
)


def mark_all_handled() -> int:
    """Give every case without a cursor one at its last event; return how many."""

    with connection.cursor() as cursor:
        cursor.execute(MARK_HANDLED_SQL)
        return cursor.rowcount

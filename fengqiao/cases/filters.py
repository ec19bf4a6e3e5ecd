"""The one case filter and the one paginator: the workbench's list, the API's ``GET /cases``
and the exports all narrow a user's visible cases with :class:`CaseFilter` and cut them into
pages with :func:`paginate`.

The filter takes a queryset that is already the user's scope (``visible_cases``), so that
scope stays the one thing :mod:`fengqiao.cases.selectors` decides.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fengqiao.cases.choices import AssignmentRole, AssignmentStatus
from fengqiao.cases.models import Case, CaseAssignment, Category
from fengqiao.cases.selectors import search_cases
from fengqiao.core.errors import ValidationFailed
from fengqiao.regions.models import PATH_END, Region

MAX_LIMIT = 100  # rows per page, at most
NEWEST_FIRST = ("-registered_at", "-id")  # the order the cursor follows


@dataclass
class CaseFilter:
    """What a list of cases is narrowed to; empty fields do not narrow."""

    q: str = ""
    status: str = ""
    statuses: tuple[str, ...] = ()
    category: Category | None = None
    region: Region | None = None
    risk: str = ""
    channel: str = ""
    unit_id: int | None = None  # lead or (not cancelled) co-handling unit
    overdue: bool | None = None
    date_from: dt.date | None = None  # registered on or after this day (local time)
    date_to: dt.date | None = None  # registered on or before this day


def category_by_code(code: str) -> Category:
    """The category with this code, or a ``unknown_category`` refusal."""
    category = Category.objects.filter(code=code).only("path", "code").first()
    if category is None:
        raise ValidationFailed(
            _("分类“%(code)s”不存在。") % {"code": code}, code="unknown_category", field="category"
        )
    return category


def region_by_code(code: str) -> Region:
    """The region with this code, or a ``unknown_region`` refusal."""
    region = Region.objects.filter(code=code).only("path", "code").first()
    if region is None:
        raise ValidationFailed(
            _("区划“%(code)s”不存在。") % {"code": code}, code="unknown_region", field="region"
        )
    return region


def day_start(day: dt.date, *, plus_days: int = 0) -> dt.datetime:
    """Midnight of ``day`` (+ ``plus_days``) in the current time zone."""
    # Clamped so that far-off dates (year 1, year 9999) stay representable everywhere.
    day = min(max(day, dt.date(1970, 1, 2)), dt.date(9000, 1, 1))
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time.min))


def _co_handled_by(unit_id: int) -> Exists:
    return Exists(
        CaseAssignment.objects.filter(
            case_id=OuterRef("pk"), unit_id=unit_id, role=AssignmentRole.CO
        ).exclude(status=AssignmentStatus.CANCELLED)
    )


def apply_filter(qs: QuerySet[Case], f: CaseFilter) -> QuerySet[Case]:
    """``qs`` (a user's visible cases) narrowed to what ``f`` asks for; order unchanged."""
    statuses = (*f.statuses, f.status) if f.status else f.statuses
    if statuses:
        qs = qs.filter(status__in=statuses) if len(statuses) > 1 else qs.filter(status=statuses[0])
    if f.category is not None:
        path = f.category.path
        qs = qs.filter(category__path__gte=path, category__path__lt=path + PATH_END)
    if f.region is not None:
        qs = qs.filter(region_path__gte=f.region.path, region_path__lt=f.region.path + PATH_END)
    if f.risk:
        qs = qs.filter(risk_level=f.risk)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit_id is not None:
        qs = qs.filter(Q(lead_unit_id=f.unit_id) | _co_handled_by(f.unit_id))
    if f.overdue is not None:
        qs = qs.filter(is_overdue=f.overdue)
    if f.date_from:
        qs = qs.filter(registered_at__gte=day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(registered_at__lt=day_start(f.date_to, plus_days=1))
    if f.q:
        qs = search_cases(qs, f.q)
    return qs


@dataclass(frozen=True)
class Page:
    """One page of cases: ``items``, the cursor of the next page (newest-first lists), the
    total when it was asked for, and the page number for numbered pages."""

    items: list[Case]
    next_cursor: str | None
    count: int | None
    number: int
    per_page: int
    has_next: bool

    @property
    def rows(self) -> list[Case]:
        return self.items

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end(self) -> int:
        return self.start + len(self.items) - 1 if self.items else 0


def encode_cursor(case: Case) -> str:
    raw = f"{case.registered_at.isoformat()}|{case.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at_text, pk_text = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        at = dt.datetime.fromisoformat(at_text)
        pk = int(pk_text)
        if at.tzinfo is None or not 0 < pk < 2**62:
            raise ValueError
        return at, pk
    except (ValueError, UnicodeError, binascii.Error):
        raise ValidationFailed(
            _("分页游标无效，请从第一页重新查询。"), code="invalid_cursor", field="cursor"
        ) from None


def paginate(
    qs: QuerySet[Case],
    *,
    limit: int,
    cursor: str = "",
    page: int | None = None,
    with_count: bool = False,
) -> Page:
    """One page of ``qs`` without counting it (unless ``with_count``): one row more is read
    to know whether a next page exists.

    ``cursor`` (keyset on ``(registered_at, id)``, for a newest-first ``qs``) makes each page
    one index range scan however deep; ``page`` numbers pages by offset (any order), up to
    what the caller allows."""
    limit = max(1, min(limit, MAX_LIMIT))
    count = qs.count() if with_count else None
    number = max(1, page or 1)
    if cursor:
        at, pk = decode_cursor(cursor)
        # (registered_at, id) < (at, pk), with the plain bound first so that the index on
        # registered_at starts its backward scan at the cursor instead of at the newest row.
        qs = qs.filter(registered_at__lte=at).filter(Q(registered_at__lt=at) | Q(pk__lt=pk))
        rows = list(qs[: limit + 1])
        number = 1
    else:
        offset = (number - 1) * limit
        rows = list(qs[offset : offset + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        items=rows,
        next_cursor=encode_cursor(rows[-1]) if more else None,
        count=count,
        number=number,
        per_page=limit,
        has_next=more,
    )

"""Export of a filtered case list as CSV or Excel: the rows the user may see
(:func:`fengqiao.workbench.selectors.filter_cases`, which starts from ``visible_cases``),
applicants masked (name, phone), and a log line of who exported what."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fengqiao.cases.choices import Channel, PartyRole, RiskLevel, Status
from fengqiao.cases.models import Case, Party
from fengqiao.core import crypto
from fengqiao.integrations.models import ExportLog
from fengqiao.org.models import User

MAX_ROWS = 50_000
CHUNK = 2000


def headers() -> list[str]:
    return [
        _("案件编号"), _("登记时间"), _("标题"), _("状态"), _("类别"), _("发生地"),
        _("来源渠道"), _("风险等级"), _("主办单位"), _("办理期限"), _("申请人"), _("联系电话"),
    ]  # fmt: skip


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def rows(qs: QuerySet[Case]) -> Iterator[list[str]]:
    """One masked row per case, read in chunks (no personal data leaves unmasked)."""
    applicants = Prefetch(
        "parties",
        queryset=Party.objects.filter(role=PartyRole.APPLICANT).order_by("id"),
        to_attr="applicants",
    )
    qs = qs.select_related("category", "region", "lead_unit").prefetch_related(applicants)
    for case in qs[:MAX_ROWS].iterator(chunk_size=CHUNK):
        applicant = case.applicants[0] if case.applicants else None
        yield [
            case.code,
            _local(case.registered_at),
            case.title,
            str(Status(case.status).label),
            str(case.category) if case.category_id else "",
            case.region.name,
            str(Channel(case.channel).label) if case.channel in Channel.values else case.channel,
            str(RiskLevel(case.risk_level).label) if case.risk_level in RiskLevel.values else "",
            str(case.lead_unit) if case.lead_unit_id else "",
            _local(case.deadline),
            crypto.mask_name(applicant.name) if applicant else "",
            crypto.mask_phone(applicant.phone) if applicant and applicant.phone else "",
        ]


def to_csv(data: Iterable[list[str]]) -> Iterator[str]:
    """CSV lines (with a BOM so that Excel reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(headers())
    for row in data:
        writer.writerow([f"'{v}" if v[:1] in "=+-@" else v for v in row])  # no formulas
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_xlsx(data: Iterable[list[str]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("案件"))
    ws.append(headers())
    for row in data:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def log_export(user: User, *, query: str, fmt: str, count: int) -> ExportLog:
    return ExportLog.objects.create(user=user, query=query[:500], fmt=fmt, rows=count)


class Counter:
    """Counts the rows passed through (for the log line of a streamed export)."""

    def __init__(self, data: Iterable[list[str]]) -> None:
        self.data, self.count = data, 0

    def __iter__(self) -> Iterator[list[str]]:
        for row in self.data:
            self.count += 1
            yield row

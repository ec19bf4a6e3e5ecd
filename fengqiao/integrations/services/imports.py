"""Bulk import of historical cases from Excel (.xlsx) or CSV.

1. :func:`check_file` reads the file (the template's columns, :data:`COLUMNS`), resolves and
   checks every row as registration would (:func:`fengqiao.intake.validation.check_appeal`)
   and stores the job with one row record each: valid, or invalid with its reasons. Nothing
   is registered: this is the dry run, whose report the user reads.
2. :func:`run_job` registers the valid rows in order, ``BATCH`` rows per transaction, each
   through :func:`fengqiao.intake.services.register_appeal` with the key ``row:<n>`` in the
   job's key space. A job that stopped (a crash, a restart) is run again and goes on where
   it stopped: a row already registered answers with its case, never a second one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from fengqiao.cases.choices import Channel, PartyRole, RiskLevel
from fengqiao.cases.models import Category
from fengqiao.core.errors import DomainError, ValidationFailed
from fengqiao.intake.services import register_appeal
from fengqiao.intake.types import AppealIn, Door, PartyIn
from fengqiao.intake.validation import check_appeal
from fengqiao.integrations.choices import ImportStatus, RowStatus
from fengqiao.integrations.models import ImportJob, ImportRow
from fengqiao.org.models import Membership, Unit, User
from fengqiao.regions.models import Region

BATCH = 200
MAX_ROWS = 200_000
MAX_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header of the template (also accepted: the key itself)
    required: bool = False
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("registered_at", "登记时间", True, "2025-03-18 09:30"),
    Column("title", "标题", True, "邻里因排水沟堵塞发生纠纷"),
    Column("description", "诉求内容", True, "楼上住户排水沟堵塞导致楼下渗水，多次协商未果。"),
    Column("region", "发生地区划代码", True, "420923100201"),
    Column("category", "类别编码", False, "dispute.neighbor"),
    Column("channel", "来源渠道", False, "window"),
    Column("applicant", "申请人姓名", True, "张三"),
    Column("phone", "申请人电话", False, "13800138000"),
    Column("id_number", "申请人身份证号", False, ""),
    Column("address", "地址", False, "城关镇解放路12号"),
    Column("people_count", "涉及人数", False, "2"),
    Column("risk_level", "风险等级", False, "blue"),
    Column("original_code", "原编号", False, "YM-2025-0001"),
)
HEADER_KEYS = {c.header: c.key for c in COLUMNS} | {c.key: c.key for c in COLUMNS}
FORMAT_ERROR = gettext_lazy("无法读取文件：请使用导入模板（.xlsx 或 UTF-8 编码的 .csv）。")


def template_workbook() -> bytes:
    """The import template: the headers, one example row and a sheet explaining the codes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "cases"
    ws.append([c.header for c in COLUMNS])
    ws.append([c.example for c in COLUMNS])
    notes = wb.create_sheet("说明")
    notes.append(["列", "必填", "说明"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "否", c.key])
    notes.append(["来源渠道", "", ", ".join(Channel.values)])
    notes.append(["风险等级", "", ", ".join(RiskLevel.values)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(name: str, content: bytes) -> Iterator[dict[str, str]]:
    """The file's rows as {column key: text}, by the header row's names."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("文件过大（上限60MB）。"), field="file")
    try:
        if name.lower().endswith(".xlsx"):
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            rows = ([_cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True))
        else:
            text = content.decode("utf-8-sig")
            rows = ([v.strip() for v in row] for row in csv.reader(io.StringIO(text)))
        header = next(rows, None)
    except (
        UnicodeDecodeError,
        csv.Error,
        OSError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
    ) as exc:
        raise ValidationFailed(FORMAT_ERROR, field="file") from exc
    keys = [HEADER_KEYS.get(h.strip()) for h in (header or [])]
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise ValidationFailed(
            _("缺少必填列：%(cols)s。") % {"cols": "、".join(missing)}, field="file"
        )
    for row in rows:
        if any(row):
            yield {k: v for k, v in zip(keys, row, strict=False) if k}


class RowError(Exception):
    pass


def _when(text: str) -> dt.datetime:
    value = parse_datetime(text) if len(text) > 10 else None
    if value is None and (day := parse_date(text[:10])) is not None:
        value = dt.datetime.combine(day, dt.time(9, 0))
    if value is None:
        raise RowError(_("登记时间“%(v)s”无法识别（格式：2025-03-18 09:30）。") % {"v": text})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise RowError(_("登记时间晚于现在。"))
    return value


class Resolver:
    """Codes → rows, cached for the file (one query per distinct code)."""

    def __init__(self, center: Unit) -> None:
        self.center = center
        self.regions: dict[str, Region | None] = {}
        self.categories: dict[str, Category | None] = {}

    def region(self, code: str) -> Region:
        if code not in self.regions:
            self.regions[code] = Region.objects.filter(code=code).first()
        region = self.regions[code]
        if region is None:
            raise RowError(_("区划代码“%(v)s”不存在。") % {"v": code})
        return region

    def category(self, code: str) -> Category | None:
        if not code:
            return None
        if code not in self.categories:
            self.categories[code] = Category.objects.filter(code=code).first()
        if self.categories[code] is None:
            raise RowError(_("类别编码“%(v)s”不存在。") % {"v": code})
        return self.categories[code]

    def appeal(self, data: dict[str, str]) -> AppealIn:
        people = data.get("people_count") or "1"
        if not people.isdigit():
            raise RowError(_("涉及人数应为正整数。"))
        risk = data.get("risk_level", "")
        if risk and risk not in RiskLevel.values:
            raise RowError(_("风险等级“%(v)s”无效。") % {"v": risk})
        original = data.get("original_code", "")
        return AppealIn(
            center=self.center,
            channel=data.get("channel") or Channel.WINDOW,
            title=data.get("title", ""),
            description=data.get("description", ""),
            region=self.region(data.get("region", "")),
            parties=(
                PartyIn(
                    name=data.get("applicant", ""),
                    role=PartyRole.APPLICANT,
                    phone=data.get("phone", ""),
                    id_number=data.get("id_number", ""),
                ),
            ),
            category=self.category(data.get("category", "")),
            address=data.get("address", ""),
            people_count=int(people),
            risk_floor=risk,
            note=_("历史案件导入（原编号%(code)s）") % {"code": original} if original else "",
            # Marks the registration event as a historical import, so that reactions meant
            # for new appeals (the applicant's SMS) can leave it out.
            extra={"historical_import": True, "import_original_code": original},
            registered_at=_when(data.get("registered_at", "")),
        )


def check_row(resolver: Resolver, data: dict[str, str]) -> list[str]:
    """The row's problems (empty: it can be imported)."""
    try:
        check_appeal(resolver.appeal(data))
    except RowError as exc:
        return [str(exc)]
    except DomainError as exc:
        return [str(exc.message)]
    return []


def check_file(
    *, name: str, content: bytes, center: Unit, actor: User, membership: Membership | None
) -> ImportJob:
    """The dry run: every row checked and stored with its report; nothing registered."""
    resolver = Resolver(center)
    with transaction.atomic():
        job = ImportJob.objects.create(
            center=center,
            created_by=actor,
            membership_id=membership.pk if membership else None,
            filename=name[:200],
        )
        batch: list[ImportRow] = []
        total = valid = 0
        for number, data in enumerate(read_rows(name, content), start=2):
            total += 1
            if total > MAX_ROWS:
                raise ValidationFailed(_("单个文件最多20万行。"), field="file")
            errors = check_row(resolver, data)
            valid += not errors
            batch.append(
                ImportRow(
                    job=job,
                    number=number,
                    data=data,
                    errors=errors,
                    status=RowStatus.INVALID if errors else RowStatus.VALID,
                )
            )
            if len(batch) >= 1000:
                ImportRow.objects.bulk_create(batch)
                batch = []
        ImportRow.objects.bulk_create(batch)
        if total == 0:
            raise ValidationFailed(_("文件中没有数据行。"), field="file")
        job.total, job.valid = total, valid
        job.status = ImportStatus.CHECKED if valid == total else ImportStatus.FAILED
        job.save(update_fields=["total", "valid", "status"])
    return job


def start_job(job: ImportJob) -> ImportJob:
    """Mark a checked job as running (its valid rows are imported; invalid ones skipped)."""
    if job.status not in (ImportStatus.CHECKED, ImportStatus.FAILED, ImportStatus.RUNNING):
        raise ValidationFailed(_("该批次已导入完成。"), field="job")
    if job.valid == 0:
        raise ValidationFailed(_("没有可导入的行。"), field="job")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    job.status = ImportStatus.RUNNING
    return job


def _import_row(job: ImportJob, row: ImportRow, resolver: Resolver) -> None:
    try:
        registration = register_appeal(
            appeal=resolver.appeal(row.data),
            door=Door.IMPORT,
            actor=job.created_by,
            key=f"row:{row.number}",
            principal=f"import:{job.pk}",
        )
    except (RowError, DomainError) as exc:
        row.status = RowStatus.FAILED
        row.errors = [str(getattr(exc, "message", exc))]
    else:
        row.status, row.case_code = RowStatus.IMPORTED, registration.case.code
    row.save(update_fields=["status", "errors", "case_code"])


def run_batch(job: ImportJob, resolver: Resolver | None = None) -> int:
    """Import the next ``BATCH`` valid rows; how many were handled (0: nothing left)."""
    resolver = resolver or Resolver(job.center)
    rows = list(job.rows.filter(status=RowStatus.VALID).order_by("number")[:BATCH])
    for row in rows:
        _import_row(job, row, resolver)
    counts = dict.fromkeys((RowStatus.IMPORTED, RowStatus.FAILED), 0)
    for status in counts:
        counts[status] = job.rows.filter(status=status).count()
    ImportJob.objects.filter(pk=job.pk).update(
        imported=counts[RowStatus.IMPORTED], failed=counts[RowStatus.FAILED]
    )
    return len(rows)


def run_job(job_id: int) -> dict:
    """Import every valid row left, batch by batch; the job is done when none is left."""
    job = ImportJob.objects.select_related("center", "created_by").get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return {"imported": job.imported, "failed": job.failed}
    resolver = Resolver(job.center)
    while run_batch(job, resolver):
        pass
    job.refresh_from_db()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished_at=timezone.now())
    return {"imported": job.imported, "failed": job.failed}

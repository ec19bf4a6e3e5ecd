"""Excel import and export of base data, from a template with one sheet per kind.

:func:`import_workbook` reads every row, checks it as the services would (grid code in the
importer's scope, required fields, ID numbers by their check digit, duplicates in the file
and in the system) and reports each problem by sheet, row and column. A dry run writes
nothing. A real run writes every valid row, each in its own savepoint, and reports the
others: nothing already valid is lost for a bad row beside it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from fengqiao.core.errors import DomainError, ValidationFailed
from fengqiao.grid import selectors as sel
from fengqiao.grid.choices import HouseUse, IdType, OrgKind, PlaceKind, ResidentKind
from fengqiao.grid.models import Resident
from fengqiao.grid.services import basedata
from fengqiao.org.models import User
from fengqiao.regions.models import PATH_END, Grid, Region

MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    header: Any  # lazy Chinese header, as in the template
    name: str  # the service's keyword
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    title: Any
    columns: tuple[Column, ...]
    check: Callable[..., dict[str, Any]]
    add: Callable[..., Any]
    hint: Any = ""


GRID = Column(_lazy("网格编码"), "grid", True, "420923100001001")
SHEETS = (
    Sheet(
        "residents",
        _lazy("实有人口"),
        (
            GRID,
            Column(_lazy("姓名"), "name", True, "张三"),
            Column(_lazy("人口类型"), "kind", True, str(ResidentKind.REGISTERED.label)),
            Column(_lazy("证件类型"), "id_type", False, str(IdType.RESIDENT_ID.label)),
            Column(_lazy("证件号码"), "id_number", False, "420923199001011234"),
            Column(_lazy("联系电话"), "phone", False, "13800138000"),
            Column(_lazy("户号"), "household_no", False, "H0001"),
            Column(_lazy("与户主关系"), "relation", False, "户主"),
            Column(_lazy("现住址"), "address", False, "城关镇朝阳社区1栋101"),
        ),
        basedata.check_resident,
        basedata.add_resident,
        _lazy("人口类型：户籍人口、流动人口、境外人员；户籍人口须填身份证号码。"),
    ),
    Sheet(
        "houses",
        _lazy("实有房屋"),
        (
            GRID,
            Column(_lazy("地址"), "address", True, "城关镇朝阳社区1栋101"),
            Column(_lazy("用途"), "use", False, str(HouseUse.SELF.label)),
            Column(_lazy("产权人"), "owner_name", False, "张三"),
            Column(_lazy("备注"), "note", False, ""),
        ),
        basedata.check_house,
        basedata.add_house,
    ),
    Sheet(
        "organizations",
        _lazy("组织"),
        (
            GRID,
            Column(_lazy("名称"), "name", True, "云梦县某某商贸有限公司"),
            Column(_lazy("类型"), "kind", True, str(OrgKind.NON_PUBLIC.label)),
            Column(_lazy("统一社会信用代码"), "credit_code", False, ""),
            Column(_lazy("负责人"), "contact", False, ""),
            Column(_lazy("联系电话"), "phone", False, ""),
            Column(_lazy("地址"), "address", False, ""),
            Column(_lazy("从业人数"), "employees", False, "12"),
        ),
        basedata.check_organization,
        basedata.add_organization,
    ),
    Sheet(
        "places",
        _lazy("重点场所"),
        (
            GRID,
            Column(_lazy("名称"), "name", True, "云梦县某某小学"),
            Column(_lazy("类型"), "kind", True, str(PlaceKind.SCHOOL.label)),
            Column(_lazy("地址"), "address", False, ""),
            Column(_lazy("负责人"), "contact", False, ""),
            Column(_lazy("纬度"), "latitude", False, ""),
            Column(_lazy("经度"), "longitude", False, ""),
        ),
        basedata.check_place,
        basedata.add_place,
    ),
)
TEMPLATE_LANGUAGE = "zh-hans"
NOTE_PREFIX = "说明："


def _sheet_by_title() -> dict[str, Sheet]:
    with translation.override(TEMPLATE_LANGUAGE):
        return {str(s.title): s for s in SHEETS}


def _template_headers(sheet: Sheet) -> dict[str, str]:
    with translation.override(TEMPLATE_LANGUAGE):
        return {str(c.header): c.name for c in sheet.columns}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    valid: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    by_sheet: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def template() -> bytes:
    """The import template: one sheet per kind, headers, an example row, a note. Always in
    Chinese (the form the grid offices fill in), whatever the user's language."""
    with translation.override(TEMPLATE_LANGUAGE):
        return _template()


def _template() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(str(sheet.title))
        ws.append([str(c.header) + ("*" if c.required else "") for c in sheet.columns])
        ws.append([c.example for c in sheet.columns])
        for i, _c in enumerate(sheet.columns):
            ws.column_dimensions[chr(ord("A") + i)].width = 20
        if sheet.hint:
            ws.cell(row=4, column=1, value=NOTE_PREFIX + str(sheet.hint))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(ws: Any, sheet: Sheet) -> Iterator[tuple[int, dict[str, str]]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    names = _template_headers(sheet)
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        key = _cell(h).rstrip("*")
        if key in names:
            index[names[key]] = i
    missing = [str(c.header) for c in sheet.columns if c.required and c.name not in index]
    if missing:
        raise ValidationFailed(
            _("工作表“%(sheet)s”缺少列：%(cols)s（请使用导入模板）。")
            % {"sheet": sheet.title, "cols": "、".join(missing)},
            field="file",
        )
    for number, values in enumerate(rows, start=2):
        if values is None or all(_cell(v) == "" for v in values):
            continue
        if _cell(values[0]).startswith(NOTE_PREFIX):
            continue
        yield number, {n: _cell(values[i]) if i < len(values) else "" for n, i in index.items()}


def _header(sheet: Sheet, name: str) -> str:
    return next((str(c.header) for c in sheet.columns if c.name == name), name)


class _Grids:
    """Grid codes of the importer's scope, looked up once each."""

    def __init__(self, actor: User, region: Region | None) -> None:
        self.qs = sel.visible_grids(actor) if actor is not None else Grid.objects.all()
        if region is not None:
            self.qs = self.qs.filter(
                region_path__gte=region.path, region_path__lt=region.path + PATH_END
            )
        self.cache: dict[str, Grid | None] = {}

    def get(self, code: str) -> Grid | None:
        if code not in self.cache:
            self.cache[code] = self.qs.filter(code=code[:16]).select_related("region").first()
        return self.cache[code]


def import_workbook(
    *, actor: User, data: bytes, dry_run: bool = True, region: Region | None = None
) -> ImportReport:
    """Check (and unless ``dry_run`` write) every row of every known sheet."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("文件不能超过10MB。"), field="file")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationFailed(
            _("文件不是有效的Excel（.xlsx）文件，请使用导入模板。"), field="file"
        ) from exc
    by_title = _sheet_by_title()
    sheets = [(by_title[ws.title], ws) for ws in wb.worksheets if ws.title in by_title]
    if not sheets:
        raise ValidationFailed(
            _("文件中没有可识别的工作表（实有人口、实有房屋、组织、重点场所）。"), field="file"
        )
    report = ImportReport(dry_run=dry_run)
    grids = _Grids(actor, region)
    for sheet, ws in sheets:
        seen: dict[str, int] = {}
        created = 0
        for number, row in _rows(ws, sheet):
            report.rows += 1
            if report.rows > MAX_ROWS:
                raise ValidationFailed(
                    _("一次最多导入%(n)d行，请分批导入。") % {"n": MAX_ROWS}, field="file"
                )
            error = _check_row(sheet, row, grids, seen, number, actor)
            if error is not None:
                report.errors.append(RowError(str(sheet.title), number, *error))
                continue
            report.valid += 1
            if dry_run:
                continue
            grid = grids.get(row["grid"])
            fields = {k: v for k, v in row.items() if k != "grid"}
            try:
                with transaction.atomic():
                    sheet.add(actor=actor, grid=grid, **fields)
                created += 1
            except DomainError as exc:
                column = _header(sheet, exc.details.get("field", ""))
                report.errors.append(RowError(str(sheet.title), number, column, str(exc.message)))
                report.valid -= 1
        report.created += created
        report.by_sheet[str(sheet.title)] = created
    return report


def _check_row(
    sheet: Sheet, row: dict[str, str], grids: _Grids, seen: dict[str, int], number: int, actor: User
) -> tuple[str, str] | None:
    """(column, message) of the row's first problem, or None."""
    for column in sheet.columns:
        if column.required and not row.get(column.name):
            return str(column.header), str(_("必填项为空。"))
    grid = grids.get(row["grid"])
    if grid is None:
        return _header(sheet, "grid"), str(
            _("网格“%(code)s”不存在或不在您的管辖范围内。") % {"code": row["grid"][:20]}
        )
    if not basedata.may_edit(actor, grid):
        return _header(sheet, "grid"), str(_("您没有维护该网格基础数据的权限。"))
    fields = {k: v for k, v in row.items() if k != "grid"}
    try:
        data = sheet.check(**fields)
    except DomainError as exc:
        return _header(sheet, exc.details.get("field", "")), str(exc.message)
    key = _row_key(sheet, grid, data)
    if key:
        if key in seen:
            return _header(sheet, _key_field(sheet)), str(
                _("与第%(row)d行重复。") % {"row": seen[key]}
            )
        seen[key] = number
    if sheet.key == "residents" and data["id_number"]:
        existing = basedata.duplicate_of(data["id_type"], data["id_number"])
        if existing is not None:
            return _header(sheet, "id_number"), str(basedata._duplicate_error(existing).message)
    return None


def _key_field(sheet: Sheet) -> str:
    return {"residents": "id_number", "houses": "address"}.get(sheet.key, "name")


def _row_key(sheet: Sheet, grid: Grid, data: dict[str, Any]) -> str:
    if sheet.key == "residents":
        return basedata.resident_hash(data["id_type"], data["id_number"])
    return f"{grid.pk}:{data[_key_field(sheet)]}"


def export_residents(*, actor: User, region: Region, limit: int = 100_000) -> bytes:
    """The residents of ``region`` the actor may see, masked, as a workbook (streamed rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("实有人口")))
    ws.append(
        [
            str(_("网格编码")),
            str(_("网格")),
            str(_("姓名")),
            str(_("人口类型")),
            str(_("证件号码")),
            str(_("联系电话")),
            str(_("户号")),
            str(_("与户主关系")),
            str(_("现住址")),
        ]
    )
    qs = (
        Resident.objects.filter(sel.scope_q(actor))
        .filter(region_path__gte=region.path, region_path__lt=region.path + PATH_END)
        .select_related("grid__region")
        .order_by("region_path", "id")
    )
    kinds = dict(ResidentKind.choices)
    for r in qs.iterator(chunk_size=2000):
        if limit <= 0:
            break
        limit -= 1
        ws.append(
            [
                r.grid.code,
                f"{r.grid.region.name}{r.grid.name}",
                r.name,
                str(kinds.get(r.kind, r.kind)),
                r.id_number_mask,
                r.phone_mask,
                r.household_no,
                r.relation,
                r.address,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

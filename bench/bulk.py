"""Bulk writing of model rows: COPY on PostgreSQL, executemany on SQLite.

Rows are dicts keyed by field attname; fields left out take their model default, so the
generator keeps working when apps add columns with defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection, models
from django.db.models import NOT_PROVIDED


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _default(field: models.Field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    if field.default is NOT_PROVIDED and isinstance(field, models.JSONField):
        return {}
    raise KeyError(f"{field.model.__name__}.{field.attname} needs a value")


def _prepare(field: models.Field, value):
    if isinstance(field, models.JSONField):
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


_MISSING = object()


def _prepared_default(field: models.Field):
    try:
        return _prepare(field, _default(field))
    except KeyError:
        return _MISSING


class Writer:
    """Buffer rows for one model and flush them in large batches."""

    def __init__(self, model: type[models.Model], batch: int = 20000) -> None:
        self.model = model
        self.fields = _columns(model)
        self.batch = batch
        self.rows: list[tuple] = []
        self.written = 0
        self._plan: list[tuple[str, bool, object]] | None = None

    def add(self, row: dict) -> None:
        if self._plan is None:
            # Let the database number rows whose id the generator does not give; work out
            # each column's default once (the generator writes millions of rows).
            self.fields = [
                f
                for f in self.fields
                if not (f.primary_key and isinstance(f, models.AutoField) and f.attname not in row)
            ]
            self._plan = [
                (f.attname, isinstance(f, models.JSONField), _prepared_default(f))
                for f in self.fields
            ]
        values = []
        for attname, is_json, default in self._plan:
            if attname in row:
                v = row[attname]
                if is_json and v is not None:
                    v = json.dumps(v, ensure_ascii=False)
                values.append(v)
            elif default is _MISSING:
                raise KeyError(f"{self.model.__name__}.{attname} needs a value")
            else:
                values.append(default)
        self.rows.append(tuple(values))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        cols = [f.column for f in self.fields]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                quoted = ", ".join(f'"{c}"' for c in cols)
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for r in self.rows:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(cols))
                quoted = ", ".join(f'"{c}"' for c in cols)
                cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', self.rows)
        self.written += len(self.rows)
        self.rows.clear()


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After writing explicit ids, move PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)

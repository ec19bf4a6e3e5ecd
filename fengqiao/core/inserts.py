"""Inserting new rows on hot write paths without the ORM's per-call query building.

``insert(obj)`` writes a new model instance with the INSERT statement the ORM itself builds
for that model, compiled once per model and database and reused: the values go through each
field's own ``pre_save`` and ``get_db_prep_save`` (auto_now stamps, JSON, dates), exactly as
``save()`` would adapt them. What it leaves out is what a hot path does not need: model
signals and ``save()`` overrides (use it only for models that have neither, or whose
override only guards updates), and the query building each ``save()`` repeats.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model
from django.db.models.sql import InsertQuery

_statements: dict[tuple[str, str], tuple[str, list, bool]] = {}


def _statement(model: type[Model], alias: str) -> tuple[str, list, bool]:
    """The model's INSERT (the columns it writes, whether it returns the id), built once."""
    key = (model._meta.label, alias)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        returning = bool(meta.pk.db_returning)  # an id the database gives
        fields = [
            f
            for f in meta.local_concrete_fields
            if not (f.primary_key and returning) and not getattr(f, "generated", False)
        ]
        query = InsertQuery(model)
        query.insert_values(fields, [model()])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [meta.pk] if returning else None
        ((sql, _params),) = compiler.as_sql()
        found = (sql, fields, returning)
        _statements[key] = found
    return found


def insert(obj: Model) -> Model:
    """INSERT one new instance; an id the database gives is set on it (an instance must not
    bring such an id of its own)."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    sql, fields, returning = _statement(model, alias)
    if returning and obj.pk is not None:
        raise ValueError(f"{model._meta.label}: insert() writes new rows; this one has an id")
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:  # both databases here return columns from INSERT
            obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = alias
    return obj


def insert_all(objs: Sequence[Model]) -> None:
    """``insert`` each (a case has one or a few parties: no batch is worth building)."""
    for obj in objs:
        insert(obj)

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

_statements: dict[tuple[str, str, bool], tuple[str, list]] = {}


def _statement(model: type[Model], alias: str, returning: bool) -> tuple[str, list]:
    key = (model._meta.label, alias, returning)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if not (f.primary_key and f.db_returning)]
        fields = [f for f in fields if not getattr(f, "generated", False)]
        query = InsertQuery(model)
        query.insert_values(fields, [model()])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [meta.pk] if returning else None
        ((sql, _params),) = compiler.as_sql()
        found = (sql, fields)
        _statements[key] = found
    return found


def insert(obj: Model) -> Model:
    """INSERT one new instance; its primary key (database-generated) is set on it."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    returning = obj.pk is None
    sql, fields = _statement(model, alias, returning)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            obj.pk = (
                cursor.fetchone()[0]
                if connection.features.can_return_columns_from_insert
                else connection.ops.last_insert_id(
                    cursor, model._meta.db_table, model._meta.pk.column
                )
            )
    obj._state.adding = False
    obj._state.db = alias
    return obj


def insert_all(objs: Sequence[Model]) -> None:
    for obj in objs:
        insert(obj)

"""Inserting new rows on hot write paths without the ORM's per-call query building.

``insert(obj)`` writes a new model instance with the INSERT statement the ORM itself builds
for that model, compiled once per model and database and reused: the values go through each
field's own ``pre_save`` and ``get_db_prep_save`` (auto_now stamps, JSON, dates), exactly as
``save()`` would adapt them. What it leaves out is what a hot path does not need: model
signals and ``save()`` overrides (use it only for models that have neither, or whose
override only guards updates), and the query building each ``save()`` repeats.

``insert_later(obj)`` inside ``with transaction.atomic(), batch():`` queues the row instead;
the queued rows are written together when the block ends, or before any other statement the
connection runs in it, whichever comes first: on PostgreSQL (client-side binding, Django's
default) as one round trip of several statements, elsewhere one statement after another on
one cursor. Ids the database gives are set on the instances then (``reserve(obj)`` takes a
row's id beforehand, so that the rows pointing at it can be queued first). Outside a batch,
``insert_later`` is ``insert``. A registration writes every row after its case's own this
way: parties, first event, queued task, routing record, idempotency key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connections, models, router
from django.db.models import Model
from django.db.models.sql import InsertQuery

_statements: dict[tuple[str, str, bool], tuple[str, list, bool]] = {}

# Field classes whose save-time adaptation leaves a value of these types as it is: such a
# value goes to the driver untouched (the adaptation of a row's fields was a tenth of a
# registration's time in the web worker). Exact classes only: a subclass may adapt more.
_PLAIN: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.BooleanField: (bool,),
    models.FloatField: (float,),
}
_ID_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _plain_types(field: models.Field) -> tuple[type, ...]:
    """The value types ``field`` passes through unchanged on save (none: always adapt)."""
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return (int,) if type(target) in _ID_FIELDS else _PLAIN.get(type(target), ())
    return _PLAIN.get(type(field), ())


RESERVED = "_inserts_reserved_id"  # set on an instance whose id reserve() took


def _statement(model: type[Model], alias: str, *, with_id: bool = False) -> tuple[str, list, bool]:
    """The model's INSERT (the columns it writes, whether it returns the id), built once;
    ``with_id``: the id is written too (one ``reserve`` took)."""
    key = (model._meta.label, alias, with_id)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        returning = bool(meta.pk.db_returning) and not with_id  # an id the database gives
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
        found = (sql, [(f, _plain_types(f)) for f in fields], returning)
        _statements[key] = found
    return found


def _prepared(obj: Model, alias: str | None = None) -> tuple[str, str, list, bool]:
    """(database alias, INSERT, its values, whether it returns the id) for a new instance."""
    model = type(obj)
    alias = alias or router.db_for_write(model, instance=obj)
    connection = connections[alias]
    reserved = obj.pk is not None and obj.__dict__.get(RESERVED) == obj.pk
    sql, fields, returning = _statement(model, alias, with_id=reserved)
    if returning and obj.pk is not None:
        raise ValueError(f"{model._meta.label}: insert() writes new rows; this one has an id")
    params = []
    for field, plain in fields:
        if plain:
            value = getattr(obj, field.attname)
            if value is None or type(value) in plain:
                params.append(value)
                continue
        params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    return alias, sql, params, returning


def _written(obj: Model, alias: str) -> Model:
    obj._state.adding = False
    obj._state.db = alias
    obj.__dict__.pop(RESERVED, None)
    return obj


_sequences: dict[tuple[str, str], str] = {}


def reserve(obj: Model) -> bool:
    """Give a new instance its id before it is written, from the sequence its table draws ids
    from (PostgreSQL), so that the rows pointing at it can be built first; False, and no id,
    where the database gives ids only on insert (SQLite). The row is then written with that
    id by ``insert`` or ``insert_later``."""
    model = type(obj)
    if obj.pk is not None or not model._meta.pk.db_returning:
        raise ValueError(f"{model._meta.label}: reserve() is for new rows the database numbers")
    alias = router.db_for_write(model, instance=obj)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    key = (model._meta.label, alias)
    with connection.cursor() as cursor:
        sequence = _sequences.get(key)
        if sequence is None:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
            )
            sequence = _sequences[key] = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass)", [sequence])
        obj.pk = cursor.fetchone()[0]
    obj.__dict__[RESERVED] = obj.pk
    return True


def insert(obj: Model) -> Model:
    """INSERT one new instance; an id the database gives is set on it (an instance must not
    bring such an id of its own). Rows queued by ``insert_later`` go first."""
    alias, sql, params, returning = _prepared(obj)
    with connections[alias].cursor() as cursor:  # a batch's queued rows are written first
        cursor.execute(sql, params)
        if returning:  # both databases here return columns from INSERT
            obj.pk = cursor.fetchone()[0]
    return _written(obj, alias)


class _Batch:
    """Rows queued on one connection, written by ``flush``."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.rows: list[tuple[Model, str, list, bool]] = []

    def guard(self, execute, sql, params, many, context):  # a connection execute wrapper
        if self.rows:
            self.flush()
        return execute(sql, params, many, context)

    def flush(self, then: tuple[str, list] | None = None) -> tuple | None:
        """Write the queued rows; ``then``, a statement run right after them (in the same
        round trip where they go as one), whose first row is returned."""
        rows, self.rows = self.rows, []
        statements = [(sql, params) for _obj, sql, params, _returning in rows]
        if then is not None:
            statements.append(then)
        if not statements:
            return None
        connection = connections[self.alias]
        one_trip = (
            connection.vendor == "postgresql"
            and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
            and len(statements) > 1
        )
        with connection.cursor() as cursor:
            if one_trip:  # the statements go as one query; each answers in turn
                cursor.execute(
                    ";\n".join(sql for sql, _p in statements),
                    [p for _s, ps in statements for p in ps],
                )
            for i, (obj, sql, params, returning) in enumerate(rows):
                if one_trip:
                    if i:
                        cursor.nextset()
                else:
                    cursor.execute(sql, params)
                if returning:
                    obj.pk = cursor.fetchone()[0]
            answer = None
            if then is not None:
                if not one_trip:
                    cursor.execute(*then)
                elif rows:
                    cursor.nextset()
                answer = cursor.fetchone()
        for obj, *_rest in rows:
            _written(obj, self.alias)
        return answer


BATCH_ATTR = "_fengqiao_insert_batch"  # the open batch, kept on the (per-thread) connection


@contextlib.contextmanager
def batch(using: str = "default") -> Iterator[None]:
    """Write the rows ``insert_later`` queues in this block together (see the module's
    docstring). Use it directly inside ``transaction.atomic()``: a block left by an
    exception drops its queued rows, as the transaction that would have held them rolls
    back. Nested blocks join the outermost one."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("inserts.batch() belongs inside transaction.atomic()")
    if getattr(connection, BATCH_ATTR, None) is not None:
        yield  # the outer block writes the rows
        return
    current = _Batch(using)
    setattr(connection, BATCH_ATTR, current)
    try:
        with connection.execute_wrapper(current.guard):
            yield
            current.flush()
    finally:
        current.rows = []
        setattr(connection, BATCH_ATTR, None)


def insert_later(obj: Model) -> Model:
    """Queue a new row in the current ``batch()`` (``insert`` it at once outside one). An id
    the database gives is set on the instance when the row is written."""
    alias = router.db_for_write(type(obj), instance=obj)
    current = getattr(connections[alias], BATCH_ATTR, None)
    if current is None:
        return insert(obj)
    current.rows.append((obj, *_prepared(obj, alias)[1:]))
    return obj


def fetchone(sql: str, params: list, using: str = "default") -> tuple | None:
    """Run one statement and return its first row; inside a ``batch()``, the rows queued so
    far go first, in the same round trip on PostgreSQL."""
    current = getattr(connections[using], BATCH_ATTR, None)
    if current is not None:
        return current.flush(then=(sql, params))
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()

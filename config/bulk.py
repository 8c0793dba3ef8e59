"""Set-based inserts without model instances, for writers that add thousands of rows at once (the daily
onboarding sweep: events, notifications). Project infrastructure, not a domain rule: apps call it from
their services.

On PostgreSQL one ``INSERT … SELECT FROM unnest(…)`` with each column passed as one array literal (a
single string the server parses at once: much cheaper than thousands of VALUES tuples or an ARRAY[…]
of parameters); elsewhere (SQLite) a few multi-row INSERTs."""

import datetime
import json

from django.db import connection


def insert_rows(model, columns, rows, *, ignore_conflicts=False):
    """INSERT ``rows`` (tuples in ``columns`` order; attribute names) into ``model``'s table; with
    ``ignore_conflicts`` a row that breaks a unique constraint is skipped. Returns how many were inserted.
    Runs in the caller's transaction; no signals, no save()."""
    rows = list(rows)
    if not rows:
        return 0
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _insert_unnest(cursor, head, tail, fields, rows)
        dated = [i for i, f in enumerate(fields) if f.get_internal_type() in ("DateTimeField", "DateField")]
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, (connection.features.max_query_params or 30_000) // len(fields))
        inserted = 0
        for start in range(0, len(rows), per_statement):
            chunk = [list(row) for row in rows[start : start + per_statement]]
            for row in chunk:
                for i in dated:
                    row[i] = fields[i].get_db_prep_save(row[i], connection)
            cursor.execute(f"{head}VALUES {', '.join([one] * len(chunk))}{tail}", [v for row in chunk for v in row])
            inserted += max(cursor.rowcount, 0)
        return inserted


def upsert_rows(model, columns, rows, *, conflict, update, where_newer=None):
    """INSERT ``rows`` (tuples in ``columns`` order); a row whose ``conflict`` columns (a unique constraint)
    match a stored row updates that row's ``update`` columns instead — with ``where_newer`` (a column, or a tuple
    of columns compared in order) only when its value is greater than the stored one (a lower or equal revision
    changes nothing). Returns the
    ``conflict`` values (tuples) of the rows inserted or updated. Rows must not repeat a key; concurrent writers
    of the same keys must be serialised or send their rows in one order (row locks). Runs in the caller's
    transaction."""
    rows = list(rows)
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in columns]
    keys = [model._meta.get_field(name) for name in conflict]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "
    assignments = ", ".join(
        f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in map(model._meta.get_field, update)
    )
    tail = f" ON CONFLICT ({', '.join(quote(f.column) for f in keys)}) DO UPDATE SET {assignments}"
    if where_newer:
        ranked = [quote(model._meta.get_field(name).column) for name in _names(where_newer)]
        stored, sent = (", ".join(f"{side}.{c}" for c in ranked) for side in (table, "EXCLUDED"))
        tail += f" WHERE ({stored}) < ({sent})"
    tail += f" RETURNING {', '.join(quote(f.column) for f in keys)}"
    written = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            jsons = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
            if jsons:
                rows = [
                    [json.dumps(v, cls=fields[i].encoder) if i in jsons else v for i, v in enumerate(row)]
                    for row in rows
                ]
            sql, params = _unnest_source(fields, rows)
            cursor.execute(f"{head}{sql}{tail}", params)
            written = cursor.fetchall()
        else:
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            per_statement = max(1, (connection.features.max_query_params or 30_000) // len(fields))
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                params = [f.get_db_prep_save(v, connection) for row in chunk for f, v in zip(fields, row, strict=True)]
                cursor.execute(f"{head}VALUES {', '.join([one] * len(chunk))}{tail}", params)
                written += cursor.fetchall()
    return [tuple(f.to_python(v) for f, v in zip(keys, row, strict=True)) for row in written]


def _names(columns):
    return (columns,) if isinstance(columns, str) else tuple(columns)


def _insert_unnest(cursor, head, tail, fields, rows):
    sql, params = _unnest_source(fields, rows)
    cursor.execute(f"{head}{sql}{tail}", params)
    return max(cursor.rowcount, 0)


def _unnest_source(fields, rows):
    """PostgreSQL: ``SELECT … FROM unnest(…)`` of ``rows`` and its parameters; a column with one value for every
    row (the time, the actor) is passed once."""
    select, scalars, arrays, array_params = [], [], [], []
    for n, (field, column) in enumerate(zip(fields, zip(*rows, strict=True), strict=True)):
        db_type = field.db_type(connection)
        if all(value == column[0] for value in column):
            select.append(f"%s::{db_type}")
            scalars.append(column[0])
        else:
            select.append(f"v.c{n}")
            arrays.append((f"%s::{db_type}[]", f"c{n}"))
            array_params.append(array_literal(column))
    if not arrays:  # every row alike: unnest still makes one row each
        arrays.append(("%s::integer[]", "n"))
        array_params.append(array_literal(range(len(rows))))
    sql = (
        f"SELECT {', '.join(select)} FROM unnest({', '.join(a for a, _ in arrays)}) "
        f"AS v({', '.join(name for _, name in arrays)})"
    )
    return sql, scalars + array_params  # in the statement's order: the SELECT list, then unnest


def array_literal(values):
    """A PostgreSQL array literal ('{"a","b",NULL}') of strings, numbers, booleans, dates or datetimes
    (one kind per array)."""
    values = list(values)
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, str):
        text = (None if v is None else v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
        body = ",".join("NULL" if v is None else f'"{v}"' for v in text)
    elif isinstance(sample, bool):
        body = ",".join("NULL" if v is None else ("t" if v else "f") for v in values)
    elif isinstance(sample, (datetime.date, datetime.datetime)):
        body = ",".join("NULL" if v is None else f'"{v.isoformat()}"' for v in values)
    else:  # numbers, or every value NULL
        body = ",".join("NULL" if v is None else str(v) for v in values)
    return "{" + body + "}"

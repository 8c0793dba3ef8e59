"""Set-based inserts without model instances, for writers that add thousands of rows at once (the daily
onboarding sweep: events, notifications). Project infrastructure, not a domain rule: apps call it from
their services.

On PostgreSQL one ``INSERT … SELECT FROM unnest(…)`` with each column passed as one array literal (a
single string the server parses at once: much cheaper than thousands of VALUES tuples or an ARRAY[…]
of parameters); elsewhere (SQLite) a few multi-row INSERTs."""

import datetime

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


def _insert_unnest(cursor, head, tail, fields, rows):
    """PostgreSQL: a column with one value for every row (the time, the actor) is passed once."""
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
        f"{head}SELECT {', '.join(select)} FROM unnest({', '.join(a for a, _ in arrays)}) "
        f"AS v({', '.join(name for _, name in arrays)}){tail}"
    )
    cursor.execute(sql, scalars + array_params)  # in the statement's order: the SELECT list, then unnest
    return max(cursor.rowcount, 0)


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

"""Worlds built once per test process and put back in a fraction of a second.

A snapshot is a plain copy of every Django table, kept as extra tables in the test database itself
(``CREATE TABLE … AS SELECT``), so saving and restoring are a few set-based statements on SQLite and
PostgreSQL alike, with every row, primary key and timestamp as it was. ``flush`` (after a transactional
test) only empties the models' tables, so the copies outlive it; they go with the test database.

- ``save_base()`` copies the freshly migrated database (data-migration rows included), once per session.
- ``demo_output()`` runs the real ``seed_demo`` once per test process on that base, copies the result and
  puts back what it found; it returns what the command printed.
- ``restore(DEMO)`` empties every table and fills it from the copy, then resets the id sequences.
- ``shared_by_module(...)`` wraps a module-scoped fixture: what it writes is seen by the module's tests,
  each in its own savepoint (what one test changes the next never sees), and rolled back after the last.
"""

import contextlib
from io import StringIO

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

BASE, DEMO, FOUND = "base", "demo", "found"
_saved = set()
_demo_output = None


def _tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _copy_of(snapshot, index):
    # By position, not by name: PostgreSQL cuts names at 63 characters.
    return connection.ops.quote_name(f"zz_snapshot_{snapshot}_{index}")


def save(snapshot):
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for index, table in enumerate(_tables()):
            cursor.execute(f"DROP TABLE IF EXISTS {_copy_of(snapshot, index)}")
            cursor.execute(f"CREATE TABLE {_copy_of(snapshot, index)} AS SELECT * FROM {qn(table)}")
    _saved.add(snapshot)


def drop(snapshot):
    with connection.cursor() as cursor:
        for index, _table in enumerate(_tables()):
            cursor.execute(f"DROP TABLE IF EXISTS {_copy_of(snapshot, index)}")
    _saved.discard(snapshot)


def restore(snapshot):
    qn = connection.ops.quote_name
    tables = _tables()
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check the rows written so far in this transaction now: TRUNCATE refuses pending FK checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
        for index, table in enumerate(tables):
            cursor.execute(f"INSERT INTO {qn(table)} SELECT * FROM {_copy_of(snapshot, index)}")
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # ids come back as they were in the copy


def save_base():
    save(BASE)


def demo_output():
    """Build the demo snapshot on first use (outside any transaction) and return seed_demo's output."""
    global _demo_output
    if _demo_output is None:
        if BASE not in _saved or connection.in_atomic_block:
            raise RuntimeError("the demo is built outside any transaction, after save_base() in django_db_setup")
        out = StringIO()
        with transaction.atomic():
            save(FOUND)
            restore(BASE)
            # As inside a test's transaction: callbacks waiting for a commit (e-mail kicks) never run.
            waiting = len(connection.run_on_commit)
            call_command("seed_demo", stdout=out)
            del connection.run_on_commit[waiting:]
            save(DEMO)
            restore(FOUND)
            drop(FOUND)
        _demo_output = out.getvalue()
    return _demo_output


@contextlib.contextmanager
def shared_by_module(django_db_blocker):
    """Only for modules whose every database test uses the fixture: the others would see its rows too."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        ContentType.objects.clear_cache()

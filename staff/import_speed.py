"""The fast path of a big import (issue 10 §3: 100,000 employees within a minute): a fixed number of queries
per file instead of about nine per row, with the same answers as the row-by-row import.

``BulkImportMixin`` goes first in a resource's bases (``class EmployeeResource(BulkImportMixin,
StaffResource)``) and changes only how rows are read and written, through import-export's own hooks:

- the records the file names by key, and every row a lookup column names (teams, positions, mentors), are
  read up front, one query per column and up to ``CHUNK`` keys; ``get_instance`` and the lookup widgets
  answer from those dictionaries (a widget's ``get_queryset`` is its documented hook);
- a key is unique in memory: it is matched against every existing record and every earlier row of the file
  (``StaffResource.import_instance``), so ``validate_unique`` needs no query per row (the key is the only
  unique column a staff import writes);
- a foreign key holding a row read in the import's transaction needs no query to exist (``checked_in_memory``);
- a ``Meta.constraints`` condition simple enough (``field = value``, ``field = F(other)``, negated, and/or) is
  decided in memory, others by the database (``check_constraint``);
- rows are written with ``bulk_create``/``bulk_update`` and their history rows with simple-history's
  ``bulk_history_create`` (the user and the reason set by ``before_save_instance`` are kept), without a
  savepoint per row. All or nothing still holds: the whole import is one transaction.

A row may name, as its mentor, someone created by an earlier row of the same file, as it may row by row.
"""

import copy
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import ForeignKeyWidget

from .cells import normalise

# Keys per query when reading the records a file names: well under every backend's parameter limit.
CHUNK = 10_000
# Rows per INSERT or UPDATE statement.
WRITE_BATCH = 2_000


def fetch_by(queryset, field, keys):
    """``{key: record}`` of the records of ``queryset`` whose ``field`` is one of ``keys``."""
    keys = sorted(keys)
    size = min(CHUNK, connections[queryset.db].features.max_query_params or CHUNK)
    found = {}
    for start in range(0, len(keys), size):
        chunk = queryset.filter(**{f"{field}__in": keys[start : start + size]})
        found.update((getattr(record, field), record) for record in chunk)
    return found


class Prefetched:
    """Stands in for a lookup widget's queryset: ``get(code=…)`` answered from the rows read up front. Anything
    else, and a key not read up front (a bad cell, or one the widget spells otherwise), goes to the database."""

    def __init__(self, queryset, field, records):
        self.queryset, self.field, self.records = queryset, field, records

    def get(self, **lookup):
        (name, key), *others = lookup.items()
        if not others and name in (self.field, f"{self.field}__exact") and key in self.records:
            return self.records[key]
        return self.queryset.get(**lookup)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


class PrefetchedInstanceLoader(BaseInstanceLoader):
    """The existing records of the file's keys, read in one query per ``CHUNK`` keys."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.key_field = resource.fields[resource.get_import_id_fields()[0]]
        keys = set()
        if dataset is not None and self.key_field.column_name in (dataset.headers or []):
            for cell in dataset[self.key_field.column_name]:
                try:
                    keys.add(self.key_field.clean({self.key_field.column_name: cell}))
                except ValueError:  # reported on its row
                    continue
        queryset = resource.get_queryset()
        self.records = fetch_by(queryset.select_related(None), self.key_field.attribute, keys - {"", None})
        for record in self.records.values():
            record.__deepcopy__ = partial(_original, record)
        self._attach_related(queryset.query.select_related)
        resource.prefetched_records = self.records

    def _attach_related(self, names):
        """Fill in the related rows the resource's queryset selects: each read once, one query per relation,
        and shared by every record that refers to it (a join would make a copy of a team for every member)."""
        records = list(self.records.values())
        for name in names if isinstance(names, dict) else ():
            field = self.resource._meta.model._meta.get_field(name)
            ids = {getattr(record, field.attname) for record in records} - {None}
            related = fetch_by(field.related_model._base_manager.all(), field.target_field.attname, ids)
            share(related.values())
            for record in records:
                field.set_cached_value(record, related.get(getattr(record, field.attname)))

    def get_instance(self, row):
        return self.records.get(self.key_field.clean(row))


class Unsupported(Exception):
    """A condition ``holds`` cannot decide in memory."""


def holds(condition, instance):
    """Whether ``instance`` meets ``condition`` (a Q): True, False, or None for SQL's unknown (a comparison with
    NULL), which a CHECK constraint lets pass. ``Unsupported`` for lookups other than exact on the model's own
    columns."""
    results = [
        holds(child, instance) if isinstance(child, Q) else _exact(child, instance) for child in condition.children
    ]
    if condition.connector == Q.AND:
        met = False if False in results else (None if None in results else True)
    else:
        met = True if True in results else (None if None in results else False)
    return met if met is None or not condition.negated else not met


def _exact(child, instance):
    lookup, expected = child
    name = lookup.removesuffix("__exact")
    if isinstance(expected, F):
        expected = _value(instance, expected.name)
    elif hasattr(expected, "resolve_expression"):
        raise Unsupported(expected)
    actual = _value(instance, name)
    return None if actual is None or expected is None else actual == expected


def _value(instance, name):
    if name == "pk":
        return instance.pk
    if "__" in name:
        raise Unsupported(name)
    return getattr(instance, instance._meta.get_field(name).attname)


def _fields(condition):
    """The names of the fields ``condition`` reads."""
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields(child)
        else:
            names.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.add(child[1].name.split("__")[0])
    return names


class BulkImportMixin:
    """Put first in a ``StaffResource``'s bases: the same import in a fixed number of queries."""

    def __init__(self, **kwargs):
        self._import_fields = None
        super().__init__(**kwargs)
        # The options are the class's; this resource's copy writes in bulk, at the end (no batch mid-file: a
        # row may name as its mentor a person created by any earlier row), with no savepoint per row.
        self._meta = copy.copy(self._meta)
        self._meta.use_bulk = True
        self._meta.batch_size = None
        self._meta.instance_loader_class = PrefetchedInstanceLoader
        self.prefetched_records = {}
        self._lookups, self._saved = [], []
        # Each lookup widget's own queryset, before ``before_import`` answers it from memory.
        self._lookup_querysets = {
            field.column_name: field.widget.get_queryset
            for field in self.get_import_fields()
            if isinstance(field.widget, ForeignKeyWidget)
        }

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.__deepcopy__ = partial(_original, instance)
        return instance

    def get_import_fields(self):
        # Asked several times a row; the fields do not change during an import.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._lookups, self._saved = [], []
        for field in self.get_import_fields():
            widget = field.widget
            if field.column_name not in self._lookup_querysets or field.column_name not in (dataset.headers or []):
                continue
            keys = {normalise(cell) for cell in dataset[field.column_name]} - {""}
            queryset = self._lookup_querysets[field.column_name](None, None)
            records = fetch_by(queryset, widget.field, keys)
            share(records.values())
            self._lookups.append((widget, records))
            prefetched = Prefetched(queryset, widget.field, records)
            widget.get_queryset = lambda value, row, *args, _prefetched=prefetched, **kwargs: _prefetched

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The key was matched against every existing record and every earlier row of the file.
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    def checked_in_memory(self, instance):
        """The foreign keys that need no query to validate: each holds a row read in this import's transaction
        (up front, or with the record) or a new row of this file. A row deleted meanwhile fails the write."""
        return [
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation and field.get_cached_value(instance, None) is not None
        ]

    def check_constraint(self, constraint, instance, exclude, using):
        """Decide a simple CHECK condition in memory, as the database would; anything else by a query."""
        condition = getattr(constraint, "condition", None)
        try:
            met = None if condition is None else holds(condition, instance)
        except Unsupported:
            condition = None
        if condition is None:
            super().check_constraint(constraint, instance, exclude, using)
        elif met is False and not _fields(condition) & set(exclude):
            raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        # Later rows find this one, as they would find it saved in the row-by-row import.
        key = getattr(instance, self.fields[self.get_import_id_fields()[0]].attribute)
        self.prefetched_records[key] = instance
        for widget, records in self._lookups:
            if widget.model is type(instance):
                records[getattr(instance, widget.field)] = instance

    def after_save_instance(self, instance, row, **kwargs):
        # Told once the rows are written (``after_import``), when a new record has its primary key.
        self._saved.append((instance, row, dict(kwargs)))

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances or not (using_transactions or not dry_run):
            return
        model = self._meta.model
        try:
            # A mentor created by an earlier row has no key yet: linked once both are written.
            unsaved = []
            for instance in self.create_instances:
                for field in (f for f in model._meta.concrete_fields if f.is_relation):
                    related = field.get_cached_value(instance, None)
                    if related is not None and related.pk is None:
                        unsaved.append((instance, field.name, related))
                        setattr(instance, field.name, None)
            model.objects.bulk_create(self.create_instances, batch_size=WRITE_BATCH)
            for instance, name, related in unsaved:
                setattr(instance, name, related)
            if unsaved:
                names = sorted({name for _, name, _ in unsaved})
                model.objects.bulk_update([instance for instance, _, _ in unsaved], names, batch_size=WRITE_BATCH)
            write_history(model, self.create_instances)
        except Exception as e:  # as import-export's own bulk_create: reported, and the import rolled back
            self.handle_import_error(result, e, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        model = self._meta.model
        try:
            model.objects.bulk_update(self.update_instances, self.get_bulk_update_fields(), batch_size=WRITE_BATCH)
            write_history(model, self.update_instances, update=True)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        finally:
            self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        for instance, row, row_kwargs in self._saved:
            super().after_save_instance(instance, row, **row_kwargs)
        self._saved = []
        super().after_import(dataset, result, **kwargs)


def write_history(model, instances, update=False):
    """One django-simple-history row per instance, if ``model`` keeps a history, with the user and the reason
    ``before_save_instance`` gave each instance (simple-history writes none itself for bulk writes)."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is not None:
        getattr(model, manager).bulk_history_create(instances, update=update, batch_size=WRITE_BATCH)


def share(records):
    """Let import-export's deep copy of each row's record (its "original", to skip an unchanged row) refer to
    these related rows instead of copying them: read up front, they are referred to and never changed."""
    for record in records:
        record.__deepcopy__ = partial(_same, record)


def _same(record, memo):
    return record


def _original(record, memo):
    """What import-export keeps of a row's record before the row changes it (to skip an unchanged row, and for the
    diff): Django's copy of the instance, its own state and cache of related rows; the values of the staff models
    are immutable (texts, numbers, dates) and the related rows are shared (``share``)."""
    original = copy.copy(record)
    del original.__deepcopy__
    return original

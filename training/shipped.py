"""The one loader for data the product ships: the KASH framework, the onboarding program, next the playbooks.

A shipped data set is a JSON file beside its module plus an apply function that takes the model classes
as arguments, so a data migration passes historical models from apps.get_model() and a management command
passes the real ones. Applying creates what is missing and restores the shipped texts; settings HR may
tune are written only when a row is created. A row is saved only when something differs, so applying
again writes nothing (and adds no history rows).
"""

import json
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _


class Counts(NamedTuple):
    created: int
    updated: int
    unchanged: int


def read_json(path):
    """The file's data; numbers with a decimal point become Decimals (weights, hours)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def pick(item, fields):
    return {field: item[field] for field in fields}


class Loader:
    """Upserts rows and counts what it did with each."""

    def __init__(self):
        self.created = self.updated = self.unchanged = 0

    def upsert(self, model, lookup, texts=None, create_only=None):
        """The row matching ``lookup``: created with ``texts`` and ``create_only``, or with its ``texts``
        brought up to date. Some lookups are not unique in the database (HR may add a module at the same
        order), so the oldest matching row wins. Returns (row, created)."""
        texts = texts or {}
        obj = model.objects.filter(**lookup).order_by("pk").first()
        if obj is None:
            self.created += 1
            return model.objects.create(**lookup, **(create_only or {}), **texts), True
        changed = [field for field, value in texts.items() if getattr(obj, field) != value]
        for field in changed:
            setattr(obj, field, texts[field])
        if changed:
            obj.save(update_fields=changed)
            self.updated += 1
        else:
            self.unchanged += 1
        return obj, False

    @property
    def counts(self):
        return Counts(self.created, self.updated, self.unchanged)


def describe(counts):
    """What a load command prints."""
    if counts.created or counts.updated:
        return _("Created %(created)d rows, updated %(updated)d.") % counts._asdict()
    return _("Already up to date: nothing changed.")

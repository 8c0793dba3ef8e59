"""What an import reports: every problem (row, column, reason) and every change to an existing record."""

import hashlib
from typing import NamedTuple

from import_export.results import Result


class Problem(NamedTuple):
    """One reason a file cannot be imported. ``row`` counts the header as row 1, as Excel does;
    ``row`` is None for a problem with the whole file, ``column`` None for one with the whole row."""

    row: int | None
    column: str | None
    message: str


class Change(NamedTuple):
    """One cell of a row that updates an existing record: its value before and after, as the clerk reads them."""

    attribute: str
    column: str
    old: str
    new: str
    is_identity: bool


class RowChanges(NamedTuple):
    row: int
    key: str
    changes: list[Change]

    @property
    def changes_identity(self):
        return any(change.is_identity for change in self.changes)


class ImportResult(Result):
    """import-export's result, plus every problem found, in file order, and every change to an existing record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []
        self.changes = []

    @property
    def identity_changes(self):
        """The rows that change who someone is: the clerk confirms exactly these (``identity_digest``)."""
        return [row for row in self.changes if row.changes_identity]

    @property
    def identity_digest(self):
        changes = [
            (row.key, c.attribute, c.old, c.new) for row in self.identity_changes for c in row.changes if c.is_identity
        ]
        return hashlib.sha256(repr(changes).encode()).hexdigest() if changes else ""

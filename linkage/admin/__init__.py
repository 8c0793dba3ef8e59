"""The HR admin of role linkage, one module per area."""

from . import abilities, authority, cases, drills, playbooks, qa, roles  # noqa: F401  (registers the ModelAdmins)

"""The HR admin of role linkage, one module per area."""

from . import abilities, drills, playbooks, roles  # noqa: F401  (registers the ModelAdmins)

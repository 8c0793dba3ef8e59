"""Reads shared by the linkage pages, API, notifications and tasks, one module per area."""

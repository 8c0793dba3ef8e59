"""Linkage pages, one module per area."""

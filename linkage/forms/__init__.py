"""Linkage forms, one module per area."""

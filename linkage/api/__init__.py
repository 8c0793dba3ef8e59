"""Linkage API (config.api registers the viewsets), one module per area."""

"""Signals of improvement for the apps above it (the incentives issue listens for ``suggestion_implemented``)."""

from django.dispatch import Signal

# Sent once when a suggestion reaches "implemented": sender=Suggestion, suggestion=..., actor=user.
suggestion_implemented = Signal()

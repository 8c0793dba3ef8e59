"""HR's back office for the training app; importing the modules registers their models."""

from . import kash, onboarding  # noqa: F401

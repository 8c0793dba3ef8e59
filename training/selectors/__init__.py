"""Reads of the training app shared by pages, API and tasks: selectors.kash and selectors.onboarding."""

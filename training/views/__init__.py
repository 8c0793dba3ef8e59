"""Pages of the training app: views.kash and views.onboarding."""

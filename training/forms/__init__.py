"""Forms of the training app: forms.kash and forms.onboarding."""

"""Admin: followup."""

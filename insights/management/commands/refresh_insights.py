"""Rewrite the insight aggregates now: the weeks touched since the last run, or everything with --full (after a
hire date was corrected, say)."""

from django.core.management.base import BaseCommand

from insights.services.aggregates import refresh_playbooks, refresh_proficiency, refresh_ramp


class Command(BaseCommand):
    help = (
        "Refresh the insight aggregates (the nightly job): the KPI ramp, time to proficiency and the playbooks' "
        "effects; --full rebuilds all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Rebuild every week, not only the touched ones.")

    def handle(self, *args, full=False, **options):
        start = refresh_ramp(full=full)
        refresh_proficiency(full=full)
        refresh_playbooks()
        if start is False:
            self.stdout.write("Nothing new since the last refresh.")
        elif start is None:
            self.stdout.write("Rebuilt every week.")
        else:
            self.stdout.write(f"Rewrote the weeks from {start:%Y-%m-%d}.")

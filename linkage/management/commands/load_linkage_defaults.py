from django.apps import apps
from django.core.management.base import BaseCommand

from linkage.defaults import apply_defaults
from training.shipped import describe


class Command(BaseCommand):
    help = (
        "Load the default linkage roles, signal glossary and the two default playbooks. Safe to run again: "
        "restores the shipped names, maps each role to the positions that now exist, and adds what is missing; "
        "a playbook that exists keeps its versions as they are."
    )

    def handle(self, *args, **options):
        self.stdout.write(describe(apply_defaults(apps)))

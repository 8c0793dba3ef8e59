import unicodedata
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from staff.demo import DEMO_PASSWORD, ROLE_HR, ROLE_MENTOR, ROLE_SUPERVISOR, ROLE_TRAINEE, seed_demo

# A context keeps these short words apart from other catalogs' (Celery beat translates "Name" as 任务名). The
# context is written out in every call: makemessages extracts only literal arguments.
ROLE_LABELS = {
    ROLE_HR: pgettext_lazy("demo logins", "HR"),
    ROLE_SUPERVISOR: pgettext_lazy("demo logins", "Supervisor"),
    ROLE_MENTOR: pgettext_lazy("demo logins", "Mentor"),
    ROLE_TRAINEE: pgettext_lazy("demo logins", "Trainee"),
}


def _width(text):
    """Columns a string takes in a terminal: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(rows):
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def demo_extras():
    """The optional demo step of every installed app: ``seed_demo_extra(*, today, stdout)`` in the app's
    ``demo`` module, in INSTALLED_APPS order. Found by discovery because staff sits at the bottom of the
    import graph (STYLE §1) and must not import the apps that build on it."""
    for app_config in apps.get_app_configs():
        # module_has_submodule tells a missing module from a broken one: an error inside demo.py still raises.
        if not module_has_submodule(app_config.module, "demo"):
            continue
        step = getattr(import_module(f"{app_config.name}.demo"), "seed_demo_extra", None)
        if callable(step):
            yield step


class Command(BaseCommand):
    help = (
        "Create the demo contact center of a small bank (sites, teams, positions, about 120 people). "
        "Safe to run again: it only adds or corrects what is missing or different."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        # One transaction: the other apps' demo data refers to the staff demo and stands or falls with it.
        with transaction.atomic():
            result = seed_demo(today=today)
            self._report(result)
            for step in demo_extras():
                step(today=today, stdout=self.stdout)
        self._logins(result)

    def _report(self, result):
        self.stdout.write(
            _(
                "Demo contact center: %(sites)d sites, %(departments)d departments, %(teams)d teams, "
                "%(positions)d positions, %(employees)d people (%(new_hires)d new hires)."
            )
            % result.counts
        )
        created, updated = sum(result.created.values()), sum(result.updated.values())
        if created or updated:
            self.stdout.write(
                _("Created %(created)d rows, updated %(updated)d.") % {"created": created, "updated": updated}
            )
        else:
            self.stdout.write(_("Already up to date: nothing changed."))

    def _logins(self, result):
        rows = [
            [
                pgettext("demo logins", "Role"),
                pgettext("demo logins", "Username"),
                pgettext("demo logins", "Password"),
                pgettext("demo logins", "Name"),
                pgettext("demo logins", "Team"),
            ]
        ]
        for role, employee in result.logins:
            team = employee.team.name if employee.team else "-"
            rows.append([str(ROLE_LABELS[role]), employee.user.username, DEMO_PASSWORD, employee.name, team])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo logins")))
        self.stdout.write(_table(rows))

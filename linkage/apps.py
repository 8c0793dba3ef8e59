from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_defaults(sender, apps=None, using="default", **kwargs):
    """After ``flush`` (which empties every table and then sends post_migrate) the shipped roles, signals and
    playbooks come back, as migration 0002 first wrote them; never in a database that has any linkage role."""
    if apps is None:  # flush sends no app registry: the running one
        from django.apps import apps
    if "linkage" not in {config.label for config in apps.get_app_configs()}:
        return
    if apps.get_model("linkage", "LinkageRole").objects.using(using).exists():
        return
    from .defaults import apply_defaults

    apply_defaults(apps)


def restore_ability_defaults(sender, apps=None, using="default", **kwargs):
    """After ``flush`` the shipped mapping of the four abilities and the roles' targets come back, as migration
    0004 first wrote them; never in a database that has any ability source (HR's mapping stays hers)."""
    if apps is None:
        from django.apps import apps
    if "linkage" not in {config.label for config in apps.get_app_configs()}:
        return
    try:
        sources = apps.get_model("linkage", "AbilitySource")
    except LookupError:  # migrated back before 0003
        return
    if sources.objects.using(using).exists():
        return
    from .ability_defaults import apply_ability_defaults

    apply_ability_defaults(apps)


def restore_case_defaults(sender, apps=None, using="default", **kwargs):
    """After ``flush`` the shipped case categories and escalation levels come back, as migration 0007 first wrote
    them; never in a database that has any case category (HR's set-up stays hers)."""
    if apps is None:
        from django.apps import apps
    if "linkage" not in {config.label for config in apps.get_app_configs()}:
        return
    try:
        categories = apps.get_model("linkage", "CaseCategory")
    except LookupError:  # migrated back before 0006
        return
    if categories.objects.using(using).exists():
        return
    from importlib import import_module

    import_module("linkage.migrations.0007_case_defaults").apply_case_defaults(apps)


def restore_authority_defaults(sender, apps=None, using="default", **kwargs):
    """After ``flush`` the shipped authority grades, scenarios and limits come back, as migration 0008 first wrote
    them; never in a database that has any grade (HR's matrix stays hers)."""
    if apps is None:
        from django.apps import apps
    if "linkage" not in {config.label for config in apps.get_app_configs()}:
        return
    try:
        grades = apps.get_model("linkage", "Grade")
    except LookupError:  # migrated back before 0006
        return
    if grades.objects.using(using).exists():
        return
    from .authority_defaults import apply_authority_defaults

    apply_authority_defaults(apps)


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = _("Role linkage")

    def ready(self):
        post_migrate.connect(restore_defaults, sender=self)
        post_migrate.connect(restore_ability_defaults, sender=self)  # after the roles it sets targets for
        post_migrate.connect(restore_case_defaults, sender=self)  # after the roles its levels name
        post_migrate.connect(restore_authority_defaults, sender=self)
        # staff never imports linkage (imports go one way): linkage adds its item to the supervisor's "Today".
        from staff import today

        from . import today as linkage_today

        today.register_source(linkage_today.supervisor_items)
        today.register_source(linkage_today.weak_link_items)
        today.register_source(linkage_today.case_items)
        today.register_source(linkage_today.approval_items)
        # QA staff (issue 13 §4): a role found in the one roles query of each request (the navigation shows them
        # the QA queue without a query of its own).
        from staff.permissions import register_role

        from . import permissions

        register_role(permissions.QA_STAFF, permissions.qa_staff_expression)

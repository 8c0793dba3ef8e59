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


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = _("Role linkage")

    def ready(self):
        post_migrate.connect(restore_defaults, sender=self)
        post_migrate.connect(restore_ability_defaults, sender=self)  # after the roles it sets targets for
        # staff never imports linkage (imports go one way): linkage adds its item to the supervisor's "Today".
        from staff import today

        from . import today as linkage_today

        today.register_source(linkage_today.supervisor_items)
        today.register_source(linkage_today.weak_link_items)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        # staff never imports training (imports go one way): training hooks into staff's people changes
        # and adds its panel to staff's employee page.
        from staff.panels import register_employee_panel
        from staff.services import register_change_listener

        from . import notify
        from .views.onboarding import employee_panel

        register_change_listener(notify.people_changed)
        register_employee_panel(employee_panel)

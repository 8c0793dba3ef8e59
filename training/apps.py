from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        # staff never imports training (imports go one way): training hooks into staff's people changes,
        # adds its panels to staff's pages, its items to the supervisor's "Today", the batch supervisor's role
        # and the trainee's landing.
        from staff import panels, today
        from staff.permissions import register_landing, register_role
        from staff.services import register_change_listener

        from . import notify, permissions
        from . import today as training_today
        from .views import onboarding as views

        register_change_listener(notify.people_changed)
        panels.register_employee_panel(views.employee_panel)
        panels.register_mentee_details(views.mentee_details)
        panels.register_hr_overview_panel(views.hr_overview_panel)
        today.register_source(training_today.supervisor_items)
        register_role(permissions.SUPERVISES_BATCH, permissions.supervises_batch_expression, supervises=True)
        register_landing(views.onboarding_landing)

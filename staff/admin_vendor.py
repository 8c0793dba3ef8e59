"""The third-party apps' admin pages in the reader's language.

locale_vendor/ translates what these apps mark for translation; this module covers what they build
without gettext, where no catalogue can reach: a column named after a property ("Scheduler"), an
English description of a crontab, an f-string message. Each admin is replaced by a subclass only
where the app registered one, so an app that turns its admin off stays off.
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from cron_descriptor import FormatException, MissingFieldException, Options, WrongArgumentException, get_description
from django.contrib import admin
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule


def _replace(model, admin_class):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, admin_class)


def crontab_in_words(crontab):
    """The crontab in words ("At 07:30" / "在 07:30") and its time zone; django-celery-beat's are English only."""
    options = Options()
    options.use_24hour_time_format = True
    if (translation.get_language() or "").startswith("zh"):
        options.locale_code = "zh_CN"
    fields = [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    try:
        words = get_description(" ".join(fields), options)
    except (MissingFieldException, FormatException, WrongArgumentException):
        return crontab.human_readable
    return f"{words} {crontab.timezone}"


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, attempt):
        left = axes_settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}
        return _("Locked out")

    @admin.display(description=_("Expires at"))
    def expiration(self, attempt):
        return super().expiration(attempt)

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired login attempt.", "Cleaned up %(count)d expired login attempts.", count
            )
            % {"count": count},
        )


class TaskNameFilter(admin.AllValuesFieldListFilter):
    """The filter by task, titled in the reader's language (the model names the field in plain English)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("Task name")


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    """The periodic tasks on a schedule's page, with the task's column named in the reader's language."""

    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=_("Task name"))
    def task_name(self, task):
        return task.task


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_filter = [
        ("task", TaskNameFilter) if name == "task" else name for name in beat_admin.PeriodicTaskAdmin.list_filter
    ]

    @admin.display(description=_("Schedule"))
    def scheduler(self, task):
        return task.scheduler

    @admin.display(description=_("Schedule in words"))
    def crontab_translation(self, task):
        return crontab_in_words(task.crontab) if task.crontab_id else ""


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("__str__", "in_words")
    fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("in_words",)

    @admin.display(description=_("Schedule in words"))
    def in_words(self, crontab):
        return crontab_in_words(crontab)


def translate_third_party_admins():
    """Swap in the subclasses above (staff/admin.py calls this; the apps' own admins are registered by then)."""
    _replace(AccessAttempt, AccessAttemptAdmin)
    _replace(PeriodicTask, PeriodicTaskAdmin)
    _replace(CrontabSchedule, CrontabScheduleAdmin)
    for model, schedule_admin in (
        (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
        (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
        (SolarSchedule, beat_admin.SolarScheduleAdmin),
    ):
        _replace(model, type(schedule_admin.__name__, (schedule_admin,), {"inlines": [PeriodicTaskInline]}))

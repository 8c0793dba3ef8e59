"""The inbox and e-mail outbox, for HR to check what was sent and delivered. Read-only: notifications
are written by the apps' services and delivered by the e-mail sweep."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at", "emailed_at", "email_attempts"]
    list_filter = [
        "kind",
        ("read_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "kind", "title", "key"]
    date_hierarchy = "created_at"

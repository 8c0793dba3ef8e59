from .models import Notification


def inbox(user, *, limit=50):
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

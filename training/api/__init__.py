"""The training API: api.kash and api.onboarding, registered in config.api's router."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from staff.api import headers
from training import idempotency

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    type=str,
    required=False,
    description=_(
        "Any unique string (e.g. a UUID) per intended create, at most 100 characters. A retry with the same "
        "key by the same user returns the row already created instead of creating another."
    ),
)


def idempotency_key(request):
    """The request's Idempotency-Key header, or "" (then the create is not deduplicated)."""
    return headers.idempotency_key(request, max_length=idempotency.MAX_LENGTH)

"""Request headers every app's API reads the same way (project convention, not a domain rule)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError


def idempotency_key_parameter(description):
    """The OpenAPI description of the optional Idempotency-Key header of a create."""
    return OpenApiParameter(
        name="Idempotency-Key", location=OpenApiParameter.HEADER, type=str, required=False, description=description
    )


def idempotency_key(request, *, max_length):
    """The request's Idempotency-Key header, or "" (then a create is not deduplicated); a longer one is refused with
    a 400 naming the header, never cut."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > max_length:
        raise ValidationError({"Idempotency-Key": [_("At most %(count)s characters.") % {"count": max_length}]})
    return key

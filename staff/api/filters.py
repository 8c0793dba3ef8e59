"""The API's filter vocabulary (settings.REST_FRAMEWORK): what a list may be ordered and filtered by.

Ordering and filtering answer only what a view declares. A view that declares no ``ordering_fields``
cannot be ordered at all, so a field a reader may not see (a private note) can never steer the order
of a list. An ordering field that is not declared is ignored: the list keeps its default order.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as drf_filters

MAX_ID = 2**63 - 1


class OrderingFilter(drf_filters.OrderingFilter):
    """DRF's ordering, limited to the view's ``ordering_fields`` (none by default, never ``"__all__"``)."""

    def get_valid_fields(self, queryset, view, context=None):
        declared = getattr(view, "ordering_fields", None)
        if declared == "__all__":
            raise ImproperlyConfigured(f"{view.__class__.__name__}: name the ordering fields, never '__all__'.")
        if not declared:
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def get_schema_operation_parameters(self, view):
        declared = getattr(view, "ordering_fields", None)
        if not declared:
            return []
        names = ", ".join(declared)
        parameter = super().get_schema_operation_parameters(view)[0]
        parameter["description"] = str(
            _(
                "Order by %(names)s; prefix a name with - for descending, separate several with commas. "
                "Other names are ignored."
            )
            % {"names": names}
        )
        return [parameter]


class SearchFilter(drf_filters.SearchFilter):
    """DRF's search; the schema offers ``search`` only on the lists that name ``search_fields``."""

    def get_schema_operation_parameters(self, view):
        return super().get_schema_operation_parameters(view) if getattr(view, "search_fields", None) else []


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An object's id. An id that names nothing the caller may see finds nothing (an empty list), the same
    answer whether the object exists or not, so a filter never tells what exists outside the caller's scope."""

    def filter(self, qs, value):
        if value is not None and (value != int(value) or not 1 <= value <= MAX_ID):
            return qs.none()  # no row has it; databases refuse numbers past 64 bits
        return super().filter(qs, value)

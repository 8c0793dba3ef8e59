"""Shared pieces of the insights API's schema: a rate as numerator, denominator and value, and the answer of a
figures endpoint being one object."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.DecimalField(
        max_digits=9, decimal_places=4, allow_null=True, help_text=_("Null when the denominator is 0: no data.")
    )


class OneObject(AutoSchema):
    """A figures endpoint answers one object, although the router calls its action "list"."""

    def _is_list_view(self, serializer=None):
        return False

"""The one DRF exception handler (config.api.exception_handler): services' Django errors become API answers."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView


def answer_to(error):
    class Raising(APIView):
        authentication_classes = []
        permission_classes = [AllowAny]

        def post(self, request):
            raise error

    return Raising.as_view()(APIRequestFactory().post("/", {}, format="json"))


def test_a_validation_error_with_fields_answers_400_per_field():
    response = answer_to(ValidationError({"score": ["Too high."], "taken_on": ["In the future."]}))
    assert response.status_code == 400
    assert response.data == {"score": ["Too high."], "taken_on": ["In the future."]}


def test_a_validation_error_without_fields_answers_400_with_its_messages():
    response = answer_to(ValidationError(["The gate is not met.", "Two activities are open."]))
    assert response.status_code == 400
    assert response.data == ["The gate is not met.", "Two activities are open."]


def test_permission_denied_answers_403_with_the_reason():
    response = answer_to(PermissionDenied("Only the trainee acknowledges a session."))
    assert response.status_code == 403
    assert response.data == {"detail": "Only the trainee acknowledges a session."}


def test_permission_denied_without_a_reason_answers_403_with_the_default_message():
    response = answer_to(PermissionDenied())
    assert response.status_code == 403
    assert response.data["detail"] == "You do not have permission to perform this action."

"""An unknown address answers 404 in the reader's kind: JSON under /api/ (an integrator's client parses it), the
site's page elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/linkage/playbooks/batch.code/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_answers_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")

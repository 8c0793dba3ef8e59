"""Content-Security-Policy and Permissions-Policy on every response (pages, admin, API, API docs), no inline
script left in a template for the policy to break, and nothing a signed-in person or the API sees is cacheable
(config.middleware, settings.CONTENT_SECURITY_POLICY)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

ROOT = Path(__file__).resolve().parents[1]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_policies(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    # Inline handlers: only django-import-export's one, by the hash of its exact text.
    assert policy["script-src-attr"][0] == "'unsafe-hashes'" and len(policy["script-src-attr"]) == 2
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def assert_not_stored(response):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, response.get("Cache-Control")


@pytest.fixture
def hr_client(client, world):
    client.force_login(world.hr)
    return client


@pytest.mark.parametrize("name", ["home", "staff:my-profile", "notifications:inbox", "admin:index", "api-docs"])
def test_signed_in_pages_carry_the_policies_and_are_not_stored(client, world, name):
    client.force_login(world.supervisor.user if name != "admin:index" else world.hr)

    response = client.get(reverse(name), follow=True)

    assert response.status_code == 200
    assert_policies(response)
    assert_not_stored(response)


def test_the_api_docs_script_is_a_file_of_its_own_not_inline(hr_client):
    page = hr_client.get(reverse("api-docs"))
    script = hr_client.get(reverse("api-docs") + "?script")

    html = page.content.decode()
    assert re.findall(r"<script>|<style>", html) == []
    assert 'src="/api/docs/?script="' in html
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_api_answers_with_the_policies_and_no_store_signed_in_by_token_or_not(client, world):
    url = reverse("employee-list")
    token = Token.objects.create(user=world.hr)

    anonymous = client.get(url)
    by_token = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert anonymous.status_code == 401
    assert by_token.status_code == 200
    for response in (anonymous, by_token):
        assert_policies(response)
        assert_not_stored(response)


def test_the_schema_is_not_stored(hr_client):
    response = hr_client.get(reverse("api-schema"))

    assert response.status_code == 200
    assert_not_stored(response)


def test_the_login_page_carries_the_policies(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert_policies(response)


def test_an_anonymous_page_that_shows_nothing_personal_is_left_cacheable(client, db):
    # The favicon redirect: no session, nothing personal; the middleware does not add no-store.
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert "no-store" not in response.get("Cache-Control", "")
    assert_policies(response)


def test_static_files_are_served_without_no_store_even_when_signed_in(client, world, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(world.supervisor.user)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# No template may depend on what the policy forbids -------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def test_no_template_has_an_inline_script_handler_javascript_url_or_style_element():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL, STYLE_ELEMENT):
            found += [f"{path.relative_to(ROOT)}: {match.group(0)!r}" for match in pattern.finditer(text)]
    assert found == []

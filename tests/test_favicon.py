"""The site has an icon: pages name it, and /favicon.ico (what a browser asks for by itself) answers."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from tests.staff.factories import make_hr_user

ICONS = ("favicon.ico", "favicon.svg")


def test_the_icons_are_static_files():
    ico = finders.find("favicon.ico")
    svg = finders.find("favicon.svg")
    with open(ico, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    with open(svg, encoding="utf-8") as f:
        assert f.read().startswith("<svg")


def test_favicon_ico_answers_everyone_with_the_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")


def test_a_browser_following_the_redirect_gets_the_icon(db, settings):
    # WhiteNoise serves the static files; it reads them from the apps' folders here, as under `make demo`.
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True

    response = Client().get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def icon_links(html):
    return re.findall(r'<link rel="icon" href="([^"]+)"', html)


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_pages_name_their_icons(client, db, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert icon_links(html) == [static(name) for name in ICONS]


def test_admin_pages_name_their_icons(client, db):
    client.force_login(make_hr_user(username="hr"))
    html = client.get(reverse("admin:index")).content.decode()

    assert icon_links(html) == [static(name) for name in ICONS]

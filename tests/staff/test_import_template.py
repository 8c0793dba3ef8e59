"""The admin's import page offers a template file: the headers the import reads and one example row."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staff.imports import import_file
from staff.models import Department, Employee, Position, Site, Team
from staff.permissions import HR_GROUP
from tests.staff.factories import DepartmentFactory, PositionFactory, SiteFactory, TeamFactory, make_hr_user

RESOURCES = ["site", "department", "team", "position", "employee"]
HEADERS = {
    "en": ["employee_number", "name", "email", "hire_date", "team", "position", "stage", "mentor"],
    "zh-hans": ["工号", "姓名", "邮箱", "入职日期", "班组", "岗位", "阶段", "导师"],
}


@pytest.fixture
def hr(db):
    user = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return user


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def referenced(db):
    """The rows the example rows name by code (those of the demo), so each template imports as it is."""
    wuxi = SiteFactory(code="WX")
    retail = DepartmentFactory(code="SZ-RET", site=SiteFactory(code="SZ"))
    DepartmentFactory(code="WX-SVC", site=wuxi)
    TeamFactory(code="SZ-RET-1", department=retail)
    PositionFactory(code="CS-AGENT")
    PositionFactory(code="CS-SUP")


def download(client, resource, language, extension=None):
    client.cookies["django_language"] = language
    query = f"?format={extension}" if extension else ""
    return client.get(reverse(f"admin:staff_{resource}_import_template") + query)


def rows_of(response):
    if response["Content-Type"].startswith("text/csv"):
        assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel opens it as UTF-8
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.rows]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_employee_template_has_the_headers_of_the_readers_language_and_one_example(hr_client, language, extension):
    response = download(hr_client, "employee", language, extension)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="employee-import-template.{extension}"'
    header, *examples = rows_of(response)
    assert header == HEADERS[language]
    assert len(examples) == 1
    assert examples[0][0] == "E20001"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_every_template_imports_as_it_is(hr_client, hr, referenced, resource, language, extension):
    response = download(hr_client, resource, language, extension)
    models = {"site": Site, "department": Department, "team": Team, "position": Position, "employee": Employee}
    before = models[resource].objects.count()

    result = import_file(
        resource_name=resource, data=response.content, filename=f"t.{extension}", dry_run=False, user=hr
    )

    assert result.problems == []
    assert result.totals["new"] == 1
    assert models[resource].objects.count() == before + 1


def test_template_defaults_to_csv(hr_client):
    for query in ("", "?format=exe"):
        response = hr_client.get(reverse("admin:staff_site_import_template") + query)
        assert response["Content-Type"].startswith("text/csv")


def test_import_page_links_both_templates_and_explains_them(hr_client):
    hr_client.cookies["django_language"] = "en"
    html = hr_client.get(reverse("admin:staff_employee_import")).content.decode()

    url = reverse("admin:staff_employee_import_template")
    assert f'href="{url}?format=csv"' in html
    assert f'href="{url}?format=xlsx"' in html
    assert "one example row" in html


def test_template_needs_the_import_permission(client, db):
    viewer = make_hr_user(username="viewer")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(codename="view_employee"))
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("admin:staff_employee_import_template")).status_code == 403


def test_template_is_not_for_anyone_outside_the_admin(client, db):
    response = client.get(reverse("admin:staff_employee_import_template"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

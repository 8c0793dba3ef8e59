"""HR's admin in Chinese: the product's name, and no English left in the sections, model names and columns
of the third-party apps (django-axes, Celery results, django-celery-beat) whose strings locale_vendor/ and
staff/admin_vendor.py translate."""

import re
from html import escape

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from django_celery_results.models import GroupResult, TaskResult

from tests.staff.factories import make_hr_user

VENDOR_APPS = ("axes", "django_celery_results", "django_celery_beat")
VENDOR_MODELS = [model for model in admin.site._registry if model._meta.app_label in VENDOR_APPS]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def rows(db):
    """One row of every vendor model, so that each changelist shows its columns and each change page exists."""
    now = timezone.now()
    login = {"username": "agent7", "ip_address": "10.0.0.7", "user_agent": "Firefox", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**login, failures_since_start=2, get_data="", post_data="", http_accept="*/*")
    AccessFailureLog.objects.create(**login, locked_out=True, http_accept="*/*")
    AccessLog.objects.create(**login, http_accept="*/*")
    TaskResult.objects.create(task_id="t-1", task_name="staff.tasks.heartbeat", status="SUCCESS", date_done=now)
    GroupResult.objects.create(group_id="g-1", date_done=now)
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    daily = CrontabSchedule.objects.create(minute="30", hour="7", timezone="Asia/Shanghai")
    ClockedSchedule.objects.create(clocked_time=now)
    SolarSchedule.objects.create(event="sunrise", latitude=31.3, longitude=120.6)
    PeriodicTask.objects.create(name="heartbeat", task="staff.tasks.heartbeat", interval=every_minute)
    PeriodicTask.objects.create(name="reminders", task="training.tasks.send_reminders", crontab=daily)


@pytest.fixture
def hr_client(client, db):
    client.force_login(make_hr_user(username="hr-admin"), backend="django.contrib.auth.backends.ModelBackend")
    return client


def page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def texts(html, selector_pattern):
    """The text of every element an opening-tag pattern matches (tags inside stripped, spaces collapsed)."""
    found = []
    for match in re.finditer(rf"(?s)<({selector_pattern})\b[^>]*>(.*?)</\1>", html):
        text = " ".join(re.sub(r"(?s)<[^>]+>", " ", match.group(2)).split())
        if text:
            found.append(text)
    return found


def labels(html):
    """What names the page and its parts: the title, the breadcrumbs, the headings, the column headers,
    the filters' titles and the form's field labels."""
    content = html.split('id="content"', 1)[-1]
    crumbs = re.findall(r'(?s)<div class="breadcrumbs">(.*?)</div>', html)
    heads = "".join(re.findall(r"(?s)<thead\b.*?</thead>", content))  # the changelist's and the inlines' columns
    return [
        *texts(html, "title"),
        *[" ".join(re.sub(r"(?s)<[^>]+>", " ", crumb).split()) for crumb in crumbs],
        *texts(content, "h1|h2|h3|summary"),
        *texts(heads, "th"),
        *texts(content, "label"),
    ]


def test_the_admin_carries_the_products_name_not_djangos(hr_client):
    for language, name in (("en", "Staff development"), ("zh-hans", "员工发展")):
        html = page(hr_client, reverse("admin:index"), language)
        assert name in texts(html, "title")[0]
        assert name in " ".join(texts(html, "a"))
        assert "Django" not in " ".join(texts(html, "title|h1|a"))


def test_admin_index_names_every_section_and_model_in_chinese(hr_client, rows):
    html = page(hr_client, reverse("admin:index"), "zh-hans")
    sections = texts(html, "caption")
    cells = re.findall(r'(?s)<th scope="(row|col)"[^>]*>(.*?)</th>', html)
    models = [" ".join(re.sub(r"<[^>]+>", " ", th).split()) for scope, th in cells if scope == "row"]
    headers = {" ".join(th.split()) for scope, th in cells if scope == "col"}  # read out by screen readers
    with translation.override("en"):
        english = [str(app.verbose_name) for app in {m._meta.app_config for m in admin.site._registry}]
        english += [str(m._meta.verbose_name_plural).capitalize() for m in admin.site._registry]

    assert len(sections) >= 7
    assert len(models) >= 25
    untranslated = [text for text in [*sections, *models, *headers] if not CJK.search(text)]
    assert untranslated == []
    assert [name for name in english if name in sections + models] == []


@pytest.mark.parametrize("model", VENDOR_MODELS, ids=lambda model: model._meta.label)
def test_vendor_changelist_names_its_columns_and_filters_in_chinese(hr_client, rows, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    english, chinese = labels(page(hr_client, url, "en")), labels(page(hr_client, url, "zh-hans"))

    assert len(chinese) == len(english) >= 3
    assert [text for text in chinese if not CJK.search(text)] == []
    assert [text for text in english if text in chinese] == []


@pytest.mark.parametrize("model", VENDOR_MODELS, ids=lambda model: model._meta.label)
def test_vendor_change_page_names_its_fields_in_chinese(hr_client, rows, model):
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    # The object's own name (its __str__, e.g. "Attempted Access: <time>") is the app's data, not a label.
    chinese = [text for text in labels(page(hr_client, url, "zh-hans")) if escape(str(obj)) not in text]

    field_labels = [text for text in chinese if text.endswith((":", "："))]
    assert field_labels
    assert [text for text in chinese if not CJK.search(text)] == []


def test_periodic_tasks_show_their_schedule_in_the_readers_language(hr_client, rows):
    url = reverse("admin:django_celery_beat_periodictask_changelist")

    english, chinese = labels(page(hr_client, url, "en")), labels(page(hr_client, url, "zh-hans"))

    assert "Schedule" in english  # the column of the task's schedule, not the property's name "Scheduler"
    assert "Scheduler" not in english
    assert "执行计划" in chinese
    crontabs = reverse("admin:django_celery_beat_crontabschedule_changelist")
    english, chinese = page(hr_client, crontabs, "en"), page(hr_client, crontabs, "zh-hans")
    assert "At 07:30 Asia/Shanghai" in english
    assert "07:30 Asia/Shanghai" in chinese
    assert "At 07:30" not in chinese
    assert "Human readable" not in english + chinese


def test_a_login_attempt_says_how_many_tries_are_left(hr_client, rows):
    url = reverse("admin:axes_accessattempt_changelist")

    assert "3 attempts left" in page(hr_client, url, "en")
    assert "还剩 3 次尝试" in page(hr_client, url, "zh-hans")

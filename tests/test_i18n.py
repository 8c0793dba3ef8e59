"""The Simplified Chinese catalogue is complete, compiled, and covers every string in the source."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = (
    "config",
    "staff",
    "notifications",
    "training",
    "kpis",
    "linkage",
    "improvement",
    "incentives",
    "insights",
    "templates",
    "manage.py",
)


def entries(catalogue):
    return {(e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalogue}


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 100


def test_compiled_catalogue_matches_the_source():
    assert entries(polib.mofile(str(MO))) == {k: v for k, v in entries(polib.pofile(str(PO))).items() if k[1]}


def test_catalogue_covers_every_translatable_string(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing; CI must install gettext")
        pytest.skip("needs GNU gettext (apt-get install gettext)")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in ours)
    assert missing == [], "run `make messages` and translate these"


# The hand-written catalogue of third-party strings (locale_vendor/) -----------------------------------

VENDOR_PO = ROOT / "locale_vendor" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# The installed apps whose pages HR opens in the admin, by import name and the folder their strings live in.
VENDOR_SOURCES = {
    "axes": "",
    "django_celery_results": "",
    "django_celery_beat": "",
    "import_export": "",
    "simple_history": "",
    "django": "contrib/admin",
    "django.contrib": "auth",
}
GETTEXT_CALLS = {  # function name -> how many leading arguments are message text or context
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "npgettext": 3,
    "npgettext_lazy": 3,
}


def test_vendor_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(VENDOR_PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 100


def test_compiled_vendor_catalogue_matches_the_source():
    mo = VENDOR_PO.with_suffix(".mo")
    assert entries(polib.mofile(str(mo))) == {k: v for k, v in entries(polib.pofile(str(VENDOR_PO))).items() if k[1]}


def test_every_string_the_vendor_apps_show_is_translated(tmp_path):
    """Extract every string of the third-party apps HR meets in the admin, as makemessages would, and find
    each in the Chinese catalogue the site runs with (Django's, the apps' own, locale/ and locale_vendor/).
    An upgrade that adds a string fails here until locale_vendor/ translates it."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing; CI must install gettext")
        pytest.skip("needs GNU gettext (apt-get install gettext)")
    from importlib import import_module

    from django.utils.translation import trans_real

    for package, folder in VENDOR_SOURCES.items():
        source = Path(import_module(package).__file__).parent / folder
        skip = shutil.ignore_patterns("__pycache__", "locale", "migrations", "static", "tests")
        shutil.copytree(source, tmp_path / "vendor" / f"{package}.{folder}".strip("."), ignore=skip)
    (tmp_path / "minimal_settings.py").write_text("SECRET_KEY = 'x'\nUSE_I18N = True\nINSTALLED_APPS = []\n")
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "minimal_settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    catalog = trans_real.translation("zh-hans")._catalog

    def key(entry):
        text = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        return (text, 0) if entry.msgid_plural else text

    assert len(fresh) > 400
    missing = sorted(entry.msgid for entry in fresh if key(entry) not in catalog)
    assert missing == [], "translate these in locale_vendor/zh_Hans/LC_MESSAGES/django.po"


def test_every_translatable_string_is_written_out_where_it_is_marked():
    """makemessages reads only literal arguments: a message or context passed through a variable (as the
    demo-login table once did) never reaches the catalogue, and the coverage test above cannot notice."""
    hidden = []
    for name in SOURCES:
        for path in sorted((ROOT / name).rglob("*.py")) if (ROOT / name).is_dir() else [ROOT / name]:
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                function = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                texts = node.args[: GETTEXT_CALLS.get(function, 0)]
                if any(not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)) for arg in texts):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert hidden == []

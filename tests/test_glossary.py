"""The Chinese catalogue follows locale/GLOSSARY.md: one word per idea (Supervisor = 班长, Mentor = 带教老师,
an open activity = 未完成 …), never the words the glossary rules out."""

import os
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
GLOSSARY = LOCALE / "GLOSSARY.md"
# GLOSSARY_CATALOGUE points the test at another copy of the catalogue (a merge being checked).
CATALOGUE = Path(os.environ.get("GLOSSARY_CATALOGUE", LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
NONE = "—"


def parse_glossary(text):
    """Rows of the glossary's tables: ([English forms], Chinese, msgctxt or "", [never-use words])."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("English", "") or set(cells[0]) <= {"-", " "}:
            continue
        english, chinese, context, never, _why = cells
        forms = [form.strip().lower() for form in english.split("/")]
        forbidden = [] if never == NONE else [word.strip() for word in never.split("/")]
        rows.append((forms, chinese, context, forbidden))
    return rows


def translations(entry):
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


@pytest.fixture(scope="module")
def glossary():
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue():
    return [e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete]


def test_the_glossary_covers_the_domain_terms(glossary):
    english = {form for forms, *_rest in glossary for form in forms}
    for term in ("supervisor", "mentor", "trainee", "open", "batch", "cycle", "gate", "hr", "enrollment"):
        assert term in english
    for term in ("knowledge", "attitude", "skill", "habit", "site", "department", "team", "at risk", "extended"):
        assert term in english
    assert {"withdrawn", "activity", "coaching", "pass-the-gate check"} <= english


def test_the_parser_reads_forms_context_and_never_words():
    text = (
        "| English | 中文 | Context | Never | Why |\n| --- | --- | --- | --- | --- |\n"
        "| open | 未完成 | activity not done yet | 空缺 | A vacancy. |\n"
        "| batch / batches | 批次 | | — | Together. |\n"
    )
    assert parse_glossary(text) == [
        (["open"], "未完成", "activity not done yet", ["空缺"]),
        (["batch", "batches"], "批次", "", []),
    ]


def test_no_translation_uses_a_word_the_glossary_rules_out(glossary, catalogue):
    forbidden = {word: forms[0] for forms, _zh, _ctx, never in glossary for word in never}
    found = [
        f"{entry.msgid!r} → {text!r} uses {word} (glossary: {term})"
        for entry in catalogue
        for text in translations(entry)
        for word, term in forbidden.items()
        if word in text
    ]
    assert not found, "\n".join(found)


def test_a_glossary_term_on_its_own_is_translated_with_the_glossary_word(glossary, catalogue):
    wrong = []
    for forms, chinese, context, _never in glossary:
        for entry in catalogue:
            if entry.msgid.lower() not in forms or (context and entry.msgctxt != context):
                continue
            wrong += [
                f"{entry.msgid!r} → {text!r}, not {chinese}" for text in translations(entry) if chinese not in text
            ]
    assert not wrong, "\n".join(wrong)


def test_the_glossary_checks_would_catch_a_wrong_word(glossary):
    """The checks above are not vacuous: the words from the issue are ruled out."""
    never = {word for *_rest, words in glossary for word in words}
    assert {"主管", "导师", "空缺"} <= never

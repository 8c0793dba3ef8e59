"""The README works on a fresh clone: every file it links to is in the repository, and it explains the domain
with a page of its own instead of pointing outside the checkout."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "docs/domain.md", "bench/README.md"]


def test_links_point_to_files_in_the_repository():
    broken = []
    for doc in DOCS:
        text = (ROOT / doc).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a URL
            path = (ROOT / doc).parent / target
            if not path.resolve().is_relative_to(ROOT) or not path.exists():
                broken.append((doc, target))
    assert broken == []


def test_the_readme_names_no_file_outside_the_checkout():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "../" not in readme
    assert "](docs/domain.md)" in readme


def test_the_domain_page_covers_the_domain_with_its_chinese_terms():
    domain = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")

    for term in ("KASH", "批次", "周期", "通关", "岗位联动", "首问负责制", "Herzberg", "荣誉体系", "班长", "带教老师"):
        assert term in domain
    for cycle in ("Habit building", "Trust and teamwork", "communication", "Emotion management"):
        assert cycle in domain

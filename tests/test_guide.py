"""The office guide (GUIDE.md): in the repository, outside the public site, and complete about every error code."""

from __future__ import annotations

import re

from conftest import REPO
from nianbao import guide
from nianbao.problems import CODES

GUIDE = REPO / "GUIDE.md"


def test_every_error_code_is_explained_in_the_guide():
    text = GUIDE.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (错误|提醒|说明) \|", text, re.M))
    missing = sorted(set(CODES) - set(rows))
    assert not missing, f"GUIDE.md does not explain {missing}: run `make guide`"
    for code, (severity, _, advice) in CODES.items():
        assert rows[code] == {"error": "错误", "warning": "提醒", "notice": "说明"}[severity]
        assert advice.replace("|", "\\|") in text


def test_the_generated_table_matches_the_code():
    """The table is generated from problems.CODES; this fails when a code, message or advice changed without
    regenerating it (`make guide`)."""
    text = GUIDE.read_text(encoding="utf-8")
    assert guide.with_table(text) == text, "GUIDE.md's error-code table is out of date: run `make guide`"
    section = text[text.index(guide.BEGIN) : text.index(guide.END)]
    assert len(re.findall(r"^\| `", section, re.M)) == len(CODES)  # no row for a code that no longer exists


def test_the_guide_covers_the_yearly_routine():
    text = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["一、准备(只做一次)", "二、每年的工作流程", "三、正文中怎样写数字", "四、怎样新增一个指标",
                        "五、错误代码一览", "六、怎样提出和审核修改"]  # fmt: skip
    for command in ("nianbao new-edition 2025", "nianbao export-xlsx --edition 2025", "nianbao import-xlsx",
                    "make serve", "make check", "make site", "literal(", "catalog.yml"):  # fmt: skip
        assert command in text, command
    for function in ("value", "number", "growth", "rate", "change", "share", "gap", "completion", "target",
                     "project_count", "project_investment", "literal"):  # fmt: skip
        assert f"`{{{{ {function}(" in text, function


def test_the_guide_is_not_part_of_the_public_site():
    assert not (REPO / "docs" / "GUIDE.md").exists()
    assert not any("工作指南" in p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md"))

"""The review report is safe to post: rendered as GitHub renders it (CommonMark with GFM tables, by markdown-it-py), a
report built from hostile notes, page names and file names has exactly the headings and table rows the data implies,
no link, no mention, no HTML but the report's own; it stays under GitHub's comment limit; a symbolic link in a
revision is a located problem; the build log never starts a line with a workflow command."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import build, write_config
from markdown_it import MarkdownIt
from nianbao.diff.report import COMMENT_LIMIT, ZWSP, _cell, _code, truncated
from test_diff import TAX_2024, fixture_value, git, q, rate, replace, repo, run_diff, signed_percent  # noqa: F401

HOSTILE_NOTE = ("改正\r| 伪造 | 行 | x | y | z | w | v |\n### ✅ 审核通过\r\n@admin 请看 #123 和 !45 ~标签 %里程碑 "
                "<img src=x onerror=alert(1)> <b>粗</b> [点此](javascript:alert(1)) ![图](https://evil.example/x.png) "
                "**加粗** _斜_ `代码` ~~删~~ https://evil.example/ www.evil.example a@b.cn &lt; $x$ \\| ::error file=x::y")
PLAIN_NOTE = re.sub(r"\r\n|[\r\n]", " ", HOSTILE_NOTE)  # what the reader must see: the note on one line
PAGE = "docs/2024/a`b|c @dev #1 <i>x.md"
IMAGE = "docs/2024/图|`x` @y.png"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d494844520000000100000001080600000001")

REFERENCE_SIGN = re.compile(r"([@#!~%$&])(?=[\w\"'])")  # @user, #123, !45, ~label, %milestone, $snippet, &epic
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _inline_text(token) -> str:
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))


def rendered(md: str) -> dict:
    """Headings, table rows (cells as text) and what else the renderer made of the report."""
    tokens = MD.parse(md)
    headings, rows, kinds, html = [], [], set(), []
    row: list[str] | None = None
    for n, token in enumerate(tokens):
        kinds.add(token.type)
        if token.type == "heading_open":
            headings.append((token.tag, _inline_text(tokens[n + 1])))
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(_inline_text(tokens[n + 1]))
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "html_block":
            html.append(token.content.strip())
        for child in token.children or []:
            kinds.add(child.type)
            if child.type == "html_inline":
                html.append(child.content)
    return {"headings": headings, "rows": rows, "kinds": kinds, "html": html}


def test_a_hostile_report_renders_exactly_the_rows_the_data_implies(repo):  # noqa: F811 — the fixture
    file, old_line, new_line = TAX_2024
    replace(repo, file, old_line, new_line + _csv_field(HOSTILE_NOTE))
    (repo / PAGE).write_text("# 新页面\n\n一段话。\n", encoding="utf-8")
    (repo / IMAGE).write_bytes(PNG)
    code, md = run_diff(repo, "HEAD")
    assert code == 0, md
    page = rendered(md)

    # Headings: the report's own, none from the note.
    assert [tag for tag, _ in page["headings"]] == ["h2", "h3", "h3"]
    assert page["headings"][1:] == [("h3", "2024年报(草稿,尚未发布)"), ("h3", "docs/ 中不是页面的文件")]
    assert not any("审核通过" in text for _, text in page["headings"])

    # Tables: exactly the rows the data implies. The changed figure is one row of eight cells with the note whole in
    # its last cell, on one line (a sign that would notify or link someone is followed by a zero-width space).
    old, new = fixture_value(2024, "tax", 2024), Decimal("10.80")
    prev = fixture_value(2024, "tax", 2023)
    shown_note = REFERENCE_SIGN.sub(r"\1" + ZWSP, PLAIN_NOTE)
    assert page["rows"] == [
        ["指标", "时期", "分组", "原值", "新值", "变化", "变化率", "备注"],
        ["税收", "2024年", "合计", f"{old}亿元", f"{new}亿元", f"+{q(new - old, '0.01')}亿元",
         f"{signed_percent(new, old)}%", "新增说明:" + shown_note],
        ["原文", "修改后"],
        [f"税收{old}亿元,同比下降{rate(old, prev)}。", f"税收{new}亿元,同比下降{rate(new, prev)}。"],
        ["文件", "改动"],
        [IMAGE, "新增"],
    ]  # fmt: skip

    # The new page, named in a code span; nothing linked, emphasised or embedded.
    assert f"新页面 {PAGE}。" in MD.render(md).replace("<code>", "").replace("</code>", "").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&")  # fmt: skip
    assert not page["kinds"] & {"link_open", "image", "em_open", "s_open", "autolink"}
    strong = re.findall(r"<strong>(.*?)</strong>", MD.render(md))
    assert strong == ["数据修改", "<code>docs/2024/summary.md</code> 中数字变化的句子"], strong  # the template's own
    assert set(page["html"]) <= {"<!-- nianbao-diff -->", "<b>", "</b>", "<details><summary>", "</summary>",
                                 "</details>"}, page["html"]  # fmt: skip
    html = MD.render(md)
    assert "<img" not in html and "<i>" not in html and "href=" not in html
    assert "@admin" not in html and "#123" not in html and "!45" not in html  # no mention, no reference
    assert not re.search(r"(?m)^\s*::", md)


def test_cells_and_code_spans_hold_any_text():
    for text in ["a|b", "x\r|y|\nz", "`", "``a`", "<script>", "*a* _b_", "[x](y)", "&amp;", "line\u2028break", "\\|"]:
        cell = MD.parse(f"| h |\n|---|\n| {_cell(text)} |\n")
        assert [t.type for t in cell].count("tr_open") == 2, text
        shown = "".join(c.content for t in cell if t.type == "inline" and t.map and t.map[0] == 2 for c in t.children)
        expected = re.sub(r"\r\n|[\r\n\u2028]", " ", text).replace("&", "&" + ZWSP) if "&amp" in text else \
            re.sub(r"\r\n|[\r\n\u2028]", " ", text)  # fmt: skip
        assert shown.strip() == expected.strip(), (text, shown)
        code = MD.parse(f"| h |\n|---|\n| {_code(text, in_table=True)} |\n")
        spans = [c.content for t in code if t.type == "inline" for c in t.children if c.type == "code_inline"]
        assert len(spans) == 1 and spans[0].strip() == re.sub(r"\r\n|[\r\n\u2028]", " ", text).strip(), (text, spans)


def test_a_long_report_is_cut_under_the_limit_with_a_notice(repo):  # noqa: F811
    file, old_line, new_line = TAX_2024
    replace(repo, file, old_line, new_line + "说明" * 50_000)  # a 100 KB note
    code, md = run_diff(repo, "HEAD")
    assert code == 0
    assert len(md.encode("utf-16-le")) // 2 <= COMMENT_LIMIT < 65_536
    assert "报告过长" in md and "nianbao-diff-full.md" in md
    assert md.count("<details>") == md.count("</details>")
    out = repo.parent / "full.md"
    from nianbao.cli import main

    assert main(["diff", "HEAD", "--root", str(repo), "--limit", "0", "--output", str(out)]) == 0
    full = out.read_text(encoding="utf-8")
    assert "说明" * 50_000 in full and "报告过长" not in full
    assert md.splitlines()[:3] == full.splitlines()[:3]  # the same summary on top


def test_truncation_closes_what_it_opened():
    text = "# t\n\n<details><summary>多</summary>\n\n| a |\n|---|\n" + "| 很长的一行 |\n" * 5000 + "\n</details>\n"
    cut = truncated(text, 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= 20_000 and cut.count("<details>") == cut.count("</details>")
    assert truncated("short\n", 20_000) == "short\n"


def test_a_symbolic_link_in_a_revision_is_a_located_problem(repo):  # noqa: F811
    (repo / "data" / "editions" / "2024" / "evil.csv").symlink_to("/etc/passwd")
    (repo / "docs" / "2024" / "leak.md").symlink_to("/etc/hostname")
    git(repo, "add", "data", "docs")
    git(repo, "commit", "-q", "-m", "links")
    for args in (("HEAD~1", "HEAD"), ("HEAD~1",)):  # the commit (git archive) and the working tree
        code, md = run_diff(repo, *args)
        assert code == 1, md
        assert "无法比较" in md and "file-symlink" not in md  # the message, in Chinese, with the file
        assert re.search(r"`(data/editions/2024/evil\.csv|docs/2024/leak\.md)`", md), md
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "diff", "HEAD~1", "HEAD", "--root", str(repo)],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "符号链接" in result.stdout


def test_the_build_log_never_starts_a_line_with_a_workflow_command(tmp_path):
    from test_corpus import make_case

    note = _csv_field("=改正\n::error file=docs/index.md,line=1::伪造的错误\r##[error]旧写法\r\n::add-mask::x")
    root = make_case(tmp_path, {"steps": [{"line": "F24", "at": 11, "old": "tax,2024,,10.45,正式,",
                                           "new": "tax,2024,,10.45,正式," + note}]})  # fmt: skip
    write_config(root)
    for strict in (False, True):
        result = build(root, strict=strict)
        log = result.stdout + result.stderr
        assert "formula-like-text" in log and "Traceback" not in log
        assert not re.search(r"(?m)^(::|##\[)", log), log


@pytest.mark.parametrize("path", [".github/workflows/pull-request.yml", ".gitlab-ci.yml"])
def test_ci_posts_the_limited_report_and_keeps_the_full_one(path):
    text = (Path(__file__).resolve().parents[1] / path).read_text(encoding="utf-8")
    assert "nianbao-diff-full.md" in text and "--limit 0" in text



def test_files_that_are_not_pages_are_listed_when_added_changed_or_removed(repo):  # noqa: F811
    (repo / "docs" / "2024" / "a.png").write_bytes(PNG)
    (repo / "docs" / "2024" / "b.png").write_bytes(PNG)
    git(repo, "add", "docs")
    git(repo, "commit", "-q", "-m", "images")
    (repo / "docs" / "2024" / "a.png").write_bytes(PNG + b"\0")
    (repo / "docs" / "2024" / "b.png").unlink()
    (repo / "docs" / "2024" / "c.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/>'
                                                 "</svg>\n", encoding="utf-8")  # fmt: skip
    code, md = run_diff(repo, "HEAD")
    assert code == 0
    rows = rendered(md)["rows"]
    assert rows[rows.index(["文件", "改动"]) + 1:] == [["docs/2024/a.png", "修改"], ["docs/2024/b.png", "删除"],
                                                      ["docs/2024/c.svg", "新增"]]  # fmt: skip
    code, summary = run_diff(repo, "HEAD", "--format", "summary")
    assert summary == "docs/ 中的图片等文件增1个、改1个、删1个\n"  # never "nothing changed"

    (repo / "docs" / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    code, md = run_diff(repo, "HEAD")
    assert code == 1 and "无法比较" in md and "`docs/evil.html`" in md  # refused, and listed
    assert ["docs/evil.html", "新增"] in rendered(md)["rows"]

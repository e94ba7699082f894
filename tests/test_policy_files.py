"""What docs/ may hold besides pages (nianbao.docsfiles), and what a page's front matter may hold (nianbao.frontmatter):
unit cases for every rule; tests/corpus/cases.yml builds the main ones with the real MkDocs."""

from __future__ import annotations

import pytest
from nianbao.docsfiles import refused, svg_problem
from nianbao.frontmatter import read_front_matter, unsafe_values
from nianbao.normalize import check_pages

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
SAFE_SVG = [
    '<rect width="10" height="10" fill="#36c"/><text x="1" y="9">图一</text>',
    '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs><rect fill="url(#g)" width="1" height="1"/>',
    '<use href="#g"/><use xlink:href="#g"/>',
    '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
    '<style>rect { fill: #c00 }</style><rect width="1" height="1"/>',
    '<animate attributeName="opacity" from="0" to="1" dur="1s"/>',
]
UNSAFE_SVG = [
    "<script>alert(1)</script>",
    '<script xlink:href="x.js"/>',
    '<rect onclick="alert(1)" width="1" height="1"/>',
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
    '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
    '<a href="java&#9;script:alert(1)"><text>x</text></a>',
    '<image href="https://tracker.example/x.png"/>',
    '<use href="other.svg#x"/>',
    '<set attributeName="onmouseover" to="alert(1)"/>',
    '<animate attributeName="href" values="javascript:alert(1)"/>',
    '<rect style="fill: url(https://tracker.example/x)"/>',
    "<style>@import url(https://evil.example/x.css);</style>",
    '<iframe src="x"/>',
    '<image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>',
]


@pytest.mark.parametrize("body", SAFE_SVG)
def test_a_plain_drawing_is_accepted(tmp_path, body):
    path = tmp_path / "a.svg"
    path.write_text(SVG.format(body), encoding="utf-8")
    assert svg_problem(path) is None


@pytest.mark.parametrize("body", UNSAFE_SVG)
def test_an_svg_that_runs_or_loads_something_is_refused(tmp_path, body):
    path = tmp_path / "a.svg"
    path.write_text(SVG.format(body), encoding="utf-8")
    assert svg_problem(path), body


@pytest.mark.parametrize("text", [
    '<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG.format(""),
    '<!DOCTYPE svg [<!ENTITY a "x">]>' + SVG.format("<text>&a;</text>"),
    "<html><script>alert(1)</script></html>",
    "not xml at all <",
])  # fmt: skip
def test_declarations_other_roots_and_broken_xml_are_refused(tmp_path, text):
    path = tmp_path / "a.svg"
    path.write_text(text, encoding="utf-8")
    assert svg_problem(path)


def test_images_must_be_what_their_name_says_and_nothing_else_is_published(tmp_path):
    cases = {
        "a.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, None),
        "a.PNG": (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, None),
        "b.jpg": (b"\xff\xd8\xff\xe0" + b"\0" * 12, None),
        "c.gif": (b"GIF89a" + b"\0" * 10, None),
        "d.webp": (b"RIFF\0\0\0\0WEBPVP8 ", None),
        "e.webp": (b"RIFF\0\0\0\0WAVEfmt ", "docs-file-refused"),
        "f.png": (b"<html><script>alert(1)</script>", "docs-file-refused"),
        "page.html": (b"<p>x</p>", "docs-file-refused"),
        "app.js": (b"alert(1)", "docs-file-refused"),
        "style.css": (b"body{}", "docs-file-refused"),
        "report.pdf": (b"%PDF-1.7", "docs-file-refused"),
        "notes.markdown": (b"# x", "docs-file-refused"),
        "NOTES.MD": (b"# x", "docs-file-refused"),
        "README": (b"x", "docs-file-refused"),
        "page.md": (b"# x", None),
    }
    for name, (data, code) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        verdict = refused(path)
        assert (verdict[0] if verdict else None) == code, (name, verdict)


def test_check_pages_reports_each_refused_file_and_skips_hidden_ones(tmp_path):
    docs = tmp_path / "docs"
    (docs / "2024").mkdir(parents=True)
    (docs / ".git-stuff").mkdir()
    (docs / ".git-stuff" / "x.js").write_text("alert(1)", encoding="utf-8")
    (docs / ".DS_Store").write_bytes(b"\0\1")
    (docs / "2024" / "x.html").write_text("<script></script>", encoding="utf-8")
    (docs / "index.md").write_text("---\ntitle: 首页\ndescription: a\"b\n---\n\n# 首页\n", encoding="utf-8")
    found = sorted((p.file, p.row, p.code) for p in check_pages(docs, tmp_path))
    assert found == [("docs/2024/x.html", None, "docs-file-refused"), ("docs/index.md", 3, "front-matter-unsafe")]


@pytest.mark.parametrize("block, line", [
    ("title: <script>alert(1)</script>", 2),
    ("title: 'A & B'", 2),
    ("title: x\ndescription: 简介\" http-equiv=\"refresh", 3),
    ("title: x\nsubtitle: <b>副</b>", 3),
    ("title: x\nauthor: '`x`'", 3),
    ("title: [<b>a</b>]", 2),
    ("title: x\ntemplate: base.html", 3),
    ("title: x\nicon: ../../etc/x", 3),
    ("title: x\nstatus: 'new\" onclick=\"x'", 3),
])  # fmt: skip
def test_front_matter_that_the_theme_would_print_as_markup_is_refused_at_its_line(block, line):
    front = read_front_matter(f"---\n{block}\n---\n\n# 页面\n")
    assert [found_line for found_line, _ in unsafe_values(front)] == [line]


def test_ordinary_front_matter_is_accepted():
    for block in ("title: 2024年工作总结", "title: 工作总结(草稿)\ndescription: 园区 2024 年的工作。", "title: 2024",
                  "title: x\nicon: material/weather-night\nstatus: new", "title: x\nhide:\n  - navigation"):  # fmt: skip
        assert unsafe_values(read_front_matter(f"---\n{block}\n---\n\n# 页面\n")) == [], block

"""The diff report: read two revisions, compare data and prose, write Markdown, JSON or one summary line.

An edition is *published* when its edition.yml has a ``published`` date in the base revision. Any change to what a
published edition says — its figures, targets, projects, metadata or the numbers in its pages — is a correction
(勘误) and is flagged at the top of the report. Files under docs/ that are not pages (images) are listed when they
are added, changed or removed: they are published as they are.

The Markdown is posted as a pull-request comment, so it must say exactly what the data implies and nothing else,
whatever the data, notes, page and file names hold (``_cell``, ``_code``): Markdown and HTML syntax is escaped, line
breaks and ``|`` never end a table row or cell, ``@name`` and ``#123`` (and GitLab's ``!123``, ``~label``,
``%milestone``) are broken with a zero-width space so that nobody is notified and nothing is linked, and the comment
stays under ``COMMENT_LIMIT`` UTF-16 code units (GitHub refuses 65,536) with a notice where it was cut; the full
report is written with ``--limit 0`` for the artifact. A symbolic link in a revision is a located problem.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tarfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..model import Report
from ..problems import DataError, Problem, errors
from ..site import EDITION_PAGE, Site
from .data import (
    ADDED,
    CHANGED,
    REMOVED,
    CatalogChanges,
    EditionChanges,
    FieldChange,
    FigureChange,
    compare_catalogs,
    compare_editions,
    compare_park,
)
from .revisions import Revision, checked_out, resolve
from .sentences import PageChanges, SentenceChange, _tokens, compare_page, rendered_pages

MARKER = "<!-- nianbao-diff -->"  # lets CI find and update its earlier comment
COMMENT_LIMIT = 60_000  # UTF-16 code units, as GitHub counts a comment's 65,536; GitLab allows 1,000,000 characters


@dataclass
class _Side:
    revision: Revision
    report: Report | None = None
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # docs/ files that are not pages -> content hash


@dataclass
class EditionDiff:
    data: EditionChanges
    pages: list[PageChanges] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.data.year

    @property
    def published(self) -> str | None:
        """The publication date in the base revision: set means this change is a correction."""
        return self.data.base.published if self.data.base else None

    @property
    def has_changes(self) -> bool:
        return self.data.has_data_changes or any(self.pages)

    @property
    def is_correction(self) -> bool:
        return self.published is not None and self.has_changes

    @property
    def state_text(self) -> str:
        if self.data.base is None:
            return "新增"
        if self.data.head is None:
            return "删除"
        if self.published:
            return f"已于 {self.published} 发布"
        return "草稿,尚未发布"

    def figures(self, kind: str) -> list[FigureChange]:
        return [f for f in self.data.figures if f.kind == kind]

    @property
    def changed_sentences(self) -> int:
        return sum(len(p.sentences) for p in self.pages)

    @property
    def unexplained(self) -> list[str]:
        """Changed figures of a published edition whose note does not say why."""
        if not self.is_correction:
            return []
        return [f"{f.name} {f.period}年" + (f"({f.breakdown})" if f.breakdown else "")
                for f in self.data.figures if f.kind == CHANGED and not f.note_explains]  # fmt: skip

    def counts_text(self) -> str:
        """数据改1项、增1项,目标改1项,页面数字变化2句."""
        groups = []
        for label, items in (("数据", self.data.figures), ("目标", self.data.targets), ("项目", self.data.projects)):
            parts = [f"{verb}{n}项" for verb, kind in (("改", CHANGED), ("增", ADDED), ("删", REMOVED))
                     if (n := sum(1 for x in items if x.kind == kind))]  # fmt: skip
            if parts:
                groups.append(label + "、".join(parts))
        if self.data.meta:
            groups.append("信息改" + "、".join(f.label for f in self.data.meta))
        added = [p for p in self.pages if p.state == "added"]
        removed = [p for p in self.pages if p.state == "removed"]
        if self.changed_sentences:
            groups.append(f"页面数字变化{self.changed_sentences}句")
        reworded = sum(p.reworded for p in self.pages)
        if reworded:
            groups.append(f"文字改动{reworded}句")
        if added:
            groups.append(f"新页面{len(added)}个")
        if removed:
            groups.append(f"删除页面{len(removed)}个")
        return ",".join(groups)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "state": "added" if self.data.base is None else "removed" if self.data.head is None else "changed",
            "published": self.published,
            "correction": self.is_correction,
            "meta": [f.as_dict() for f in self.data.meta],
            "figures": {kind: [f.as_dict() for f in self.figures(kind)] for kind in (CHANGED, ADDED, REMOVED)},
            "targets": [t.as_dict() for t in self.data.targets],
            "projects": [p.as_dict() for p in self.data.projects],
            "pages": [p.as_dict() for p in self.pages if p],
            "unexplained": self.unexplained,
        }


@dataclass
class DiffReport:
    base: Revision
    head: Revision
    editions: list[EditionDiff] = field(default_factory=list)  # only editions with changes, newest first
    catalog: CatalogChanges = field(default_factory=CatalogChanges)
    park: list[FieldChange] = field(default_factory=list)
    other_pages: list[PageChanges] = field(default_factory=list)  # pages outside docs/<year>/
    files: list[tuple[str, str]] = field(default_factory=list)  # (docs/… path, added | changed | removed)
    failed: list[tuple[Revision, list[Problem]]] = field(default_factory=list)

    @property
    def corrections(self) -> list[EditionDiff]:
        return [e for e in self.editions if e.is_correction]

    @property
    def has_changes(self) -> bool:
        return bool(self.editions or self.catalog or self.park or self.other_pages or self.files)

    @property
    def summary(self) -> str:
        """One line for a pull-request title comment or a CI log."""
        if self.failed:
            return ";".join(f"无法比较:{rev.label} 的数据检查未通过({len(errors(problems))} 个错误)"
                            for rev, problems in self.failed)  # fmt: skip
        parts = []
        if self.corrections:
            parts.append("⚠️ 勘误:改动了已发布的" + "、".join(str(e.year) for e in self.corrections) + "年报")
        parts += [f"{e.year}年报:{e.counts_text()}" for e in self.editions]
        if self.catalog:
            parts.append(f"指标目录改{self.catalog.count}处")
        if self.park:
            parts.append(f"园区信息改{len(self.park)}处")
        other = sum(len(p.sentences) for p in self.other_pages)
        if other:
            parts.append(f"其他页面数字变化{other}句")
        elif self.other_pages:
            parts.append("其他页面文字改动")
        if self.files:
            counts = [f"{verb}{n}个" for verb, state in (("增", ADDED), ("改", CHANGED), ("删", REMOVED))
                      if (n := sum(1 for _, s in self.files if s == state))]  # fmt: skip
            parts.append("docs/ 中的图片等文件" + "、".join(counts))
        return ";".join(parts) if parts else "数据和页面中的数字没有变化"

    def as_dict(self) -> dict:
        return {
            "base": self.base.as_dict(),
            "head": self.head.as_dict(),
            "summary": self.summary,
            "failed": [
                {"revision": rev.as_dict(), "problems": [p.as_dict() for p in problems]}
                for rev, problems in self.failed
            ],  # fmt: skip
            "corrections": [
                {"edition": e.year, "published": e.published, "what": e.counts_text(), "unexplained": e.unexplained}
                for e in self.corrections
            ],  # fmt: skip
            "editions": [e.as_dict() for e in self.editions],
            "catalog": self.catalog.as_dict(),
            "park": [f.as_dict() for f in self.park],
            "pages": [p.as_dict() for p in self.other_pages],
            "files": [{"path": path, "state": state} for path, state in self.files],
        }

    def to_markdown(self, limit: int | None = COMMENT_LIMIT) -> str:
        """The report as Markdown; cut at a line, with a notice, when longer than ``limit`` UTF-16 code units."""
        text = _template().render(r=self, marker=MARKER, CHANGED=CHANGED, ADDED=ADDED, REMOVED=REMOVED)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return truncated(text, limit) if limit else text


def compare_revisions(root: Path, base: str, head: str | None = None) -> DiffReport:
    """Compare ``base`` with ``head`` (git revisions; None = the working tree) of the project at ``root``."""
    root = Path(root).resolve()
    base_rev, head_rev = resolve(root, base), resolve(root, head)
    with ExitStack() as stack:
        old, new = (_checked_out_and_read(stack, root, rev) for rev in (base_rev, head_rev))
    result = DiffReport(base_rev, head_rev)
    result.files = [(path, ADDED if path not in old.files else REMOVED if path not in new.files else CHANGED)
                    for path in sorted(set(old.files) | set(new.files))
                    if old.files.get(path) != new.files.get(path)]  # fmt: skip
    result.failed = [(side.revision, side.problems) for side in (old, new) if side.report is None]
    if result.failed:
        return result
    result.catalog = compare_catalogs(old.report.catalog, new.report.catalog)
    result.park = compare_park(old.report.park, new.report.park)
    pages = {}
    for src in sorted(set(old.pages) | set(new.pages)):
        page = compare_page(f"docs/{src}", old.pages.get(src), new.pages.get(src))
        if page:
            pages[src] = page
    for changes in compare_editions(old.report, new.report):
        edition_pages = [p for src, p in pages.items() if _page_year(src) == changes.year]
        diff = EditionDiff(changes, edition_pages)
        if diff.has_changes:
            result.editions.append(diff)
    years = set(old.report.editions) | set(new.report.editions)
    result.other_pages = [p for src, p in pages.items() if _page_year(src) not in years]
    return result


def _checked_out_and_read(stack: ExitStack, root: Path, revision: Revision) -> _Side:
    """One revision read; a revision git cannot hand over safely (a symbolic link that leaves the folder, which
    ``git archive`` extraction refuses) is a located problem of that side, not a crash."""
    try:
        folder = stack.enter_context(checked_out(root, revision))
    except tarfile.TarError as exc:
        member = getattr(exc, "tarinfo", None)
        if member is not None and (member.issym() or member.islnk()):
            detail = f"{member.name}(指向 {member.linkname})"
            return _Side(revision, problems=[Problem(member.name, None, None, "file-symlink", detail)])
        where = member.name if member is not None else "(git archive)"
        return _Side(revision, problems=[Problem(where, None, None, "file-unreadable", str(exc)[:200])])
    return _read(folder, revision)


def _page_year(src: str) -> int | None:
    match = EDITION_PAGE.match(src)
    return int(match.group(1)) if match else None


def _read(folder: Path, revision: Revision) -> _Side:
    side = _Side(revision, files=_docs_files(folder))
    try:
        site = Site(folder)
    except DataError as exc:
        side.problems = exc.problems
        return side
    except OSError as exc:  # a file git wrote that cannot be read back (permissions, a special file)
        side.problems = [Problem(str(getattr(exc, "filename", "") or folder.name), None, None, "file-unreadable",
                                 exc.strerror or type(exc).__name__)]  # fmt: skip
        return side
    side.report = site.report
    side.pages = rendered_pages(site, folder)
    return side


def _docs_files(folder: Path) -> dict[str, str]:
    """docs/ files that are not pages (and not hidden), by path: their content hash; a link is its own kind."""
    docs = folder / "docs"
    found: dict[str, str] = {}
    for where, dirs, files in os.walk(docs, followlinks=False) if docs.is_dir() else []:
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(where) / name
            if name.startswith(".") or name.endswith(".md"):
                continue
            label = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[label] = "link:" + os.readlink(path)
            elif path.is_file():
                found[label] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# --- Markdown that says only what the data says ------------------------------------------------------------------
LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Characters with a meaning inside a line of CommonMark, GFM or HTML (emphasis, code, links, images, tags, entities,
# table cells, strikethrough, GitHub's math); CommonMark reads a backslash before any of them as the character itself.
# Digits, ".", "%" and Chinese stay as they are. At the start of a line data never stands: every line of the report
# starts with the template's own text.
PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>|#~&$])")
# GitHub's and GitLab's autolinks (https://…, www.…): broken by an escaped "/" or "." that renders the same.
AUTOLINK = re.compile(r"(?<=:)//|(?<=\bwww)\.", re.I)
# A reference or mention GitHub or GitLab would link: @user, #123, !123 (merge request), ~label, %milestone, $snippet,
# &epic. A zero-width space after the sign breaks it; the text reads the same.
REFERENCE = re.compile(r"([@#!~%$&])(?=[\w\"'])")
ZWSP = "\u200b"


def _plain(text) -> str:
    """One line: line breaks as spaces, invisible and direction-changing characters dropped."""
    return CONTROL.sub("", LINE_BREAKS.sub(" ", "" if text is None else str(text)))


def _cell(text) -> str:
    """Data as Markdown text on one line: every character shown as itself, in a table cell or anywhere else."""
    text = PUNCTUATION.sub(r"\\\1", REFERENCE.sub("\\1" + ZWSP, _plain(text)))
    return AUTOLINK.sub(lambda m: "\\/\\/" if m.group(0) == "//" else "\\.", text)


def _code(text, in_table: bool = False) -> str:
    """Data as an inline code span: a fence longer than any run of backticks inside, ``|`` escaped in tables (GFM
    reads ``\\|`` as ``|`` inside code spans of a table cell)."""
    text = _plain(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


def _marked(sentence: SentenceChange) -> tuple[str, str]:
    """Before and after, escaped, with the differing pieces in <b> (CommonMark does not open ``**`` between a Han
    character and punctuation)."""
    a, b = _tokens(sentence.before), _tokens(sentence.after)
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for tokens, out, lo, hi in ((a, out_a, i1, i2), (b, out_b, j1, j2)):
            piece = "".join(tokens[lo:hi])
            text = _cell(piece)
            out.append(text if op == "equal" or not piece.strip() else f"<b>{text}</b>")
    return "".join(out_a), "".join(out_b)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def truncated(text: str, limit: int) -> str:
    """``text`` cut at the last whole line that leaves room for a notice, open <details> closed, when longer than
    ``limit`` UTF-16 code units."""
    if _utf16(text) <= limit:
        return text
    notice = (f"\n\n> ✂️ **报告过长,后面的内容没有贴出**:完整报告共 {_utf16(text):,} 个字符,超过评论上限"
              f" {limit:,}。请在本次检查的附件 nianbao-diff 中查看完整报告(nianbao-diff-full.md),"
              "或在本地运行 make diff BASE=…。\n")  # fmt: skip
    room = limit - _utf16(notice) - 200  # 200: the closing tags
    kept, size = [], 0
    for line in text.splitlines(keepends=True):
        size += _utf16(line)
        if size > room:
            break
        kept.append(line)
    body = "".join(kept).rstrip("\n")
    opened = len(re.findall(r"<details>", body)) - len(re.findall(r"</details>", body))
    return body + "\n\n</details>" * max(opened, 0) + notice


def _template() -> jinja2.Template:
    # Markdown, not HTML: no autoescape; every data string goes through the ``cell`` filter or is escaped already.
    env = jinja2.Environment(loader=jinja2.DictLoader({"report.md": MARKDOWN, "pages": PAGES}), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined, autoescape=False)  # fmt: skip
    env.filters["cell"] = _cell
    env.filters["code"] = _code
    env.filters["code_cell"] = lambda text: _code(text, in_table=True)
    env.filters["marked"] = _marked
    env.filters["errors"] = errors
    return env.get_template("report.md")


MARKDOWN = """\
{{ marker }}
## 年报变更:{{ r.summary | cell }}

比较 {{ r.base.label | code }} → {{ r.head.label | code }}。数值按 catalog.yml 的单位和小数位数显示,变化率 =(新值 − 原值)÷ 原值;\
比率类指标的变化以百分点计。图表、表格和卡片中的数字都来自下列数据,不再逐一列出。

{% for rev, problems in r.failed %}
> ❌ **无法比较:{{ rev.label | cell }} 的数据检查未通过**({{ (problems | errors) | length }} 个错误)。请运行 `make check` 修正:
>
{% for p in problems | errors %}
> - {{ p.file | code }}{% if p.row %} 第 {{ p.row }} 行{% endif %}{% if p.column %} {{ p.column | cell }} 列{% endif %}:\
{{ p.message | cell }}
{% endfor %}

{% endfor %}
{% if r.corrections %}
> ⚠️ **勘误:本次修改改动了已经发布的年报。**
>
{% for e in r.corrections %}
> - **{{ e.year }}年报**({{ e.published | cell }} 发布):{{ e.counts_text() | cell }}。\
{% if e.unexplained %}figures.csv 的 note 列没有写明改动原因:{{ e.unexplained | join("、") | cell }}。{% endif %}

{% endfor %}
>
> 已发布年报的每一处改动都是勘误:须在改动行的 note 列写明原因,经审核人批准后合并;网站保留各年报的修订记录。\
详见 CONTRIBUTING.md。

{% endif %}
{% if not r.has_changes and not r.failed %}
数据、指标目录和页面中的数字都没有变化。
{% endif %}
{% for e in r.editions %}
### {{ e.year }}年报({{ e.state_text | cell }})

{% if e.data.meta %}
| edition.yml | 原 | 新 |
|---|---|---|
{% for f in e.data.meta %}
| {{ f.label | cell }} | {{ f.old | cell }} | {{ f.new | cell }} |
{% endfor %}

{% endif %}
{% set changed = e.figures(CHANGED) %}
{% if changed %}
**数据修改**({{ changed | length }} 项)

| 指标 | 时期 | 分组 | 原值 | 新值 | 变化 | 变化率 | 备注 |
|---|---|---|--:|--:|--:|--:|---|
{% for f in changed %}
| {{ f.name | cell }} | {{ f.period }}年 | {{ f.breakdown_text | cell }} | {{ f.old_text | cell }} | \
{{ f.new_text | cell }} | {{ f.change_text | cell }} | {{ f.relative_text | cell }} | {{ f.remarks | join(";") | cell }} |
{% endfor %}

{% endif %}
{% for kind, title in ((ADDED, "新增数据"), (REMOVED, "删除数据")) %}
{% set items = e.figures(kind) %}
{% if items %}
{% if items | length > 12 %}<details><summary>{{ title }}({{ items | length }} 项)</summary>

{% else %}**{{ title }}**({{ items | length }} 项)

{% endif %}
| 指标 | 时期 | 分组 | 数值 | 备注 |
|---|---|---|--:|---|
{% for f in items %}
| {{ f.name | cell }} | {{ f.period }}年 | {{ f.breakdown_text | cell }} | {{ (f.new_text or f.old_text) | cell }} | \
{{ f.remarks | join(";") | cell }} |
{% endfor %}
{% if items | length > 12 %}

</details>
{% endif %}

{% endif %}
{% endfor %}
{% if e.data.targets %}
**目标**({{ e.data.targets | length }} 项)

| 指标 | 目标年份 | 原目标 | 新目标 | 备注 |
|---|---|---|---|---|
{% for t in e.data.targets %}
| {{ t.name | cell }} | {{ t.period }}年 | {{ (t.old_text or "(无)") | cell }} | {{ (t.new_text or "(删除)") | cell }} | \
{{ t.remarks | join(";") | cell }} |
{% endfor %}

{% endif %}
{% if e.data.projects %}
**签约项目**({{ e.data.projects | length }} 项)

| 项目 | 原 | 新 |
|---|---|---|
{% for p in e.data.projects %}
{% if p.fields %}
| {{ p.name | cell }} | {% for f in p.fields %}{{ f.label | cell }}:{{ f.old | cell }}{% if not loop.last %};{% endif %}{% endfor %} | \
{% for f in p.fields %}{{ f.label | cell }}:{{ f.new | cell }}{% if not loop.last %};{% endif %}{% endfor %} |
{% else %}
| {{ p.name | cell }} | {{ (p.old_text or "(无)") | cell }} | {{ (p.new_text or "(删除)") | cell }} |
{% endif %}
{% endfor %}

{% endif %}
{% for page in e.pages %}
{% include "pages" %}
{% endfor %}
{% endfor %}
{% if r.catalog %}
### 指标目录(data/catalog.yml)

| 指标 | 项目 | 原 | 新 |
|---|---|---|---|
{% for id, name in r.catalog.added %}
| {{ name | cell }}({{ id | code_cell }}) | 新增指标 | | |
{% endfor %}
{% for id, name in r.catalog.removed %}
| {{ name | cell }}({{ id | code_cell }}) | 删除指标 | | |
{% endfor %}
{% for id, name, changes in r.catalog.changed %}
{% for f in changes %}
| {{ name | cell }}({{ id | code_cell }}) | {{ f.label | cell }} | {{ f.old | cell }} | {{ f.new | cell }} |
{% endfor %}
{% endfor %}
{% for id, name, changes in r.catalog.dimensions %}
{% for f in changes %}
| 分组维度 {{ name | cell }}({{ id | code_cell }}) | {{ f.label | cell }} | {{ f.old | cell }} | {{ f.new | cell }} |
{% endfor %}
{% endfor %}

{% endif %}
{% if r.park %}
### 园区信息(data/park.yml)

| 项目 | 原 | 新 |
|---|---|---|
{% for f in r.park %}
| {{ f.label | cell }} | {{ f.old | cell }} | {{ f.new | cell }} |
{% endfor %}

{% endif %}
{% if r.files %}
### docs/ 中不是页面的文件

这些文件会原样发布到网站上,请逐个打开查看。

| 文件 | 改动 |
|---|---|
{% for path, state in r.files %}
| {{ path | code_cell }} | {{ {ADDED: "新增", CHANGED: "修改", REMOVED: "删除"}[state] }} |
{% endfor %}

{% endif %}
{% if r.other_pages %}
### 其他页面

{% for page in r.other_pages %}
{% include "pages" %}
{% endfor %}
{% endif %}
"""

PAGES = """\
{% if page.state == "added" %}
新页面 {{ page.path | code }}。

{% elif page.state == "removed" %}
删除页面 {{ page.path | code }}。

{% elif page.sentences %}
**{{ page.path | code }} 中数字变化的句子**{{ "(另有 %d 句只改了文字,见文件改动)" % page.reworded if page.reworded else "" }}

| 原文 | 修改后 |
|---|---|
{% for s in page.sentences %}
{% set before, after = s | marked %}
| {{ before or "(新增)" }} | {{ after or "(删除)" }} |
{% endfor %}

{% else %}
{{ page.path | code }}:{{ page.reworded }} 句只改了文字,数字没有变化(见文件改动)。

{% endif %}
"""

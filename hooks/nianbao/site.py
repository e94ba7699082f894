"""Everything a site generator needs from the engine, independent of the generator.

The MkDocs adapter (hooks/mkdocs_hooks.py) calls these; a move to another generator replaces only the adapter.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .blocks import DOWNLOADS_PAGE, REVISIONS_PAGE, TARGETS_PAGE, indicator_page_path
from .escape import front_matter_text, markdown_text
from .frontmatter import read_front_matter
from .htmlpolicy import PagePolicy, may_hold_markup
from .loader import load_report_or_raise
from .model import Edition
from .opendata import downloads
from .problems import DataError, Problem
from .prose import Link, PageRenderer, RenderedPage, lint_placeholders
from .vendor import IFRAME_WORKER_SITE_PATH, SITE_PATH, iframe_worker_shim, plotly_bundle

EDITION_PAGE = re.compile(r"^(\d{4})/")
SUMMARY_PAGE = re.compile(r"^\d{4}/summary\.md$")
# The block templates ship in the repository's overrides/ (the engine is installed in editable mode from it).
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "partials" / "nianbao"


def template_dir_for(root: Path, custom_dir: str | None = None) -> Path:
    """The project's own block templates if it has them, else the ones shipped with nianbao."""
    candidate = Path(root) / (custom_dir or "overrides") / "partials" / "nianbao"
    return candidate if candidate.is_dir() else DEFAULT_TEMPLATES


class Site:
    def __init__(self, root: Path, template_dir: Path | None = None):
        self.root = Path(root)
        template_dir = template_dir or template_dir_for(self.root)
        self.report, self.warnings = load_report_or_raise(self.root)
        self.renderer = PageRenderer(self.report, template_dir)

    def edition_for(self, src_path: str) -> Edition | None:
        match = EDITION_PAGE.match(src_path)
        return self.report.editions.get(int(match.group(1))) if match else None

    def generated_pages(self) -> dict[str, str]:
        """Markdown of the pages the engine adds: overviews, downloads, and one page per indicator."""
        pages = {
            "indicators/index.md": "---\ntitle: 指标\n---\n\n# 全部指标\n\n{{ indicator_index() }}\n",
            TARGETS_PAGE: "---\ntitle: 目标完成情况\n---\n\n# 历年目标完成情况\n\n{{ targets_overview() }}\n",
            REVISIONS_PAGE: "---\ntitle: 数据修订记录\n---\n\n# 数据修订记录\n\n{{ revisions_overview() }}\n",
            DOWNLOADS_PAGE: "---\ntitle: 数据下载\n---\n\n# 数据下载\n\n{{ downloads_page() }}\n",
        }
        for ind in self.report.catalog.indicators.values():
            pages[indicator_page_path(ind.id)] = (
                f"---\ntitle: {front_matter_text(ind.name)}\n---\n\n# {markdown_text(ind.name)}\n\n"
                f"{{{{ indicator_detail(\"{ind.id}\") }}}}\n"  # names are data: escaped, never parsed as syntax
            )
        return pages

    def generated_files(self) -> dict[str, bytes]:
        """Site path -> bytes: the data downloads (CSV for spreadsheets, XLSX, datapackage.json)."""
        return downloads(self.report)

    def static_files(self) -> dict[str, Path]:
        """Site path -> source file: the browser libraries fetched at set-up."""
        files: dict[str, Path] = {}
        files[SITE_PATH] = plotly_bundle(self.root)[0]
        shim = iframe_worker_shim(self.root)
        if shim is not None:
            files[IFRAME_WORKER_SITE_PATH] = shim
        return files

    def bundle_warning(self) -> str | None:
        return plotly_bundle(self.root)[1]

    def render_page(self, src_path: str, markdown: str, link: Link, line_offset: int = 0) -> RenderedPage:
        label = f"docs/{src_path}" if not src_path.startswith("indicators/") else f"(生成页面){src_path}"
        prefix = "nb-" + re.sub(r"[^a-z0-9]+", "-", src_path.lower().removesuffix(".md")).strip("-")
        if SUMMARY_PAGE.match(src_path) and "revision_notes(" not in markdown:
            # Revisions are shown on both editions' summaries whether or not the page's author asked for them.
            markdown += "\n\n{{ revision_notes() }}\n"
        authored = src_path not in self._generated_paths
        page = self.renderer.render(markdown, label, self.edition_for(src_path), link, prefix, line_offset, authored)
        # The engine's own pages are its templates' markup with every data string escaped; a page whose text shows no
        # sign of markup renders only that and plain Markdown (htmlpolicy.may_hold_markup).
        if authored and may_hold_markup(markdown):
            page.problems += self.policy.page_problems(markdown, page.markdown, label, line_offset)
        return page

    @functools.cached_property
    def policy(self) -> PagePolicy:
        """What a page's rendered HTML may contain; its Markdown converter is made when a page first needs it."""
        return PagePolicy(self.root)

    @functools.cached_property
    def _generated_paths(self) -> frozenset[str]:
        return frozenset(self.generated_pages())

    @property
    def park(self) -> dict:
        return self.report.park


def page_problems(pages: list[RenderedPage]) -> list[Problem]:
    return [p for page in pages for p in page.problems]


def collect_problems(root: Path, template_dir: Path | None = None) -> list[Problem]:
    """Check the data, then render every page (written and generated) to check the prose, without building.

    One sentence may call a missing figure three times (value, growth, completion): each problem is listed once.
    """
    try:
        site = Site(root, template_dir)
    except DataError as exc:
        # The pages cannot render without data, but what is left to write in them is known already: one round.
        docs = Path(root) / "docs"
        marks = [p for path in sorted(docs.rglob("*.md")) if path.is_file() and not path.is_symlink()
                 for p in _placeholders_of(path, f"docs/{path.relative_to(docs).as_posix()}")]  # fmt: skip
        return list(exc.problems) + marks
    problems = list(site.warnings)
    docs = Path(root) / "docs"
    pages = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    for src, raw in pages.items():
        offset = front_matter_lines(raw)
        body = "\n".join(raw.splitlines()[offset:]) if offset else raw
        problems += site.render_page(src, body, lambda target: target, offset).problems
    for src, body in site.generated_pages().items():
        problems += site.render_page(src, body, lambda target: target).problems
    return list(dict.fromkeys(problems))


def _placeholders_of(path: Path, label: str) -> list[Problem]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported by the checks of the pages
    offset = front_matter_lines(raw)
    return lint_placeholders("\n".join(raw.splitlines()[offset:]) if offset else raw, label, offset)


def site_title(park: dict) -> str:
    """The site's name in its header and <title>: park.yml's title, else the organisation's name and 年度工作报告."""
    return park.get("title") or f"{park.get('name', '')}年度工作报告"


def front_matter_lines(raw: str) -> int:
    """Lines taken by a YAML front matter block (and the blank lines MkDocs drops after it), so prose problems point
    at the line in the file."""
    return read_front_matter(raw).lines


def order_navigation(items: list) -> None:
    """Sort a navigation in place: edition sections (titled by year) newest first, parts in report order.

    Works on any objects with ``title`` and, for sections, ``children`` — MkDocs' nav items have both.
    """
    from .blocks import PARTS

    part_order = {part: n for n, (part, _) in enumerate(PARTS)}

    extra_pages = {"targets": 0, "revisions": 1, "data": 2}

    def key(item) -> tuple:
        title = str(getattr(item, "title", "") or "")
        year = re.match(r"^(\d{4})", title)
        if getattr(item, "children", None) is None:
            stem = _stem(item)
            return (0, 0, "") if stem == "index" else (3, extra_pages.get(stem, 9), stem)
        return (1, -int(year.group(1)), title) if year else (2, 0, title)

    items.sort(key=key)
    for item in items:
        title = str(getattr(item, "title", "") or "")
        children = getattr(item, "children", None)
        if children is None:
            continue
        if re.fullmatch(r"\d{4}", title):
            item.title = f"{title}年报"
            # Page titles are not read yet when the navigation is built: order by file name.
            children.sort(key=lambda c: part_order.get(_stem(c), 9))
        elif title.lower() == "indicators":
            # One entry for the indicator index; the indicator pages are reached from it, not from the sidebar.
            item.title = "指标"
            children[:] = [c for c in children if _stem(c) == "index"]


def _stem(item) -> str:
    file = getattr(item, "file", None)
    return Path(file.src_uri).stem if file is not None else ""

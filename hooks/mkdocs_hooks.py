"""MkDocs adapter: short event functions that hand every real job to the ``nianbao`` engine.

Only this file knows MkDocs. Data errors stop the build with one table of every problem (PluginError, no traceback);
prose warnings go to a ``mkdocs.*`` logger so that ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from nianbao.pdf import downloads as pdf_downloads
from nianbao.problems import DataError, errors, format_table
from nianbao.search_terms import initialize_segmenter, register_terms
from nianbao.site import Site, front_matter_lines, order_navigation, template_dir_for

log = logging.getLogger("mkdocs.hooks.nianbao")

# mkdocs serve keeps hook modules loaded between rebuilds; state is rebuilt in on_config each time.
_state: dict = {}


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    finally:
        _state["engine_seconds"] = _state.get("engine_seconds", 0.0) + time.perf_counter() - start


def on_config(config):
    _state.clear()
    _state["build_start"] = time.perf_counter()
    root = Path(config.config_file_path).parent
    template_dir = template_dir_for(root, config.theme.custom_dir)
    try:
        site = _timed(Site, root, template_dir)
    except DataError as exc:
        raise PluginError("数据检查未通过,网站没有生成:\n" + format_table(exc.problems)) from None
    for problem in site.warnings:
        log.warning("%s:%s %s %s", problem.file, problem.row or "", problem.code, problem.message)
    if site.bundle_warning():
        log.info(site.bundle_warning())
    initialize_segmenter()  # the search plugin's own start-up cost, moved earlier: not counted as engine time
    _timed(register_terms, site.report.catalog)  # before the search plugin segments the pages
    _state["site"] = site
    _state["problems"] = []
    config.extra["nianbao"] = {"park": site.park, "editions": site.report.years, "pdf": pdf_downloads(site.report)}
    return config


def on_files(files, config):
    site: Site = _state["site"]
    for path, content in _timed(site.generated_pages).items():
        files.append(File.generated(config, path, content=content))
    for path, content in _timed(site.generated_files).items():
        files.append(File.generated(config, path, content=content))
    for path, source in site.static_files().items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


@event_priority(50)  # before other plugins read the Markdown
def on_page_markdown(markdown, page, config, files):
    site: Site = _state["site"]
    src = page.file.src_uri

    def link(target: str) -> str:
        target_file = files.get_file_from_path(target)
        url = target_file.url if target_file else target
        return get_relative_url(url, page.url)

    offset = 0 if page.file.generated_by else front_matter_lines(page.file.content_string)
    rendered = _timed(site.render_page, src, markdown, link, offset)
    for problem in rendered.problems:
        if not problem.is_error:
            log.warning("%s:%s %s %s。%s", problem.file, problem.row or "", problem.code, problem.message,
                        problem.advice)  # fmt: skip
    _state["problems"].extend(p for p in rendered.problems if p.is_error)
    page.meta["nianbao_charts"] = rendered.uses_charts
    edition = site.edition_for(src)
    page.meta["nianbao_edition"] = edition.year if edition else None
    return rendered.markdown


def on_nav(nav, config, files):
    """Newest edition first; inside an edition, the three parts in report order."""
    _timed(order_navigation, nav.items)
    return nav


def on_env(env, config, files):
    # Every page's Markdown has been rendered by now and none has been written yet: stop here on any error.
    problems = _state.get("problems", [])
    if errors(problems):
        raise PluginError("页面中的数据引用有误,网站没有生成:\n" + format_table(problems))
    return env


def on_post_build(config):
    timings_file = os.environ.get("NIANBAO_TIMINGS")
    if timings_file:
        Path(timings_file).write_text(json.dumps({
            "engine_seconds": _state.get("engine_seconds", 0.0),
            "build_seconds": time.perf_counter() - _state["build_start"],
        }))  # fmt: skip

"""MkDocs adapter: short event functions that hand every real job to the ``nianbao`` engine.

Only this file knows MkDocs. Data errors stop the build with one table of every problem (PluginError, no traceback);
prose warnings go to a ``mkdocs.*`` logger so that ``mkdocs build --strict`` fails on them. Under ``mkdocs serve``
nothing stops: the same problems go to the terminal and onto the previewed pages (``nianbao.preview``), and the next
save that fixes them recovers.
"""

from __future__ import annotations

import html
import json
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from nianbao.builddate import BuildDateError, ensure_source_date_epoch
from nianbao.escape import LogLines, log_block
from nianbao.pdf import downloads as pdf_downloads
from nianbao.preview import data_error_page, with_page_problems
from nianbao.problems import DataError, errors, format_table
from nianbao.search_terms import initialize_segmenter, register_terms
from nianbao.site import Site, front_matter_lines, order_navigation, site_title, template_dir_for

log = logging.getLogger("mkdocs.hooks.nianbao")
LogLines.install(log)  # data in a message never starts a log line of its own with ::error … (a workflow command)

# mkdocs serve keeps hook modules loaded between rebuilds; state is rebuilt in on_config each time.
_state: dict = {}
# What must outlive a rebuild: whether this process is `mkdocs serve`, and the generated pages of the last good build
# (while the data is broken they stay, showing the problems, instead of turning into 404s under the reader).
_serve: dict = {"serving": False, "pages": set()}


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    finally:
        _state["engine_seconds"] = _state.get("engine_seconds", 0.0) + time.perf_counter() - start


def on_startup(command, dirty):
    _serve["serving"] = command == "serve"


def on_config(config):
    _state.clear()
    _state["build_start"] = time.perf_counter()
    root = Path(config.config_file_path).parent
    try:
        ensure_source_date_epoch(root)  # sitemap dates from the last commit, not the clock, however the build is started
    except BuildDateError as exc:
        raise PluginError(str(exc)) from None
    template_dir = template_dir_for(root, config.theme.custom_dir)
    try:
        site = _timed(Site, root, template_dir)
    except DataError as exc:
        if not _serve["serving"]:
            raise PluginError(log_block("数据检查未通过,网站没有生成:\n" + format_table(exc.problems))) from None
        log.error("数据检查未通过,预览的每一页都列出了这些问题:\n%s", format_table(exc.problems))
        _state.update(site=None, problems=[], data_problems=exc.problems)
        config.extra["nianbao"] = {"park": {}, "editions": [], "pdf": {}}
        return config
    for problem in site.warnings:
        report = log.info if problem.is_notice else log.warning  # notices are for the record, never fail --strict
        report("%s:%s %s %s", problem.file, problem.row or "", problem.code, problem.message)
    if site.bundle_warning():
        log.info(site.bundle_warning())
    initialize_segmenter()  # the search plugin's own start-up cost, moved earlier: not counted as engine time
    _timed(register_terms, site.report.catalog)  # before the search plugin segments the pages
    _state["site"] = site
    _state["problems"] = []
    config.extra["nianbao"] = {"park": site.park, "editions": site.report.years, "pdf": pdf_downloads(site.report)}
    # Nothing of a park lives in mkdocs.yml. The theme prints site_name unescaped (header, <title>): escape it here.
    config.site_name = html.escape(site_title(site.park))
    return config


def on_files(files, config):
    site: Site = _state["site"]
    if site is None:  # serve, data broken: the last good build's generated pages stay, showing the problems
        for path in sorted(_serve["pages"]):
            files.append(File.generated(config, path, content="# 数据检查未通过\n"))
        return files
    if _serve["serving"]:
        _serve["pages"] = set(site.generated_pages())
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
    if site is None:
        page.meta.update(nianbao_charts=False, nianbao_edition=None)
        return data_error_page(_state["data_problems"])
    src = page.file.src_uri

    def link(target: str) -> str:
        target_file = files.get_file_from_path(target)
        url = target_file.url if target_file else target
        return get_relative_url(url, page.url)

    offset = 0 if page.file.generated_by else front_matter_lines(page.file.content_string)
    rendered = _timed(site.render_page, src, markdown, link, offset)
    for problem in rendered.problems:
        if problem.is_notice:
            log.info("%s:%s %s %s", problem.file, problem.row or "", problem.code, problem.message)
        elif not problem.is_error:
            log.warning("%s:%s %s %s。%s", problem.file, problem.row or "", problem.code, problem.message,
                        problem.advice)  # fmt: skip
    _state["problems"].extend(p for p in rendered.problems if p.is_error)
    page.meta["nianbao_charts"] = rendered.uses_charts
    edition = site.edition_for(src)
    page.meta["nianbao_edition"] = edition.year if edition else None
    return with_page_problems(rendered.markdown, rendered.problems) if _serve["serving"] else rendered.markdown


def on_nav(nav, config, files):
    """Newest edition first; inside an edition, the three parts in report order."""
    _timed(order_navigation, nav.items)
    return nav


def on_env(env, config, files):
    # Every page's Markdown has been rendered by now and none has been written yet: stop here on any error.
    problems = _state.get("problems", [])
    if errors(problems) and _serve["serving"]:
        log.error("页面中的数据引用有误,出错的页面顶部列出了这些问题:\n%s", format_table(problems))
    elif errors(problems):
        raise PluginError(log_block("页面中的数据引用有误,网站没有生成:\n" + format_table(problems)))
    return env


def on_post_page(output, page, config):
    # The preview keeps the page's policy: mkdocs serve's inline live-reload script is blocked, and a script file does
    # its job, given this build's stamp on the server's clock (mkdocs.livereload counts builds in monotonic ms).
    if _serve["serving"]:
        src = get_relative_url("assets/javascripts/nianbao-livereload.js", page.url)
        tag = f'<script src="{src}" data-nb-epoch="{round(time.monotonic() * 1000)}"></script>'
        at = output.rfind("</body>")
        return output[:at] + tag + output[at:] if at >= 0 else output + tag
    return output


def on_post_build(config):
    timings_file = os.environ.get("NIANBAO_TIMINGS")
    if timings_file:
        Path(timings_file).write_text(json.dumps({
            "engine_seconds": _state.get("engine_seconds", 0.0),
            "build_seconds": time.perf_counter() - _state["build_start"],
        }))  # fmt: skip

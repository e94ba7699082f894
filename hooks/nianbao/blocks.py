"""Blocks a page can place: headline cards, charts, tables, target reviews, problems found in the data.

Python computes each block's context here; the Jinja templates in ``overrides/partials/nianbao/`` write the markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup

from .charts import ChartMaker
from .facts import Facts, MissingFigure, target_text
from .numbers import (
    format_growth,
    format_number,
    format_percent,
    format_point_change,
    format_points,
    format_value,
    growth_rate,
    share,
)
from .opendata import download_name, workbook_path

Link = Callable[[str], str]  # docs-relative source path -> URL relative to the current page


@dataclass(frozen=True)
class Card:
    name: str
    value: str
    growth: str
    trend: str  # up | down | flat | none
    tone: str  # good | bad | neutral
    estimated: bool
    href: str


@dataclass(frozen=True)
class Finding:
    kind: str  # fell | target-missed | below-average
    text: str
    href: str


TARGETS_PAGE = "targets.md"
REVISIONS_PAGE = "revisions.md"
DOWNLOADS_PAGE = "data.md"


def indicator_page_path(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def edition_page_path(year: int, part: str) -> str:
    return f"{year}/{part}.md"


PARTS = (("summary", "工作总结"), ("problems", "存在的问题"), ("plan", "工作规划"))


def template_environment(template_dir: Path) -> jinja2.Environment:
    """Templates are ours (trusted), data inside them is not: autoescape everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


class Blocks:
    def __init__(self, facts: Facts, env: jinja2.Environment, link: Link, id_prefix: str):
        self.facts = facts
        self.report = facts.report
        self.env = env
        self.link = link
        self.charts = ChartMaker(facts, id_prefix)
        self.uses_charts = False

    def _render(self, name: str, **context) -> Markup:
        html = self.env.get_template(name).render(**context)
        # Blank lines around keep Python-Markdown treating the block as raw HTML; no blank line inside it.
        body = "\n".join(line for line in html.splitlines() if line.strip())
        return Markup(f"\n\n{body}\n\n")

    # --- headline cards --------------------------------------------------------------------------------------
    def headline_cards(self) -> Markup:
        cards = []
        for ind in self.report.catalog.headlines:
            fig = self.facts.edition.figure(ind.id)
            if fig is None:
                continue
            rate = self.facts.growth_or_none(ind.id)
            cards.append(self._card(ind, fig, rate))
        return self._render("cards.html", cards=cards, year=self.facts.edition.year)

    def _card(self, ind, fig, rate: Decimal | None) -> Card:
        if rate is None:
            trend, tone = "none", "neutral"
        else:
            rounded = format_growth(rate)
            trend = "flat" if "持平" in rounded else ("up" if rate > 0 else "down")
            good = (trend == "up" and ind.good == "up") or (trend == "down" and ind.good == "down")
            bad = (trend == "down" and ind.good == "up") or (trend == "up" and ind.good == "down")
            tone = "good" if good else ("bad" if bad else "neutral")
        return Card(ind.name, format_value(fig.value, ind.unit, ind.decimals), format_growth(rate), trend, tone,
                    fig.estimated, self.link(indicator_page_path(ind.id)))  # fmt: skip

    # --- charts ----------------------------------------------------------------------------------------------
    def chart(self, kind: str, indicators, breakdown: str | None = None, years: int | None = None,
              title: str | None = None) -> Markup:  # fmt: skip
        view = self.charts.make(kind, indicators, breakdown=breakdown, years=years, title=title)
        self.uses_charts = True
        return self._render("chart.html", chart=view, downloads=self._downloads())

    def _downloads(self, year: int | None = None) -> dict:
        year = year or self.facts.edition.year
        return {
            "csv": self.link(f"data/{year}/figures.csv"),
            "xlsx": self.link(workbook_path(year)),
            "xlsx_name": download_name(self.report, year, ".xlsx"),
            "csv_name": download_name(self.report, year, ".csv"),
            "page": self.link(DOWNLOADS_PAGE),
            "year": year,
        }

    def target_charts(self) -> Markup:
        views = []
        for target in self.facts.targets_set():
            try:
                views.append(self.charts.target_chart(target))
            except MissingFigure:
                continue  # a target for an indicator without history has nothing to draw against
        if views:
            self.uses_charts = True
        return self._render("chart_group.html", charts=views, downloads=self._downloads())

    # --- tables ----------------------------------------------------------------------------------------------
    def breakdown_table(self, indicator_id: str, dimension_id: str) -> Markup:
        ind = self.facts.indicator(indicator_id)
        dim = self.report.catalog.dimensions.get(dimension_id)
        if dim is None or dimension_id not in ind.breakdowns:
            raise MissingFigure(f"{ind.name}没有按“{dimension_id}”分组的数据")
        total = self.facts.figure(indicator_id)
        year = self.facts.edition.year
        rows = []
        for member in dim.members:
            cur = self.facts.edition.figure(indicator_id, year, member)
            if cur is None:
                continue
            prev = self.facts.edition.figure(indicator_id, year - 1, member)
            rows.append({
                "member": member,
                "previous": format_number(prev.value, ind.decimals) if prev else "—",
                "current": format_number(cur.value, ind.decimals),
                "growth": format_growth(self.facts.growth_or_none(indicator_id, year, member), prefix=""),
                "share": format_percent(share(cur.value, total.value)) if total.value else "—",
            })  # fmt: skip
        shown = sum((self.facts.edition.figure(indicator_id, year, r["member"]).value for r in rows), Decimal(0))
        discrepancy = self.facts.discrepancy_note(indicator_id)  # a published total its parts do not make
        rounding_note = format_number(shown, ind.decimals) != format_number(total.value, ind.decimals)
        return self._render("breakdown_table.html", indicator=ind, dimension=dim, rows=rows, year=year,
                            downloads=self._downloads(),
                            total=format_number(total.value, ind.decimals), complete=dim.complete,
                            rounding_note=rounding_note and dim.complete and not discrepancy,
                            discrepancy=discrepancy,
                            share_header=f"占{dim.whole}比重" if dim.whole else "占比",
                            # A one-year edition (a first report, a yearbook) has no last-year column to show.
                            has_previous=any(r["previous"] != "—" for r in rows),
                            has_growth=any(r["growth"] != "无上年可比数据" for r in rows),
                            previous_total=self._previous_total(indicator_id),
                            total_growth=format_growth(self.facts.growth_or_none(indicator_id), prefix=""),
                            current_label=self.facts.edition.period_label(year),
                            previous_label=self.facts.edition.period_label(year - 1))  # fmt: skip

    def _previous_total(self, indicator_id: str) -> str:
        ind = self.facts.indicator(indicator_id)
        fig = self.facts.edition.figure(indicator_id, self.facts.edition.year - 1)
        return format_number(fig.value, ind.decimals) if fig else "—"

    def target_review(self) -> Markup:
        results = [self.facts.judge(t) for t in self.facts.targets_due()]
        return self._render("target_review.html", results=results, year=self.facts.edition.year,
                            overview=self.link(TARGETS_PAGE), downloads=self._downloads(),
                            link=lambda r: self.link(indicator_page_path(r.indicator.id)))  # fmt: skip

    def target_table(self) -> Markup:
        rows = []
        for t in self.facts.targets_set():
            ind = self.facts.indicator(t.indicator)
            base = self.facts.edition.figure(t.indicator)
            if base is None:
                implied = "—"
                base_text = "—"
            elif t.is_growth:
                base_text = format_value(base.value, ind.unit, ind.decimals)
                implied = "约" + format_value(base.value * (1 + t.value / 100), ind.unit, ind.decimals)
            else:
                base_text = format_value(base.value, ind.unit, ind.decimals)
                implied = format_growth(growth_rate(t.value, base.value), prefix="")
            rows.append({"name": ind.name, "href": self.link(indicator_page_path(ind.id)), "period": t.period,
                         "measure": t.measure, "target": target_text(t, ind), "qualifier": t.qualifier,
                         "base": base_text, "implied": implied, "note": t.note})  # fmt: skip
        return self._render("target_table.html", rows=rows, year=self.facts.edition.year,
                            overview=self.link(TARGETS_PAGE), downloads=self._downloads())

    # --- problems the data shows -----------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        year = self.facts.edition.year
        for ind in self.report.catalog.indicators.values():
            if ind.good == "neutral" or ind.is_derived:
                continue
            rate = self.facts.growth_or_none(ind.id)
            if rate is None or format_growth(rate) == "与上年持平":
                continue
            if (rate < 0 and ind.good == "up") or (rate > 0 and ind.good == "down"):
                # A rate's change is told in 百分点 (12.0% → 10.8% fell 1.2 points, not 10%).
                change = (f"比上年{format_point_change(self.facts.points_change(ind.id), ind.decimals)}"
                          if ind.unit == "%" else format_growth(rate))  # fmt: skip
                found.append(Finding("fell", f"{ind.name}{self.facts.value_text(ind.id)},{change}。",
                                     self.link(indicator_page_path(ind.id))))  # fmt: skip
        for result in (self.facts.judge(t) for t in self.facts.targets_due()):
            if result.met is False:
                found.append(Finding("target-missed", f"{result.indicator.name}未完成年初目标:目标{result.target_text},"
                                     f"实际{result.actual_text}({result.completion_text})。",
                                     self.link(indicator_page_path(result.indicator.id))))  # fmt: skip
        for ind in self.report.catalog.indicators.values():
            whole = self.facts.growth_or_none(ind.id)
            if whole is None or ind.good != "up":
                continue
            for dim_id in ind.breakdowns:
                for member in self.report.catalog.dimensions[dim_id].members:
                    part = self.facts.growth_or_none(ind.id, year, member)
                    if part is not None and format_points(part - whole).startswith("低于"):
                        found.append(Finding("below-average",
                                             f"{member}{ind.name}{format_growth(part)},"
                                             f"{format_points(part - whole)}。",
                                             self.link(indicator_page_path(ind.id))))  # fmt: skip
        return found

    def data_problems(self) -> Markup:
        return self._render("data_problems.html", findings=self.findings(), year=self.facts.edition.year)

    # --- navigation ------------------------------------------------------------------------------------------
    def edition_list(self) -> Markup:
        editions = []
        for year in sorted(self.report.editions, reverse=True):
            e = self.report.editions[year]
            editions.append({"year": year, "title": e.title, "published": e.published,
                             "parts": [(label, self.link(edition_page_path(year, part))) for part, label in PARTS]})  # fmt: skip
        return self._render("edition_list.html", editions=editions)

    # --- indicator pages -------------------------------------------------------------------------------------
    def indicator_detail(self, indicator_id: str) -> Markup:
        ind = self.facts.indicator(indicator_id)
        series = self.report.series(ind.id)
        revisions = {(r.period, r.breakdown): r for r in self.report.revisions(ind.id)}
        rows = []
        for fig in reversed(series):
            rev = revisions.get((fig.period, None))
            rows.append({
                "period": fig.period,
                "label": self.charts.x_label(fig),
                "value": format_number(fig.value, ind.decimals),
                "status": fig.status,
                "edition": fig.edition,
                "href": self.link(edition_page_path(fig.edition, "summary")),
                "revision": None if rev is None else {
                    "earlier": format_number(rev.earlier_value, ind.decimals),
                    "earlier_edition": rev.earlier_edition,
                    "note": rev.note,
                },
            })  # fmt: skip
        all_revisions = [
            {"period": r.period, "breakdown": r.breakdown or "合计", "earlier_edition": r.earlier_edition,
             "earlier": format_number(r.earlier_value, ind.decimals), "later_edition": r.later_edition,
             "later": format_number(r.later_value, ind.decimals), "note": r.note}
            for r in self.report.revisions(ind.id)
        ]  # fmt: skip
        chart = None
        if series:
            chart = self.charts._history(ind.chart_kind, [ind.id], None, f"{ind.name}历年数据")
            self.uses_charts = True
        dims = [self.report.catalog.dimensions[d].name for d in ind.breakdowns]
        return self._render("indicator.html", indicator=ind, rows=rows, revisions=all_revisions, chart=chart,
                            dimensions=dims, downloads=self._downloads())  # fmt: skip

    def indicator_index(self) -> Markup:
        kinds = {"amount": "金额", "count": "数量", "area": "面积", "length": "长度", "ratio": "比率", "index": "指数"}
        groups: dict[str, list] = {}
        for ind in self.report.catalog.indicators.values():
            latest = self.report.series(ind.id)
            groups.setdefault(kinds[ind.kind], []).append({
                "name": ind.name, "unit": ind.unit, "href": self.link(indicator_page_path(ind.id)),
                "latest": (f"{format_number(latest[-1].value, ind.decimals)}({self.report.period_label(latest[-1])})"
                           if latest else "—"),
            })  # fmt: skip
        return self._render("indicator_index.html", groups=groups)

    # --- site-wide overviews -------------------------------------------------------------------------------------
    def targets_overview(self) -> Markup:
        """Every target set in any edition, judged by the edition of its year when that exists."""
        editions = []
        for year in sorted(self.report.editions, reverse=True):
            edition = self.report.editions[year]
            if not edition.targets:
                continue
            facts = Facts(self.report, edition)
            results = [facts.judge(t) for t in edition.targets]
            editions.append({
                "year": year, "title": edition.title, "results": results,
                "plan": self.link(edition_page_path(year, "plan")),
                "judged_in": self.link(edition_page_path(year + 1, "summary")) if year + 1 in self.report.editions else None,
                "counts": {s: sum(1 for r in results if r.met is s) for s in (True, False, None)},
            })  # fmt: skip
        return self._render("targets_overview.html", editions=editions,
                            link=lambda r: self.link(indicator_page_path(r.indicator.id)))  # fmt: skip

    def _revision_rows(self, revisions) -> list[dict]:
        rows = []
        for r in revisions:
            ind = self.report.catalog.indicators[r.indicator]
            rows.append({
                "name": ind.name, "href": self.link(indicator_page_path(ind.id)), "period": r.period,
                "breakdown": r.breakdown or "合计", "unit": ind.unit,
                "earlier": format_number(r.earlier_value, ind.decimals), "earlier_edition": r.earlier_edition,
                "earlier_href": self.link(edition_page_path(r.earlier_edition, "summary")),
                "later": format_number(r.later_value, ind.decimals), "later_edition": r.later_edition,
                "later_href": self.link(edition_page_path(r.later_edition, "summary")),
                "change": (format_point_change(r.later_value - r.earlier_value, ind.decimals) if ind.unit == "%"
                           else format_growth(growth_rate(r.later_value, r.earlier_value), prefix="")),  # fmt: skip
                "note": r.note,
            })  # fmt: skip
        return rows

    def revisions_overview(self) -> Markup:
        return self._render("revisions.html", rows=self._revision_rows(self.report.revisions()), year=None)

    def revision_notes(self) -> Markup:
        """On an edition's page: the earlier values it revised, and its values that later editions revised."""
        year = self.facts.edition.year
        mine = [r for r in self.report.revisions() if year in (r.earlier_edition, r.later_edition)]
        if not mine:
            return Markup("")
        return self._render("revisions.html", rows=self._revision_rows(mine), year=year,
                            overview=self.link(REVISIONS_PAGE))  # fmt: skip

    def downloads_page(self) -> Markup:
        editions = [self._downloads(year) | {"title": self.report.editions[year].title,
                                             "published": self.report.editions[year].published,
                                             "figures": self.link(f"data/{year}/figures.csv"),
                                             "targets": self.link(f"data/{year}/targets.csv"),
                                             "projects": self.link(f"data/{year}/projects.csv")}
                    for year in sorted(self.report.editions, reverse=True)]  # fmt: skip
        return self._render("downloads.html", editions=editions, indicators=list(self.report.catalog.indicators.values()),
                            dimensions=list(self.report.catalog.dimensions.values()),
                            catalog=self.link("data/catalog.csv"), package=self.link("data/datapackage.json"),
                            links={i.id: self.link(indicator_page_path(i.id)) for i in self.report.catalog.indicators.values()})  # fmt: skip

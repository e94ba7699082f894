"""Charts declared as data and turned into Plotly figure dicts, descriptions and table alternatives.

One module draws every chart of the site: pages declare ``chart("line", ["revenue"], years=6)``; nothing else writes
Plotly code. Figures are plain dicts serialised to JSON (no ``go.Figure``: its template deep-copy costs ~20 ms per chart,
see shared/PLATFORM.md) and drawn in the browser by ``overrides/assets/javascripts/nianbao-charts.js``. Only trace
types of the basic plotly.js bundle are used (scatter, bar): other types render blank with that bundle.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from decimal import Decimal

from .facts import Facts, MissingFigure, target_text
from .numbers import format_growth, format_number, format_value, growth_rate

KINDS = ("line", "bar")
TRACE_TYPES = ("scatter", "bar")  # all inside plotly.js-basic-dist-min
PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#b8860b", "#6a4c93", "#008b8b")
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def hover_number(value: Decimal, decimals: int, estimated: bool = False) -> str:
    """The number a hover label shows, rounded as the page rounds it (half-up on the decimal value).

    Plotly's own ``%{y:.2f}`` rounds the binary float (201.005 → "201.00"), so labels carry the page's text instead.
    """
    return format_number(value, decimals) + ("(预计)" if estimated else "")


@dataclass
class ChartView:
    """What the chart template needs: an id, the figure JSON, a sentence and a table alternative."""

    id: str
    title: str
    figure_json: str
    description: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def plotly_text(text: str) -> str:
    """Plotly renders a few HTML tags inside trace names and labels; escape data so it shows literally."""
    return html.escape(text, quote=False)


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/json">: no "</script>" break-out, no HTML entities."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _unit_label(unit: str, right: bool = False) -> dict:
    """The unit as the axis title, written level at the top of the axis: Plotly turns a y-axis title on its side,
    which leaves Chinese (家, 亿元) lying down."""
    return {
        "text": plotly_text(unit), "showarrow": False, "xref": "paper", "yref": "paper", "x": 1 if right else 0, "y": 1,
        "xanchor": "left" if right else "right", "yanchor": "bottom", "xshift": 4 if right else -4,
        "font": {"size": 12},
    }  # fmt: skip


def _layout(unit_titles: list[str], barmode: str | None = None) -> dict:
    layout = {
        "height": 340,
        "margin": {"l": 56, "r": 16, "t": 40, "b": 40},
        "separators": ".,",
        "font": {"family": FONT_STACK, "size": 13},
        # Legend above the plot: below it collides with the axis labels on a phone.
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"},
        "xaxis": {"type": "category", "automargin": True},
        "yaxis": {
            "exponentformat": "none",  # no k/M suffixes: 亿元 figures are read as they are
            "separatethousands": False,
            "rangemode": "tozero",
            "automargin": True,
        },
        "annotations": [_unit_label(unit_titles[0])],
        "hovermode": "x unified",
    }
    if len(unit_titles) > 1:
        layout["yaxis2"] = dict(layout["yaxis"], overlaying="y", side="right")
        layout["annotations"].append(_unit_label(unit_titles[1], right=True))
        layout["margin"]["r"] = 56
    if barmode:
        layout["barmode"] = barmode
    return layout


class ChartMaker:
    def __init__(self, facts: Facts, id_prefix: str):
        self.facts = facts
        self.report = facts.report
        self.id_prefix = id_prefix
        self.count = 0

    def _next_id(self) -> str:
        self.count += 1
        return f"{self.id_prefix}-{self.count}"

    def make(self, kind: str, indicators: list[str], breakdown: str | None = None, years: int | None = None,
             title: str | None = None) -> ChartView:  # fmt: skip
        if kind not in KINDS:
            raise MissingFigure(f"图表类型“{kind}”不支持,可用:{'、'.join(KINDS)}")
        if isinstance(indicators, str):
            indicators = [indicators]
        if breakdown:
            return self._breakdown_bar(indicators[0], breakdown, title)
        return self._history(kind, indicators, years, title)

    # --- history of one or more indicators -------------------------------------------------------------------
    def _history(self, kind: str, indicator_ids: list[str], years: int | None, title: str | None,
                 target=None) -> ChartView:  # fmt: skip
        until = self.facts.edition.year
        inds = [self.facts.indicator(i) for i in indicator_ids]
        units = list(dict.fromkeys(i.unit for i in inds))[:2]
        traces, table_years, series_by_id = [], set(), {}
        for n, ind in enumerate(inds):
            series = self.report.series(ind.id, until=until)
            if years:
                series = series[-years:]
            if not series:
                raise MissingFigure(f"{ind.name}没有可画的数据")
            series_by_id[ind.id] = {f.period: f for f in series}
            table_years.update(series_by_id[ind.id])
            trace = {
                "type": "scatter" if kind == "line" else "bar",
                "name": plotly_text(ind.name),
                "x": [self.x_label(f) for f in series],
                "y": [float(f.value) for f in series],
                "customdata": [hover_number(f.value, ind.decimals, f.estimated) for f in series],
                "marker": {"color": PALETTE[n % len(PALETTE)]},
                # The name by reference: Plotly would read "%{…}" inside a name written into the template.
                "hovertemplate": f"%{{customdata}}{plotly_text(ind.unit)}<extra>%{{fullData.name}}</extra>",
            }
            if kind == "line":
                trace["mode"] = "lines+markers"
            if units.index(ind.unit) == 1:
                trace["yaxis"] = "y2"
            traces.append(trace)
        rows_years = sorted(table_years)
        columns = ["年份"] + [f"{i.name}({i.unit})" for i in inds]
        rows = []
        for year in rows_years:
            shown = next((series_by_id[i.id][year] for i in inds if year in series_by_id[i.id]), None)
            row = [self.x_label(shown) if shown else str(year)]
            for ind in inds:
                fig = series_by_id[ind.id].get(year)
                row.append(format_number(fig.value, ind.decimals) + ("(预计)" if fig.estimated else "") if fig else "—")
            rows.append(row)
        description = self._describe_history(inds[0], list(series_by_id[inds[0].id].values()))
        notes = []
        if target is not None:
            ind = inds[0]
            last = list(series_by_id[ind.id].values())[-1]
            level = target.value if not target.is_growth else last.value * (1 + target.value / 100)
            traces.append({
                "type": "scatter", "mode": "lines+markers", "name": plotly_text(f"{target.period}年目标"),
                "x": [str(last.period), str(target.period)], "y": [float(last.value), float(level)],
                "customdata": [hover_number(last.value, ind.decimals, last.estimated), hover_number(level, ind.decimals)],
                "line": {"dash": "dash", "color": "#8a6d00"}, "marker": {"symbol": "diamond", "size": 10, "color": "#8a6d00"},
                "hovertemplate": f"%{{customdata}}{plotly_text(ind.unit)}<extra>目标</extra>",
            })  # fmt: skip
            rows.append([f"{target.period}(目标)", format_number(level, ind.decimals)])
            description += f"{target.period}年目标为{target_text(target, ind)}。"
            if target.is_growth:
                notes.append(f"增速目标按{last.period}年数值折算为总量。")
        layout = _layout(units, "group" if kind == "bar" else None)
        return ChartView(self._next_id(), title or "、".join(i.name for i in inds), script_json(
            {"data": traces, "layout": layout}), description, columns, rows, notes)  # fmt: skip

    def x_label(self, fig) -> str:
        """The period on an axis: ``2024``, or ``2024(1—11月)`` for the months a draft edition covers."""
        edition = self.report.editions[fig.edition]
        return f"{fig.period}(1—{edition.months}月)" if edition.partial else str(fig.period)

    def _describe_history(self, ind, series) -> str:
        partial = [f for f in series if self.report.editions[f.edition].partial]
        whole = [f for f in series if f not in partial]
        if partial and len(whole) >= 2:  # the average growth of whole years; the draft's months stated apart
            last = partial[-1]
            return (self._describe_history(ind, whole).removesuffix("。") + f";{self.report.period_label(last)}为"
                    f"{format_value(last.value, ind.unit, ind.decimals)}。")  # fmt: skip
        first, last = series[0], series[-1]
        if len(series) == 1 or partial:
            return f"{self.report.period_label(last)}{ind.name}为{format_value(last.value, ind.unit, ind.decimals)}。"
        verb = "增至" if last.value > first.value else ("降至" if last.value < first.value else "保持在")
        text = (f"{first.period}—{last.period}年,{ind.name}由{format_value(first.value, ind.unit, ind.decimals)}"
                f"{verb}{format_value(last.value, ind.unit, ind.decimals)}")  # fmt: skip
        span = last.period - first.period
        if first.value > 0 and last.value > 0 and span > 0:
            cagr = ((last.value / first.value) ** (Decimal(1) / span) - 1) * 100  # in Decimal: rounded half-up later
            text += f",年均{format_growth(cagr, prefix='')}"
        return text + "。"

    # --- one indicator by the members of a dimension, this year against last year ----------------------------
    def _breakdown_bar(self, indicator_id: str, dimension_id: str, title: str | None) -> ChartView:
        ind = self.facts.indicator(indicator_id)
        dim = self.report.catalog.dimensions.get(dimension_id)
        if dim is None or dimension_id not in ind.breakdowns:
            raise MissingFigure(f"{ind.name}没有按“{dimension_id}”分组的数据")
        year = self.facts.edition.year
        traces, rows, members = [], [], []
        for n, period in enumerate((year - 1, year)):
            xs, ys, shown = [], [], []
            for member in dim.members:
                fig = self.facts.edition.figure(ind.id, period, member)
                if fig is not None:
                    xs.append(plotly_text(member))
                    ys.append(float(fig.value))
                    shown.append(hover_number(fig.value, ind.decimals, fig.estimated))
            traces.append({
                "type": "bar", "name": self.facts.edition.period_label(period), "x": xs, "y": ys, "customdata": shown,
                "marker": {"color": PALETTE[(n + 2) % len(PALETTE)] if period < year else PALETTE[0]},
                "hovertemplate": f"%{{customdata}}{plotly_text(ind.unit)}<extra>{period}年</extra>",
            })  # fmt: skip
        for member in dim.members:
            cur = self.facts.edition.figure(ind.id, year, member)
            prev = self.facts.edition.figure(ind.id, year - 1, member)
            if cur is None:
                continue
            members.append((member, cur, prev))
            rate = growth_rate(cur.value, prev.value) if prev else None
            rows.append([member, format_number(prev.value, ind.decimals) if prev else "—",
                         format_number(cur.value, ind.decimals), format_growth(rate, prefix="")])  # fmt: skip
        if not members:
            raise MissingFigure(f"{year}年报数据中没有{ind.name}按{dim.name}的分组数据")
        top = max(members, key=lambda m: m[1].value)
        description = (f"{year}年{dim.name}中,{top[0]}的{ind.name}最高,为"
                       f"{format_value(top[1].value, ind.unit, ind.decimals)}。")  # fmt: skip
        columns = [dim.name, f"{year - 1}年({ind.unit})", f"{year}年({ind.unit})", "增速"]
        return ChartView(self._next_id(), title or f"{year}年{ind.name}(按{dim.name})", script_json(
            {"data": traces, "layout": _layout([ind.unit], "group")}), description, columns, rows)  # fmt: skip

    def target_chart(self, target) -> ChartView:
        ind = self.facts.indicator(target.indicator)
        return self._history("line", [ind.id], 6, f"{ind.name}:历史与{target.period}年目标", target=target)

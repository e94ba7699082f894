"""Compare the data of two loaded reports: figures, targets, projects, edition metadata, catalog and park.

Every change is a small record that carries both the raw values (for JSON) and the texts a reviewer reads
("243.10亿元", "+6.90亿元", "+2.8%"), formatted with the catalog's unit and decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from ..catalog import Catalog, Indicator
from ..facts import target_text
from ..model import Edition, Figure, Report, SignedProject, Target
from ..numbers import format_number, growth_rate, round_half_up

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
TOTAL = "合计"  # how the total row (empty breakdown) is named in the report


@dataclass(frozen=True)
class FieldChange:
    """One named field whose value changed: a catalog entry's unit, an edition's published date …"""

    label: str
    old: str
    new: str

    def as_dict(self) -> dict:
        return {"field": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class FigureChange:
    kind: str  # changed | added | removed
    edition: int
    indicator: str
    name: str
    period: int
    breakdown: str | None
    old: Figure | None
    new: Figure | None
    old_text: str  # "243.10亿元", "" when added
    new_text: str  # "" when removed
    change_text: str  # "+6.90亿元", "+1.5个百分点", "" when added or removed
    relative_text: str  # "+2.8%", "—" when not meaningful
    remarks: tuple[str, ...] = ()  # status and note changes

    @property
    def breakdown_text(self) -> str:
        return self.breakdown or TOTAL

    @property
    def note_explains(self) -> bool:
        """For a correction: the changed row says why in its note (the note is new or different)."""
        return self.new is not None and bool(self.new.note) and (self.old is None or self.new.note != self.old.note)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "edition": self.edition,
            "indicator": self.indicator,
            "name": self.name,
            "period": self.period,
            "breakdown": self.breakdown,
            "old": _figure_dict(self.old),
            "new": _figure_dict(self.new),
            "old_text": self.old_text,
            "new_text": self.new_text,
            "change_text": self.change_text,
            "relative_text": self.relative_text,
            "remarks": list(self.remarks),
        }


@dataclass(frozen=True)
class TargetChange:
    kind: str
    edition: int
    indicator: str
    name: str
    period: int
    measure: str
    old_text: str  # "确保12亿元"
    new_text: str
    remarks: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


@dataclass(frozen=True)
class ProjectChange:
    kind: str
    edition: int
    name: str
    old_text: str  # "丙公司,新材料,东区,15000万元,签约"
    new_text: str
    fields: tuple[FieldChange, ...] = ()

    def as_dict(self) -> dict:
        return {"kind": self.kind, "edition": self.edition, "name": self.name, "old_text": self.old_text,
                "new_text": self.new_text, "fields": [f.as_dict() for f in self.fields]}  # fmt: skip


@dataclass
class EditionChanges:
    """The data changes of one edition (pages are added by the report)."""

    year: int
    base: Edition | None
    head: Edition | None
    meta: list[FieldChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    projects: list[ProjectChange] = field(default_factory=list)

    @property
    def has_data_changes(self) -> bool:
        return bool(self.meta or self.figures or self.targets or self.projects)


@dataclass
class CatalogChanges:
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, list[FieldChange]]] = field(default_factory=list)  # (id, name, fields)
    dimensions: list[tuple[str, str, list[FieldChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.dimensions)

    @property
    def count(self) -> int:
        return (len(self.added) + len(self.removed) + sum(len(f) for _, _, f in self.changed)
                + sum(len(f) for _, _, f in self.dimensions))  # fmt: skip

    def as_dict(self) -> dict:
        def entries(items):
            return [{"id": i, "name": n, "fields": [f.as_dict() for f in fs]} for i, n, fs in items]

        return {
            "added": [{"id": i, "name": n} for i, n in self.added],
            "removed": [{"id": i, "name": n} for i, n in self.removed],
            "changed": entries(self.changed),
            "dimensions": entries(self.dimensions),
        }


# --- editions ----------------------------------------------------------------------------------------------------


def compare_editions(base: Report, head: Report) -> list[EditionChanges]:
    """One record per edition in either revision, newest first."""
    order = _indicator_order(base.catalog, head.catalog)
    result = []
    for year in sorted(set(base.editions) | set(head.editions), reverse=True):
        old, new = base.editions.get(year), head.editions.get(year)
        changes = EditionChanges(year, old, new)
        changes.meta = _compare_meta(old, new)
        changes.figures = _compare_figures(year, old, new, base.catalog, head.catalog, order)
        changes.targets = _compare_targets(year, old, new, base.catalog, head.catalog, order)
        changes.projects = _compare_projects(year, old, new)
        result.append(changes)
    return result


def _indicator_order(*catalogs: Catalog) -> dict[str, int]:
    order: dict[str, int] = {}
    for catalog in catalogs[::-1]:  # the newer catalog's order first
        for ind_id in catalog.indicators:
            order.setdefault(ind_id, len(order))
    return order


def _compare_meta(old: Edition | None, new: Edition | None) -> list[FieldChange]:
    if old is None or new is None:
        return []
    found = []
    for label, a, b in (
        ("标题", old.title, new.title),
        ("发布日期", old.published or "(未发布)", new.published or "(未发布)"),
        ("时期", "、".join(map(str, old.periods)), "、".join(map(str, new.periods))),
    ):
        if a != b:
            found.append(FieldChange(label, a, b))
    return found


def _compare_figures(year, old, new, base_catalog, head_catalog, order) -> list[FigureChange]:
    before = old.figures if old else {}
    after = new.figures if new else {}
    found = []
    for key in sorted(set(before) | set(after), key=lambda k: (order.get(k[0], 10**6), k[0], k[1], k[2] or "")):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and (a.value, a.status, a.note) == (b.value, b.status, b.note):
            continue
        found.append(figure_change(year, a, b, base_catalog, head_catalog))
    return found


def figure_change(year: int, old: Figure | None, new: Figure | None, base_catalog: Catalog,
                  head_catalog: Catalog) -> FigureChange:  # fmt: skip
    """A changed, added or removed figure with its texts: values in their unit, absolute and relative change."""
    ind_old = base_catalog.indicators.get((old or new).indicator)
    ind_new = head_catalog.indicators.get((new or old).indicator)
    ind = ind_new or ind_old
    kind = CHANGED if old and new else (ADDED if new else REMOVED)
    old_text = _value_text(old.value, ind_old or ind) if old else ""
    new_text = _value_text(new.value, ind_new or ind) if new else ""
    change_text, relative_text = "", ""
    if old and new:
        change_text, relative_text = _change_texts(old.value, new.value, ind_old or ind, ind_new or ind)
    remarks = []
    if old and new and old.status != new.status:
        remarks.append(f"状态:{old.status} → {new.status}")
    if old and new and old.note != new.note:
        remarks.append(_note_change(old.note, new.note))
    elif kind == ADDED and new.note:
        remarks.append(f"说明:{new.note}")
    if kind != CHANGED and (old or new).status == "预计":
        remarks.append("预计数")
    fig = new or old
    return FigureChange(kind, year, fig.indicator, ind.name, fig.period, fig.breakdown, old, new, old_text, new_text,
                        change_text, relative_text, tuple(remarks))  # fmt: skip


def _decimals(value: Decimal, ind: Indicator) -> int:
    """The catalog's decimals, or more when the raw value has more: a change in the third decimal stays visible."""
    exponent = value.as_tuple().exponent
    return max(ind.decimals, -exponent if isinstance(exponent, int) else 0)


def _value_text(value: Decimal, ind: Indicator) -> str:
    return f"{format_number(value, _decimals(value, ind))}{ind.unit}"


def _signed(value: Decimal, decimals: int) -> str:
    text = format_number(abs(value), decimals)
    return ("+" if value > 0 else "-" if value < 0 else "±") + text


def _change_texts(old: Decimal, new: Decimal, ind_old: Indicator, ind_new: Indicator) -> tuple[str, str]:
    """("+6.90亿元", "+2.8%"). A rate's change is in 百分点 and has no relative change; a unit change has neither."""
    if ind_old.unit != ind_new.unit:
        return f"单位由{ind_old.unit}改为{ind_new.unit}", "—"
    decimals = max(_decimals(old, ind_old), _decimals(new, ind_new))
    difference = new - old
    if ind_new.unit == "%":
        return f"{_signed(difference, decimals)}个百分点", "—"
    change = f"{_signed(difference, decimals)}{ind_new.unit}"
    rate = growth_rate(new, old)
    if rate is None:
        return change, "—"
    if round_half_up(rate, 1) == 0 and rate != 0:
        return change, ("+" if rate > 0 else "-") + "<0.1%"
    return change, f"{_signed(rate, 1)}%"


def _figure_dict(fig: Figure | None) -> dict | None:
    if fig is None:
        return None
    return {"value": str(fig.value), "status": fig.status, "note": fig.note, "row": fig.row}


def _compare_targets(year, old, new, base_catalog, head_catalog, order) -> list[TargetChange]:
    def keyed(edition: Edition | None) -> dict[tuple, Target]:
        return {(t.indicator, t.period, t.measure): t for t in (edition.targets if edition else [])}

    before, after = keyed(old), keyed(new)
    found = []
    for key in sorted(set(before) | set(after), key=lambda k: (order.get(k[0], 10**6), k[0], k[1], k[2])):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and (a.value, a.qualifier, a.note) == (b.value, b.qualifier, b.note):
            continue
        ind_old = base_catalog.indicators.get(key[0])
        ind_new = head_catalog.indicators.get(key[0])
        ind = ind_new or ind_old
        remarks = []
        if a and b and a.note != b.note:
            remarks.append(_note_change(a.note, b.note))
        found.append(TargetChange(
            CHANGED if a and b else (ADDED if b else REMOVED), year, key[0], ind.name, key[1], key[2],
            target_text(a, ind_old or ind) if a else "", target_text(b, ind_new or ind) if b else "", tuple(remarks),
        ))  # fmt: skip
    return found


PROJECT_FIELDS = (("company", "企业"), ("industry", "产业"), ("zone", "片区"), ("investment", "投资额"),
                  ("status", "进度"), ("note", "说明"))  # fmt: skip


def _project_field(project: SignedProject, attr: str) -> str:
    value = getattr(project, attr)
    return f"{value}万元" if attr == "investment" else str(value or "")


def _project_text(project: SignedProject) -> str:
    return ",".join(_project_field(project, attr) for attr, _ in PROJECT_FIELDS if _project_field(project, attr))


def _compare_projects(year, old, new) -> list[ProjectChange]:
    def keyed(edition: Edition | None) -> dict[tuple[str, int], SignedProject]:
        seen: dict[str, int] = {}
        out = {}
        for p in edition.projects if edition else []:
            seen[p.name] = seen.get(p.name, 0) + 1  # a repeated name is matched by its occurrence
            out[(p.name, seen[p.name])] = p
        return out

    before, after = keyed(old), keyed(new)
    found = []
    for key in [k for k in before if k in after] + [k for k in after if k not in before] + \
            [k for k in before if k not in after]:  # fmt: skip
        a, b = before.get(key), after.get(key)
        if a and b:
            changed = tuple(FieldChange(label, _project_field(a, attr), _project_field(b, attr))
                            for attr, label in PROJECT_FIELDS if getattr(a, attr) != getattr(b, attr))  # fmt: skip
            if changed:
                found.append(ProjectChange(CHANGED, year, key[0], _project_text(a), _project_text(b), changed))
        elif b:
            found.append(ProjectChange(ADDED, year, key[0], "", _project_text(b)))
        else:
            found.append(ProjectChange(REMOVED, year, key[0], _project_text(a), ""))
    return found


# --- catalog and park --------------------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    ("name", "名称"), ("unit", "单位"), ("decimals", "小数位数"), ("kind", "类型"), ("definition", "口径说明"),
    ("source", "来源"), ("good", "方向"), ("breakdowns", "分组维度"), ("parts", "组成部分"),
    ("includes", "其中包括"), ("at_most", "不超过"), ("growth_of", "增速对应指标"), ("share_of", "占比(分子、分母)"),
    ("ratio_to_previous", "为上年的比例对应指标"), ("change_of", "比上年增减对应指标"), ("gap_of", "增速差(个百分点)对应指标"),
    ("headline", "首页指标"),
    ("chart_kind", "默认图表"),
)  # fmt: skip
GOOD_WORDS = {"up": "越大越好", "down": "越小越好", "neutral": "不分好坏"}


def _field_text(attr: str, value) -> str:
    if attr == "good":
        return GOOD_WORDS.get(value, str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple | list):
        return "、".join(map(str, value)) or "(无)"
    return "(无)" if value is None or value == "" else str(value)


def compare_catalogs(base: Catalog, head: Catalog) -> CatalogChanges:
    changes = CatalogChanges()
    for ind_id, ind in head.indicators.items():
        old = base.indicators.get(ind_id)
        if old is None:
            changes.added.append((ind_id, ind.name))
            continue
        fields_changed = [FieldChange(label, _field_text(attr, getattr(old, attr)), _field_text(attr, getattr(ind, attr)))
                          for attr, label in INDICATOR_FIELDS if getattr(old, attr) != getattr(ind, attr)]  # fmt: skip
        if fields_changed:
            changes.changed.append((ind_id, ind.name, fields_changed))
    changes.removed = [(i, ind.name) for i, ind in base.indicators.items() if i not in head.indicators]
    for dim_id in list(head.dimensions) + [d for d in base.dimensions if d not in head.dimensions]:
        old, new = base.dimensions.get(dim_id), head.dimensions.get(dim_id)
        if old is None or new is None:
            dim = new or old
            label = "新增分组维度" if new else "删除分组维度"
            changes.dimensions.append((dim_id, dim.name, [FieldChange(label, "" if new else "、".join(dim.members),
                                                                       "、".join(dim.members) if new else "")]))  # fmt: skip
            continue
        found = []
        if old.name != new.name:
            found.append(FieldChange("名称", old.name, new.name))
        if old.members != new.members:
            found.append(FieldChange("成员", "、".join(old.members), "、".join(new.members)))
        if old.complete != new.complete:
            found.append(FieldChange("成员合计等于总计", _field_text("", old.complete), _field_text("", new.complete)))
        if old.overlapping != new.overlapping:
            found.append(FieldChange("成员之间有重复计算", _field_text("", old.overlapping),
                                     _field_text("", new.overlapping)))  # fmt: skip
        if old.groups != new.groups:
            found.append(FieldChange("其中的其中", _groups_text(old.groups), _groups_text(new.groups)))
        if found:
            changes.dimensions.append((dim_id, new.name, found))
    return changes


def _groups_text(groups) -> str:
    return ";".join(f"{g.parent}:{'、'.join(g.members)}" for g in groups) or "(无)"


def compare_park(base: dict, head: dict) -> list[FieldChange]:
    """park.yml, flattened to dotted keys (footer.ICP备案号 …)."""
    a, b = _flatten(base), _flatten(head)
    return [FieldChange(key, a.get(key, "(无)"), b.get(key, "(无)"))
            for key in list(b) + [k for k in a if k not in b] if a.get(key) != b.get(key)]  # fmt: skip


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = _field_text("", value)
    return out


def _note_change(old: str, new: str) -> str:
    """A changed note as a reviewer reads it: added, removed, or old → new."""
    if not old:
        return f"新增说明:{new}"
    if not new:
        return f"删除说明:{old}"
    return f"说明:{old} → {new}"

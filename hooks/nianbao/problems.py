"""Problems found in the data or the prose: records with a stable code, a location and a Chinese message.

Checks *yield* problems; callers collect all of them and report them together (one table), so office staff fix every
error in one round instead of one per build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

# code -> (severity, message template, what to do). The codes are stable: scripts, CI annotations and the guide for
# office staff refer to them. Messages are in Chinese because office staff read them.
CODES: dict[str, tuple[str, str, str]] = {
    "file-missing": (ERROR, "缺少文件 {detail}", "按 DESIGN.md 的格式补上该文件"),
    "file-unreadable": (ERROR, "无法读取文件:{detail}", "请用 UTF-8 编码保存为 CSV 或 YAML 后重试"),
    "yaml-invalid": (ERROR, "YAML 格式错误:{detail}", "检查缩进和冒号"),
    "schema-invalid": (ERROR, "配置不符合格式要求:{detail}", "对照 DESIGN.md 修改该项"),
    "missing-column": (ERROR, "缺少列“{detail}”", "在表头加上这一列"),
    "extra-column": (ERROR, "多余的列“{detail}”", "删除这一列或改正列名"),
    "missing-value": (ERROR, "必填项为空", "填写该单元格"),
    "invalid-number": (ERROR, "“{detail}”不是数字", "只填数字,不要带单位、百分号或千分位逗号"),
    "invalid-period": (ERROR, "时期“{detail}”格式不对", "填写四位年份,如 2024"),
    "invalid-choice": (ERROR, "“{detail}”不是允许的取值", "从允许的取值中选择"),
    "duplicate-figure": (ERROR, "同一指标、时期、分组重复填报", "删除重复的一行"),
    "duplicate-target": (ERROR, "同一指标、时期、口径的目标重复", "删除重复的一行"),
    "unknown-indicator": (ERROR, "未知指标“{detail}”", "先在 data/catalog.yml 中登记该指标,或改正指标代码"),
    "unknown-unit": (ERROR, "指标“{detail}”的计量单位不在允许范围内", "使用允许的单位,如 亿元、万元、个、家"),
    "unknown-breakdown": (ERROR, "“{detail}”不是该指标允许的分组", "使用 catalog.yml 中该指标分组维度的成员"),
    "unknown-relation": (ERROR, "关系中引用了未知指标“{detail}”", "改正 catalog.yml 中的指标代码"),
    "relation-cycle": (ERROR, "指标构成关系存在循环:{detail}", "检查 catalog.yml 中的 parts,一个指标不能是自己的组成部分"),
    "period-outside-edition": (ERROR, "时期 {detail} 不在本期年报的时期范围内", "检查年份,或在 edition.yml 的 periods 中加上该年"),
    "negative-count": (ERROR, "计数类指标不能为负数:{detail}", "检查该数值"),
    "parts-exceed-total": (ERROR, "分项合计 {detail}", "核对分项与总计"),
    "parts-not-total": (ERROR, "分项合计与总计不符:{detail}", "核对分项与总计;四舍五入造成的差异会自动放过"),
    "derived-mismatch": (ERROR, "填报值与由原始数据算出的值不符:{detail}", "改为算出的值,或核对原始数据"),
    "unit-slip": (ERROR, "与上年相比变化约一万倍,疑似万元与亿元混用:{detail}", "核对计量单位"),
    "edition-year-mismatch": (ERROR, "edition.yml 中的年份 {detail} 与文件夹名不一致", "使文件夹名与 year 一致"),
    "prose-unknown-function": (ERROR, "页面中的写法有误:{detail}", "对照 DESIGN.md 中的函数表修改"),
    "prose-missing-figure": (ERROR, "页面引用的数据不存在:{detail}", "在数据中补上该数值,或改正页面中的指标代码、年份、分组"),
    "prose-hand-typed-figure": (
        WARNING,
        "正文中手写了数字“{detail}”",
        "改用 value()/growth() 等函数从数据取数;不是统计数字的,用 literal(\"…\") 包起来",
    ),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. ``row`` is the line number in the file (header = 1); None when not row-bound."""

    file: str
    row: int | None
    column: str | None
    code: str
    detail: str = ""
    severity: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}")
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code][0])

    @property
    def message(self) -> str:
        _, template, _ = CODES[self.code]
        return template.format(detail=self.detail)

    @property
    def advice(self) -> str:
        return CODES[self.code][2]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "advice": self.advice,
        }


class DataError(Exception):
    """Raised when loading or checking found errors; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(format_table(self.problems))


def _sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.column or "", problem.code)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def format_table(problems: Iterable[Problem]) -> str:
    """One plain-text table: 文件 | 行 | 列 | 代码 | 说明 — readable in a terminal and in a CI log."""
    rows = [("文件", "行", "列", "代码", "说明")]
    for p in sorted(problems, key=_sort_key):
        level = "错误" if p.is_error else "提醒"
        rows.append((p.file, str(p.row or ""), p.column or "", p.code, f"[{level}] {p.message}。{p.advice}"))
    widths = [max(_display_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        cells = [r[i] + " " * (widths[i] - _display_width(r[i])) for i in range(4)]
        lines.append(" | ".join(cells + [r[4]]))
    return "\n".join(lines)


def _display_width(text: str) -> int:
    # Han characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

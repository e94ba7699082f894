"""The error-code table of the office guide (GUIDE.md), generated from ``problems.CODES`` — the table the code uses.

``make guide`` (``python -m nianbao.guide``) rewrites the part of GUIDE.md between the two markers; tests/test_guide.py
fails when the file and the code disagree, so a code added to CODES cannot be missing from the guide.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from .problems import CODES, SEVERITY_WORDS
from .units import UNITS

GUIDE = Path(__file__).resolve().parents[2] / "GUIDE.md"
BEGIN = "<!-- 错误代码表开始:由 make guide 从 hooks/nianbao/problems.py 的 CODES 生成,请勿手改 -->"
END = "<!-- 错误代码表结束 -->"
UNITS_BEGIN = "<!-- 单位表开始:由 make guide 从 hooks/nianbao/units.py 生成,请勿手改 -->"
UNITS_END = "<!-- 单位表结束 -->"
QUANTITY_WORDS = {
    "money": "人民币", "usd": "美元", "hkd": "港元", "area": "面积", "length": "长度", "count": "个数(整数个数没有四舍五入)",
    "mass": "重量", "energy": "电量", "power": "功率", "volume": "体积", "rate": "比率", "intensity": "能耗强度",
}  # fmt: skip


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def error_table() -> str:
    """One row per code, in the order of CODES: code, 错误/提醒, what the message says, what to do."""
    lines = [
        f"共 {len(CODES)} 个代码。“说明”中的“…”处是具体内容(哪个数、哪个指标)。",
        "",
        "| 代码 | 级别 | 提示 | 怎么办 |",
        "|---|---|---|---|",
    ]
    for code, (severity, message, advice) in CODES.items():
        level = SEVERITY_WORDS[severity]
        lines.append(f"| `{code}` | {level} | {_cell(message.replace('{detail}', '…').replace('{{', '{').replace('}}', '}'))} | {_cell(advice)} |")
    return "\n".join(lines)


def units_table() -> str:
    """Every built-in unit, by quantity, with what one of it is in the quantity's first unit."""
    groups: dict[str, list] = {}
    for u in UNITS.values():
        groups.setdefault(u.quantity, []).append(u)
    lines = ["| 量 | 单位(括号中是换算) |", "|---|---|"]
    for quantity, units in groups.items():
        base = units[0].name
        shown = [u.name if u.factor == 1 else f"{u.name}(={_factor(u.factor)}{base})" for u in units]
        lines.append(f"| {QUANTITY_WORDS.get(quantity, quantity)} | {'、'.join(shown)} |")
    return "\n".join(lines)


def _factor(value) -> str:
    text = f"{value.normalize():f}"
    return text if "." not in text else f"约{value.quantize(Decimal('0.01')):f}"


def _replace(text: str, begin: str, end: str, body: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + body + "\n" + text[stop:]


def with_table(text: str) -> str:
    """The guide's text with the generated sections (error codes, units) replaced by the current tables."""
    text = _replace(text, BEGIN, END, error_table())
    if UNITS_BEGIN in text:
        text = _replace(text, UNITS_BEGIN, UNITS_END, units_table())
    return text


def main(path: Path = GUIDE) -> int:
    text = path.read_text(encoding="utf-8")
    updated = with_table(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        sys.stdout.write(f"已更新 {path.name} 的错误代码表({len(CODES)} 个代码)\n")
    else:
        sys.stdout.write(f"{path.name} 的错误代码表已是最新\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

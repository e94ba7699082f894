"""The error-code table of the office guide (GUIDE.md), generated from ``problems.CODES`` — the table the code uses.

``make guide`` (``python -m nianbao.guide``) rewrites the part of GUIDE.md between the two markers; tests/test_guide.py
fails when the file and the code disagree, so a code added to CODES cannot be missing from the guide.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .problems import CODES, SEVERITY_WORDS

GUIDE = Path(__file__).resolve().parents[2] / "GUIDE.md"
BEGIN = "<!-- 错误代码表开始:由 make guide 从 hooks/nianbao/problems.py 的 CODES 生成,请勿手改 -->"
END = "<!-- 错误代码表结束 -->"


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
        lines.append(f"| `{code}` | {level} | {_cell(message.replace('{detail}', '…'))} | {_cell(advice)} |")
    return "\n".join(lines)


def with_table(text: str) -> str:
    """The guide's text with the generated section replaced by the current table."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + error_table() + "\n" + text[end:]


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

"""``nianbao new-edition YEAR``: start a year's report — data folder with blanks to fill, three pages from templates.

Exit codes: 0 created, 1 refused (the edition exists) or the catalog / last edition cannot be read, 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..catalog import load_catalog
from ..newedition import EditionExists, existing_paths, plan_edition, write_edition
from ..problems import errors, format_table

WHAT = {
    "edition.yml": "年份、标题和对比年份;发布当天加上 published 日期",
    "figures.csv": "统计数据",
    "targets.csv": "下一年的目标",
    "projects.csv": "本年签约项目(空表)",
    "summary.md": "工作总结",
    "problems.md": "存在的主要困难和问题",
    "plan.md": "下一年工作规划",
}


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def run(args) -> int:
    root, year = args.root.resolve(), args.year
    found = existing_paths(root, year)
    if found:
        _err(f"{year} 年报已经存在({'、'.join(found)}),没有改动任何文件。要修改请直接编辑这些文件,"
              f"或用 nianbao export-xlsx --edition {year} 导出录入表。")  # fmt: skip
        return 1
    catalog, problems = load_catalog(root / "data" / "catalog.yml")
    new = None
    if catalog is not None and not errors(problems):
        new, problems = plan_edition(root, year, catalog)
    if new is None:
        _err("无法创建新一期年报,请先改正以下问题:\n" + format_table(problems))
        return 1
    try:
        written = write_edition(root, new)
    except EditionExists as exc:
        _err(f"{year} 年报已经存在({exc}),没有改动任何文件。")
        return 1
    _out(
        f"已创建 {year} 年报"
        + (f"(对比数据取自 {new.previous} 年报)" if new.previous else "(没有上一期年报可带入)")
        + ":"
    )
    for path in written:
        _out(f"  {path:<36} {WHAT.get(Path(path).name, '')}")
    _out(f"\n接下来要填写:\n"
          f"  1. 数据:{year} 年的数值和状态({new.blank_figures} 行,每行的数值和状态都要填)"
          + (f",{year + 1} 年目标值({new.targets} 个)" if new.targets else "") + ",以及签约项目。\n"
          f"     用 Excel/WPS 填写:nianbao export-xlsx --edition {year},填好后 nianbao import-xlsx <文件名>.xlsx")  # fmt: skip
    if new.carried_figures:
        _out(f"  2. 核对从 {new.previous} 年报带入的 {year - 1} 年数据({new.carried_figures} 个);统计部门的最终数与上期不同时"
              f"直接改正(按可比口径调整的在备注中说明)。")  # fmt: skip
        if new.estimates_carried:
            shown = "、".join(new.estimates_carried[:5]) + ("等" if len(new.estimates_carried) > 5 else "")
            _out(f"     其中 {len(new.estimates_carried)} 个上期是预计数({shown}),请换成正式数并把状态改为“正式”。")
    _out(
        f"  3. 在 docs/{year}/ 的三个页面中把“【待填写】”换成正文;数字用 value()、growth() 等函数取,不要手写。\n"
        f"  4. make serve 边改边预览;make check 列出还没填好的地方;全部改好后 make site。"
    )
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("new-edition", help="开始新一年的年报:建立数据文件夹和三个页面")
    parser.add_argument("year", type=int, help="年报年份,如 2025")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.set_defaults(func=run)

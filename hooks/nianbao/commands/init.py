"""``nianbao init [DIR] --name NAME --issuer ISSUER …``: replace the sample park with the organisation's own.

Without DIR the current project's sample (data/ and docs/) is replaced; with DIR a new folder gets the project's build
files and the new park. Without --name the command asks in Chinese. Exit codes: 0 written, 1 refused (a real park is
there, the folder is not empty) or the preset cannot be used, 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..initpark import FOOTER_KEYS, PRESET_NAMES, InitRefused, ParkSpec, default_year, plan_park, write_park
from ..problems import format_table

REPO = Path(__file__).resolve().parents[3]  # the project this engine belongs to (mkdocs.yml, overrides/, hooks/)


def _split(text: str | None) -> tuple[str, ...]:
    """``新能源,电子信息`` / ``新能源、电子信息`` / ``新能源 电子信息`` → a tuple of names."""
    if not text:
        return ()
    for separator in ("、", ",", "，", ";", "；"):
        text = text.replace(separator, " ")
    return tuple(dict.fromkeys(part for part in text.split() if part))


def _ask(prompt: str, default: str = "") -> str:
    shown = f"{prompt}" + (f"(直接回车为“{default}”)" if default else "") + ":"
    answer = input(shown).strip()
    return answer or default


def _spec_from_prompts(args) -> ParkSpec | None:
    if not sys.stdin.isatty():
        sys.stderr.write("请用 --name 和 --issuer 给出单位名称和主办单位,如:\n"
                         "  nianbao init --name 某某县工业园区 --issuer 某某县工业园区管理委员会\n")  # fmt: skip
        return None
    name = _ask("园区(单位)名称,如 某某县工业园区")
    issuer = _ask("主办单位", f"{name}管理委员会" if name else "")
    if not name or not issuer:
        return None
    year = int(_ask("第一期年报的年份", str(args.year or default_year())))
    preset = "disclosure" if _ask("报告类型:1 工业园区年度工作报告,2 政府信息公开工作年度报告", "1") == "2" else "park"
    industries = _split(_ask("主导产业(用顿号分隔,没有就直接回车)")) if preset == "park" else ()
    zones = _split(_ask("片区(用顿号分隔,没有就直接回车)")) if preset == "park" else ()
    return ParkSpec(name, issuer, year, short_name=_ask("简称", name), contact=_ask("联系方式,如办公室电话"),
                    preset=preset, industries=industries, zones=zones)  # fmt: skip


def run(args) -> int:
    if args.name and args.issuer:
        footer = dict(item.split("=", 1) for item in args.footer or () if "=" in item)
        spec = ParkSpec(args.name, args.issuer, args.year or default_year(), short_name=args.short_name or "",
                        contact=args.contact or "", preset=args.preset, industries=_split(args.industries),
                        zones=_split(args.zones), footer=footer)  # fmt: skip
    elif args.name or args.issuer:
        sys.stderr.write("--name 和 --issuer 要一起给出。\n")
        return 2
    else:
        spec = _spec_from_prompts(args)
        if spec is None:
            return 2
    files, problems = plan_park(spec)
    if not files:
        sys.stderr.write("预设的指标目录无法使用:\n" + format_table(problems) + "\n")
        return 1
    target = (args.dir or args.root).resolve()
    try:
        write_park(target, files, repo=REPO if args.dir else None, force=args.force)
    except InitRefused as exc:
        sys.stderr.write(f"没有改动任何文件:{exc}。要替换它,加上 --force;要另建一个项目,写上新文件夹的名称。\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"无法写入 {target}:{exc.strerror or exc}。检查文件夹是否可写、磁盘是否已满。\n")
        return 1
    where = f"新项目 {target}" if args.dir else "本项目"
    sys.stdout.write(
        f"已在{where}中建立 {spec.name}({PRESET_NAMES[spec.preset]}),第一期是 {spec.year} 年报。\n"
        f"接下来:\n"
        f"  1. 运行 nianbao check{' --root ' + str(target) if args.dir else ''},它列出所有要填的地方:"
        f"{spec.year - 1} 年和 {spec.year} 年的每个数、页面中的“【待填写】”、data/park.yml 中的联系方式和页脚标识码。\n"
        f"  2. 数据可以用 Excel/WPS 填:nianbao export-xlsx --edition {spec.year},填好后 nianbao import-xlsx <文件名>.xlsx。\n"
        f"  3. 指标不合适的,在 data/catalog.yml 中增删(见 GUIDE.md 第四部分)。全部填好后 make site。\n"
    )
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("init", help="建立本单位自己的年报项目,替换示例园区")
    parser.add_argument("dir", type=Path, nargs="?", help="新项目的文件夹;不写则替换本项目中的示例园区")
    parser.add_argument("--name", help="单位名称,如 某某县工业园区")
    parser.add_argument("--issuer", help="主办单位,如 某某县工业园区管理委员会")
    parser.add_argument("--short-name", help="简称(图表和表格中用)")
    parser.add_argument("--year", type=int, help="第一期年报的年份(默认:今年11月起为今年,否则为去年)")
    parser.add_argument("--preset", choices=tuple(PRESET_NAMES), default="park",
                        help="指标预设:park 工业园区(默认),disclosure 政府信息公开年度报告")  # fmt: skip
    parser.add_argument("--industries", help="主导产业,用顿号或逗号分隔")
    parser.add_argument("--zones", help="片区,用顿号或逗号分隔")
    parser.add_argument("--contact", help="联系方式")
    parser.add_argument("--footer", action="append", metavar="名称=值",
                        help="页脚标识,可写多次:" + "、".join(FOOTER_KEYS))  # fmt: skip
    parser.add_argument("--force", action="store_true", help="替换已有的(不是示例的)园区")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目文件夹(含 data/ 和 docs/)")
    parser.set_defaults(func=run)

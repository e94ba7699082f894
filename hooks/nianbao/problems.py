"""Problems found in the data or the prose: records with a stable code, a location and a Chinese message.

Checks *yield* problems; callers collect all of them and report them together (one table), so office staff fix every
error in one round instead of one per build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .units import allowed_units_text

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # listed for the record, never fails a build: a discrepancy the edition acknowledges, a literal figure
SEVERITY_WORDS = {ERROR: "错误", WARNING: "提醒", NOTICE: "说明"}

# code -> (severity, message template, what to do). The codes are stable: scripts, CI annotations and the guide for
# office staff refer to them. Messages are in Chinese because office staff read them.
CODES: dict[str, tuple[str, str, str]] = {
    "file-missing": (ERROR, "缺少文件 {detail}", "按 DESIGN.md 的格式补上该文件"),
    "file-unreadable": (ERROR, "无法读取文件:{detail}", "请用 UTF-8 编码保存为 CSV 或 YAML 后重试"),
    "yaml-invalid": (ERROR, "YAML 格式错误:{detail}", "检查缩进和冒号"),
    "schema-invalid": (ERROR, "配置不符合格式要求:{detail}", "对照 GUIDE.md 第四部分的写法修改该项"),
    "missing-column": (ERROR, "缺少列“{detail}”", "在表头加上这一列"),
    "extra-column": (ERROR, "多余的列“{detail}”", "删除这一列或改正列名"),
    "missing-value": (ERROR, "必填项为空", "填写该单元格"),
    "invalid-number": (ERROR, "“{detail}”不是数字", "只填数字,不要带单位、百分号或千分位逗号"),
    "invalid-period": (ERROR, "时期“{detail}”格式不对", "填写四位年份,如 2024"),
    "invalid-choice": (ERROR, "“{detail}”不是允许的取值", "从允许的取值中选择"),
    "duplicate-figure": (ERROR, "同一指标、时期、分组重复填报", "删除重复的一行"),
    "duplicate-target": (ERROR, "同一指标、时期、口径的目标重复", "删除重复的一行"),
    "unknown-indicator": (ERROR, "未知指标“{detail}”", "先在 data/catalog.yml 中登记该指标,或改正指标代码"),
    "unknown-unit": (ERROR, "指标“{detail}”的计量单位不在允许范围内", "改用允许的单位之一:" + allowed_units_text()),
    "unknown-breakdown": (ERROR, "“{detail}”不是该指标允许的分组", "使用 catalog.yml 中该指标分组维度的成员"),
    "unknown-member": (ERROR, "“{detail}”不在 catalog.yml 的名单中", "改成 catalog.yml 中 dimensions 下列出的产业或片区名称,或先在名单中加上它"),
    "unit-invalid": (ERROR, "catalog.yml 中 units 下的单位无法使用:{detail}", "改名,或把 of 写成已有的单位"),
    "unknown-relation": (ERROR, "关系中引用了未知指标“{detail}”", "改正 catalog.yml 中的指标代码"),
    "relation-cycle": (ERROR, "指标构成关系存在循环:{detail}", "检查 catalog.yml 中的 parts,一个指标不能是自己的组成部分"),
    "period-outside-edition": (ERROR, "时期 {detail} 不在本期年报的时期范围内", "检查年份,或在 edition.yml 的 periods 中加上该年"),
    "negative-count": (ERROR, "计数类指标不能为负数:{detail}", "检查该数值"),
    "parts-exceed-total": (ERROR, "分项合计大于总计:{detail}", "核对分项与总计;四舍五入能解释的差异会自动放过"),
    "parts-not-total": (ERROR, "分项合计与总计不符:{detail}", "核对分项与总计;四舍五入能解释的差异会自动放过"),
    "parts-incomplete": (
        ERROR,
        "分项合计少于总计:{detail}",
        "补上缺少的分项(没有的填 0);若分项本来就不全,在 catalog.yml 中把该维度设为 complete: false",
    ),
    "exceeds-bound": (ERROR, "{detail}", "核对这两个数;前者是后者的一部分,不能比后者大"),
    "derived-mismatch": (ERROR, "填报值与由原始数据算出的值不符:{detail}", "改为算出的值,或核对原始数据"),
    "relation-unit-mismatch": (ERROR, "关系两端的计量单位无法换算:{detail}", "检查 catalog.yml 中该关系引用的指标和单位"),
    "relation-not-additive": (
        ERROR,
        "比率或指数不能相加:{detail}",
        "去掉该指标的 parts/includes;增速、占比等比率不能由分项相加得到",
    ),
    "acknowledged-discrepancy": (
        NOTICE,
        "原报告数据不一致,已按原样发布:{detail}",
        "这是 edition.yml 中 discrepancies 登记过的差异,页面上会在该数旁注明",
    ),
    "acknowledged-unused": (
        WARNING,
        "edition.yml 登记的差异不存在:{detail}",
        "数据已经一致,删除 discrepancies 中的这一项",
    ),
    "unit-slip": (ERROR, "与上年相比变化约一万倍,疑似万元与亿元混用:{detail}", "核对计量单位"),
    "edition-year-mismatch": (ERROR, "edition.yml 中的年份 {detail} 与文件夹名不一致", "使文件夹名与 year 一致"),
    "prose-unknown-function": (ERROR, "页面中的写法有误:{detail}", "对照 GUIDE.md 第三部分“正文中怎样写数字”的函数表修改"),
    "prose-chinese-punctuation": (
        ERROR,
        "{{{{ }}}} 中有中文标点 {detail}",
        "{{ }} 里的引号、逗号、括号都要用英文半角,如 {{ value(\"revenue\") }};已按英文标点读取,请改正",
    ),
    "prose-syntax-error": (ERROR, "{{{{ }}}} 的写法有误:{detail}", "对照 GUIDE.md 第三部分的写法修改;这一处显示为“【写法有误】”"),
    "prose-not-called": (
        ERROR,
        "函数 {detail} 后面少了括号和指标代码",
        "函数名后面要有括号和指标代码,如 {{ value(\"revenue\") }}",
    ),
    "prose-missing-figure": (ERROR, "页面引用的数据不存在:{detail}", "在数据中补上该数值,或改正页面中的指标代码、年份、分组"),
    # --- reading the files (normalize.py); DATA_INPUT.md lists every case and its decision ---
    "file-empty": (ERROR, "文件是空的", "至少写上表头一行(各列见 DESIGN.md)"),
    "file-too-large": (ERROR, "文件过大({detail})", "年报数据通常只有几十 KB,上限 2 MB;检查是否放错了文件"),
    "file-symlink": (ERROR, "{detail} 是符号链接,不予读取", "把真实文件放在 data/ 下;符号链接可能把本机任何文件发布出去"),
    "yaml-unsafe": (ERROR, "YAML 中使用了锚点或别名({detail})", "直接写出内容,不要用 & 和 * 引用别处的内容"),
    "yaml-invalid-date": (ERROR, "日期“{detail}”不存在", "按 年-月-日 填写实际的日期,如 2025-01-20"),
    "yaml-duplicate-key": (ERROR, "“{detail}”在同一层级写了两次,后一处会悄悄覆盖前一处", "删除或合并重复的一项"),
    "yaml-too-deep": (ERROR, "YAML 嵌套超过 {detail} 层", "年报配置最多嵌套五六层;检查是否多写了括号或缩进"),
    "encoding-converted": (
        WARNING,
        "文件是 {detail} 编码,已转换后读取",
        "用 Excel“另存为 → CSV UTF-8(逗号分隔)”重新保存;仓库中统一用 UTF-8,修改才能逐行比对",
    ),
    "encoding-broken": (
        ERROR,
        "这一行有无法识别的字节(文件其余部分是 UTF-8):{detail}",
        "这一行可能是从别的文件粘贴来的;重新输入这一行,或把整个文件另存为 CSV UTF-8",
    ),
    "tab-separated": (WARNING, "文件用制表符分隔(Excel“Unicode 文本”格式),已按制表符读取", "另存为 CSV UTF-8(逗号分隔)"),
    "wrong-delimiter": (ERROR, "表头用“{detail}”分隔各列,不是英文逗号", "用英文半角逗号分隔各列,或用 Excel 另存为 CSV"),
    "csv-syntax": (ERROR, "CSV 格式错误:{detail}", "检查这一行的英文双引号是否成对"),
    "field-count": (
        ERROR,
        "{detail}",
        "每行的字段数要与表头一致:数字不要带千分位逗号;文字中有逗号时,用英文双引号把整个单元格括起来",
    ),
    "header-not-first": (ERROR, "第一行不是表头,{detail}", "删除表格上方的标题行或合并单元格,让第一行就是表头"),
    "repeated-header": (ERROR, "表头在这一行重复出现", "删除这一行;若是两份表格拼在一起,检查其后各行是否重复"),
    "duplicate-column": (ERROR, "列“{detail}”出现了不止一次", "删除或改正重复的列"),
    "empty-column": (WARNING, "表格右侧有 {detail} 个没有列名、也没有内容的空列,已忽略", "在 Excel 中删除这些列后重新保存"),
    "blank-row": (WARNING, "空行,已跳过", "删除这一空行"),
    "whitespace-trimmed": (WARNING, "单元格首尾有空格或不可见字符,已去掉{detail}", "删除多余的空格"),
    "fullwidth-normalised": (WARNING, "全角字符已按半角读取:{detail}", "用半角(英文)数字、小数点和字母输入"),
    "number-too-long": (
        ERROR,
        "“{detail}”位数过多",
        "整数部分最多 15 位、小数最多 6 位;检查单位是否用错,或是否粘贴了多余的数字",
    ),
    "control-character": (ERROR, "单元格中有控制字符 {detail}", "删除这些看不见的字符(常见于从网页或其他软件复制的文字)"),
    "formula-like-text": (
        WARNING,
        "文字“{detail}”以 = + - @ 开头,表格软件会把它当作公式",
        "网站照原样显示;下载的 CSV 和 XLSX 中会在前面加单引号作为文字。没有必要时请改写开头",
    ),
    "page-not-utf8": (
        ERROR,
        "页面不是 UTF-8 编码(像是 {detail}),从这一行起无法读取",
        "用编辑器把页面另存为 UTF-8(记事本:另存为 → 编码选 UTF-8)",
    ),
    "duplicate-project": (ERROR, "同一项目(名称和企业相同)重复填报", "删除重复的一行"),
    "prose-unsafe-html": (
        ERROR,
        "页面中有不允许的 HTML:{detail}",
        "页面中不要写 <script>、<iframe>、事件属性(on…=)或 javascript: 链接;图表和表格用 DESIGN.md 中的函数生成",
    ),
    "prose-hand-typed-figure": (
        WARNING,
        "正文中手写了数字“{detail}”",
        "改用 value()/growth() 等函数从数据取数;不是统计数字的,用 literal(\"…\") 包起来",
    ),
    "prose-figure-in-data": (
        WARNING,
        "正文中手写的“{detail}",
        "改用函数从数据取数,数据一改,正文跟着改",
    ),
    "prose-figure-contradicts": (
        ERROR,
        "正文中手写的“{detail}",
        "改用 value()/growth() 等函数从数据取数;若数据有误,先改正数据",
    ),
    "prose-literal-figure": (
        NOTICE,
        "literal() 中的“{detail}”没有与数据核对",
        "是统计数字的,改用 value() 等函数;确实不是统计数字的(如“3个确立”),可以保留",
    ),
    "sample-text-left": (
        ERROR,
        "这里还有示例园区的文字“{detail}”",
        "本项目已不是示例(park.yml 中 sample: false):把示例的文字换成本单位的,或删除这一行",
    ),
    "footer-identifier-empty": (
        WARNING,
        "页脚的“{detail}”还没有填写",
        "按《政府网站发展指引》在 data/park.yml 的 footer 中填上;本站不需要这一项的,删除这一行",
    ),
    "prose-placeholder": (
        WARNING,
        "页面中还有没写完的占位文字“{detail}”",
        "把“【待填写…】”换成正文;全部换完后 make site 才能通过",
    ),
    "front-matter-invalid": (
        ERROR,
        "页面开头的 --- 设置块不是有效的 YAML:{detail}",
        "检查 --- 与 --- 之间的写法,如 title: 2025年工作总结(冒号后加空格);不需要时整块删除",
    ),
    "front-matter-unsafe": (
        ERROR,
        "页面开头的设置项{detail}",
        "title 和 description 只写文字,不要用 < > \" & 这几个符号(网站主题会把它们当作网页代码);"
        "不要写 template 一项:每个页面都用网站自己的模板,其中有安全设置",
    ),
    "docs-file-refused": (
        ERROR,
        "docs/ 中不能放这个文件:{detail}",
        "docs/ 下只放页面(.md)和图片(.png、.jpg、.gif、.webp、.svg);其他文件会原样发布到网站上,请删除。"
        "数据放在 data/ 下,网站的样式和脚本由开发人员放在 overrides/ 下",
    ),
    "docs-svg-unsafe": (
        ERROR,
        "SVG 图片中有脚本或会加载其他内容的部分:{detail}",
        "用绘图软件重新导出为普通 SVG(不含脚本、事件和外部链接),或改存为 PNG 图片",
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
    # The figure a data check judged (indicator, period, breakdown): how an edition's acknowledged discrepancy finds it.
    subject: tuple | None = field(default=None, compare=False)

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

    @property
    def is_notice(self) -> bool:
        return self.severity == NOTICE

    @property
    def level_word(self) -> str:
        return SEVERITY_WORDS[self.severity]

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


def failing(problems: Iterable[Problem], strict: bool) -> list[Problem]:
    """What stops a build: errors, and with ``strict`` warnings too. Notices never do."""
    return [p for p in problems if p.is_error or (strict and not p.is_notice)]


def format_table(problems: Iterable[Problem]) -> str:
    """One plain-text table: 文件 | 行 | 列 | 代码 | 说明 — readable in a terminal and in a CI log."""
    rows = [("文件", "行", "列", "代码", "说明")]
    for p in sorted(problems, key=_sort_key):
        rows.append((p.file, str(p.row or ""), p.column or "", p.code, f"[{p.level_word}] {p.message}。{p.advice}"))
    widths = [max(_display_width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        cells = [r[i] + " " * (widths[i] - _display_width(r[i])) for i in range(4)]
        lines.append(" | ".join(cells + [r[4]]))
    return "\n".join(lines)


def _display_width(text: str) -> int:
    # Han characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

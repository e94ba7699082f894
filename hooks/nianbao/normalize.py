"""Reading what office staff send: bytes → text → rows of cells, every cell normalised or refused, all located.

Figures arrive from Excel and WPS, typed by busy people, and a public repository may receive files from anyone. This
module is the only place that touches raw bytes. It decides, for each kind of bad input, one of three things (the full
table with every case is DATA_INPUT.md at the repository root, checked against tests/corpus/ by a test):

- accept silently: what Excel and Windows write for a correct file (UTF-8 byte-order mark, CRLF line ends, blank lines
  at the very end, rows that omit empty trailing cells);
- accept, normalise and warn: the meaning is certain but the file is not canonical (GBK/GB18030 or UTF-16 text, tab
  separators, full-width digits, spaces around a cell, blank rows, text that a spreadsheet would run as a formula).
  A warning lets ``mkdocs serve`` and ``nianbao check`` go on, and fails ``mkdocs build --strict`` (``make site``),
  so that what is published from the repository is canonical, diffable data;
- reject with a located problem: anything whose meaning is not certain (units, % or separators in numbers, text where
  a number belongs, merged or repeated headers, control characters, symbolic links, oversized files …).

Nothing here raises on bad input: every function returns problems. Row numbers are physical line numbers in the file
(header = 1), also after blank lines and cells that span several lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .frontmatter import read_front_matter
from .problems import Problem
from .yamlfiles import SAFE_LOADER

# A park's figures.csv is a few kilobytes; the sample's largest file is under 10 KB. Anything this big is not a report.
MAX_FILE_BYTES = 2 * 1024 * 1024
# The deepest report file (catalog: indicators → id → chart → …) has five levels; Python's loader recurses per level.
MAX_YAML_DEPTH = 20
MAX_LABEL = 40  # characters of a cell quoted back in a message

NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Within Decimal's 28 digits with room to add and divide; Excel itself keeps 15 significant digits.
MAX_INTEGER_DIGITS, MAX_FRACTION_DIGITS = 15, 6
YEAR = re.compile(r"\d{4}")

# Column roles, by name, across figures.csv, targets.csv and projects.csv.
NUMBER_COLUMNS = frozenset({"value", "investment"})
YEAR_COLUMNS = frozenset({"period"})
CODE_COLUMNS = frozenset({"indicator"})
FREE_TEXT_COLUMNS = frozenset({"note", "name", "company"})

# Full-width ASCII (！ to ～), the ideographic space and the minus sign → their ASCII forms.
HALF_WIDTH = str.maketrans({**{chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}, "\u3000": " ", "\u2212": "-"})
# Stripped from both ends of every cell: whitespace (str.strip covers the ideographic space and NBSP) and the
# invisible characters that come with text copied from web pages and Word.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# C0 controls other than tab, line feed and carriage return, and DEL: not text, and refused by XLSX.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@")

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .et
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, old .et


@dataclass
class Table:
    """A CSV file as normalised rows. ``rows`` holds (line number, cells), one cell per header column."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; ``code`` is a registered problem code."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


# --- files ------------------------------------------------------------------------------------------------------------


def unsafe_path(path: Path, data_dir: Path | None, label: str) -> Problem | None:
    """A file the engine must not read: a symbolic link anywhere from data/ down to the file.

    Symbolic links are refused outright, even those pointing inside data/: the CSV files are published as downloads, so
    a link could publish any file of the machine that builds the site, and Git on Windows checks links out as text.
    """
    if data_dir is None:
        return Problem(label, None, None, "file-symlink", label) if path.is_symlink() else None
    relative = path.relative_to(data_dir)  # the loader only builds paths below data/ (ValueError otherwise)
    if data_dir.is_symlink():
        return Problem(label, None, None, "file-symlink", "data")
    current = data_dir
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return Problem(label, None, None, "file-symlink", _label_of(label, relative, current, data_dir))
    return None


def _label_of(label: str, relative: Path, current: Path, data_dir: Path) -> str:
    """The project-relative name of ``current`` (a parent of the file ``label`` names)."""
    prefix = label[: len(label) - len(relative.as_posix())] if label.endswith(relative.as_posix()) else "data/"
    return prefix + current.relative_to(data_dir).as_posix()


def read_bytes(path: Path, label: str, data_dir: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a data file, or the problem that stops reading it (missing, link, outside data/, empty, too big)."""
    problem = unsafe_path(path, data_dir, label)
    if problem is not None:
        return None, [problem]
    if not path.is_file():
        return None, [Problem(label, None, None, "file-missing", label)]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [Problem(label, None, None, "file-too-large", f"{size / 1024 / 1024:.1f} MB")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(label, None, None, "file-unreadable", exc.strerror or type(exc).__name__)]
    if not data.strip(b" \t\r\n\x00") or data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None, [Problem(label, None, None, "file-empty")]
    return data, []


def check_yaml_file(path: Path, label: str, data_dir: Path | None = None) -> list[Problem]:
    """Refuse a YAML file before it is parsed: links, oversized files, and anchors/aliases (``&a`` / ``*a``).

    Aliases let a few lines expand to billions of nodes once copied ("billion laughs"); report files never need them.
    """
    data, problems = read_bytes(path, label, data_dir)
    if data is None:
        return [] if problems and problems[0].code == "file-missing" else problems
    # libyaml's event stream is flat and never recurses, so the checks below are safe on any input; the loader that
    # comes after them recurses once per level of nesting.
    frames: list[set | None] = []  # per open mapping: the keys seen so far; None for a sequence
    expecting_key: list[bool] = []
    try:
        for event in yaml.parse(data.decode("utf-8-sig"), Loader=SAFE_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return [Problem(label, line, None, "yaml-unsafe", "&" + str(event.anchor))]
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                expecting_key.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                continue
            if frames and frames[-1] is not None:  # a node inside a mapping: a key or a value, in turn
                if expecting_key[-1] and isinstance(event, yaml.ScalarEvent):
                    if event.value in frames[-1]:
                        return [Problem(label, line, None, "yaml-duplicate-key", event.value)]
                    frames[-1].add(event.value)
                expecting_key[-1] = not expecting_key[-1]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(frames) >= MAX_YAML_DEPTH:
                    return [Problem(label, line, None, "yaml-too-deep", str(MAX_YAML_DEPTH))]
                frames.append(set() if isinstance(event, yaml.MappingStartEvent) else None)
                expecting_key.append(True)
    except (UnicodeDecodeError, yaml.YAMLError):
        return []  # reported, with its line, by the YAML loader itself
    return []


# --- text ------------------------------------------------------------------------------------------------------------


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text. UTF-8 (with or without BOM) silently; UTF-16 and GBK/GB18030 with a warning; else refused."""
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        kind = "xlsx" if data.startswith(ZIP_MAGIC) else "xls"
        return None, [Problem(label, None, None, "file-unreadable", f"这是 Excel 工作簿({kind}),不是 CSV 文件")]
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_as(data, "utf-16", "UTF-16", label)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_as(data, utf16, "UTF-16", label)
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if _mostly_utf8(body):
            line = body.count(b"\n", 0, exc.start) + 1
            return None, [Problem(label, line, None, "encoding-broken", _preview(body, exc.start))]
    return _decode_as(body, "gb18030", "GBK/GB18030", label)


def _decode_as(data: bytes, codec: str, name: str, label: str) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None, [Problem(label, None, None, "file-unreadable", "既不是 UTF-8,也不是 GBK/GB18030 或 UTF-16 编码的文本")]
    return text, [Problem(label, None, None, "encoding-converted", name)]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII text then has a zero in every other byte."""
    sample = data[:400]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Headers, ids, digits and commas are ASCII: most of their high bytes are zero. Some CJK characters (U+3000 …)
    # have a zero low byte, so the other half is allowed a few.
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """A UTF-8 file with a stretch of other bytes (a row pasted from a GBK file), rather than a GBK file."""
    valid = len(UTF8_MULTIBYTE.findall(data))
    invalid = len(data.decode("utf-8", errors="replace").split("\ufffd")) - 1
    return valid > invalid


def _preview(data: bytes, at: int) -> str:
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    line = data[start : end if end >= 0 else len(data)]
    try:
        text = line.decode("gb18030")  # most often a row pasted from a GBK file: show it as its author typed it
    except UnicodeDecodeError:
        text = line.decode("utf-8", errors="replace")
    return short(text.strip())


def short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


# --- cells ----------------------------------------------------------------------------------------------------------


def trim(cell: str) -> str:
    return cell.strip().strip(INVISIBLE).strip()


def parse_number(text: str) -> Decimal:
    """A value cell → Decimal. Full-width digits are read as ASCII; anything else that is not a plain decimal number
    (units, %, thousands separators, NaN, inf, exponents, formulas, text) raises CellError. Never another exception."""
    if not isinstance(text, str):
        raise CellError("invalid-number", repr(text))
    cell = trim(text).translate(HALF_WIDTH)
    if not cell:
        raise CellError("missing-value", "")
    if not NUMBER.fullmatch(cell) or not cell.isascii():
        raise CellError("invalid-number", short(trim(text)))
    integer, _, fraction = cell.lstrip("-").partition(".")
    if len(integer.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise CellError("number-too-long", short(trim(text)))
    try:
        return Decimal(cell)
    except InvalidOperation as exc:  # not reachable for a matching cell; kept so the promise above holds
        raise CellError("invalid-number", short(trim(text))) from exc


def _normalise_cell(column: str, cell: str) -> tuple[str, str | None]:
    """(cell to validate, full-width detail or None). Full-width forms are read as ASCII in number, year and code
    columns only when the result is valid there; otherwise the cell is left as typed for the validator to report."""
    if column not in NUMBER_COLUMNS | YEAR_COLUMNS | CODE_COLUMNS or cell.isascii():
        return cell, None
    half = cell.translate(HALF_WIDTH).strip()
    if half == cell or not half.isascii():
        return cell, None
    if column in NUMBER_COLUMNS and not NUMBER.fullmatch(half):
        return cell, None
    if column in YEAR_COLUMNS and not YEAR.fullmatch(half):
        return cell, None
    return half, f"{short(cell)} → {half}"


# --- CSV ------------------------------------------------------------------------------------------------------------


def read_csv(path: Path, label: str, columns: tuple[str, ...], data_dir: Path | None = None,
             ) -> tuple[Table | None, list[Problem]]:  # fmt: skip
    """Read, decode, split and normalise one CSV file. ``columns`` are the ones the table should have.

    Returns (table or None, problems). None means the file as a whole could not be read; otherwise the table holds the
    rows that could be split, and ``bad_lines`` those whose cells must not be used.
    """
    data, problems = read_bytes(path, label, data_dir)
    if data is None:
        return None, problems
    text, found = decode(data, label)
    problems += found
    if text is None:
        return None, problems
    text = text.removeprefix("\ufeff")
    table, found = split_csv(text, label, columns)
    problems += found
    return table, problems


def _delimiter(first_line: str, label: str) -> tuple[str | None, list[Problem]]:
    if "," in first_line:
        return ",", []
    if "\t" in first_line:
        return "\t", [Problem(label, 1, None, "tab-separated")]
    for mark in ("\uff0c", ";", "\u3001", "|"):  # full-width comma, semicolon, enumeration comma, bar
        if mark in first_line:
            return None, [Problem(label, 1, None, "wrong-delimiter", mark)]
    return ",", []


def split_csv(text: str, label: str, columns: tuple[str, ...]) -> tuple[Table | None, list[Problem]]:
    """Text → Table. Never raises: a CSV syntax error becomes a located problem."""
    first = next((line for line in text.splitlines() if line.strip(" \t,")), "")
    delimiter, problems = _delimiter(first, label)
    if delimiter is None:
        return None, problems
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(label, start, None, "csv-syntax", _csv_error(str(exc))))
        return None, problems
    # Blank rows: skipped; a warning unless they only trail the table (editors and Excel leave those).
    filled = [(line, cells) for line, cells in records if any(trim(c) for c in cells)]
    if not filled:
        return None, problems + [Problem(label, None, None, "file-empty")]
    last_filled = filled[-1][0]
    for line, cells in records:
        if not any(trim(c) for c in cells) and line < last_filled:
            problems.append(Problem(label, line, None, "blank-row"))
    header_line, raw_header = filled[0]
    table, found = _header(raw_header, header_line, filled[1:], label, columns)
    problems += found
    if table is None:
        return None, problems
    problems += _rows(table, raw_header, filled[1:], label)
    return table, problems


def _csv_error(message: str) -> str:
    if "end of data" in message or "EOF" in message:
        return "引号没有成对,这一行开始的单元格直到文件结束都没有闭合"
    if "field larger than field limit" in message:
        return "单元格过长"
    return message


def _header(raw: list[str], line: int, rest: list, label: str, columns: tuple[str, ...],
            ) -> tuple[Table | None, list[Problem]]:  # fmt: skip
    problems: list[Problem] = []
    header = [trim(c) for c in raw]
    for name, cell in zip(header, raw, strict=True):
        if name != cell:
            problems.append(Problem(label, line, name or None, "whitespace-trimmed", f"“{short(cell)}”"))
    expected = set(columns)
    if len(expected & set(header)) < len(expected) / 2:
        # A title row or merged cells above the real header (Excel tables often start with one).
        for later_line, cells in rest[:5]:
            if expected <= {trim(c) for c in cells}:
                problems.append(Problem(label, line, None, "header-not-first", f"表头在第{later_line}行"))
                return None, problems
    # Trailing unnamed columns whose every cell is empty: Excel writes them when cells right of the table were touched.
    width = len(header)
    while width and not header[width - 1] and all(not trim(cells[width - 1]) for _, cells in rest if len(cells) >= width):
        width -= 1
    if width < len(header):
        problems.append(Problem(label, line, None, "empty-column", str(len(header) - width)))
        header = header[:width]
    seen: set[str] = set()
    for n, name in enumerate(header, start=1):
        if name in seen:
            problems.append(Problem(label, line, name, "duplicate-column", name))
        seen.add(name)
        if not name:
            header[n - 1] = f"(第{n}列)"
    if any(p.code == "duplicate-column" for p in problems):
        return None, problems
    return Table(header=header), problems


def _rows(table: Table, raw_header: list[str], records: list, label: str) -> list[Problem]:
    problems: list[Problem] = []
    header = table.header
    width = len(header)
    trimmed: dict[str, list[int]] = defaultdict(list)
    stripped_header = [trim(c) for c in raw_header]
    for line, raw in records:
        cells = list(raw)
        if len(cells) > len(raw_header):
            # Never trimmed, even when the extra fields are empty: "9,500," shifts every later cell by one.
            problems.append(Problem(label, line, None, "field-count", _field_count_detail(cells, header)))
            table.bad_lines.add(line)
            continue
        cells = cells[:width]  # beyond width: the unnamed columns _header found empty in every row
        cells += [""] * (width - len(cells))  # rows that omit empty trailing cells: nothing shifts
        if [trim(c) for c in raw[: len(stripped_header)]] == stripped_header:
            problems.append(Problem(label, line, None, "repeated-header"))
            table.bad_lines.add(line)
            continue
        row: list[str] = []
        for column, cell in zip(header, cells, strict=True):
            value = trim(cell)
            if value != cell:
                trimmed[column].append(line)
            if CONTROL.search(cell):
                codes = sorted({f"U+{ord(ch):04X}" for ch in CONTROL.findall(cell)})
                problems.append(Problem(label, line, column, "control-character", "、".join(codes)))
                table.bad_lines.add(line)
            value, fullwidth = _normalise_cell(column, value)
            if fullwidth:
                problems.append(Problem(label, line, column, "fullwidth-normalised", fullwidth))
            if column in NUMBER_COLUMNS and NUMBER.fullmatch(value):
                try:
                    parse_number(value)
                except CellError as exc:
                    problems.append(Problem(label, line, column, exc.code, exc.detail))
                    table.bad_lines.add(line)
            if column in FREE_TEXT_COLUMNS and value.startswith(FORMULA_START):
                problems.append(Problem(label, line, column, "formula-like-text", short(value)))
            row.append(value)
        table.rows.append((line, row))
    for column, lines in trimmed.items():
        more = f"(共{len(lines)}处)" if len(lines) > 1 else ""
        problems.append(Problem(label, lines[0], column, "whitespace-trimmed", more))
    return problems


def _field_count_detail(cells: list[str], header: list[str]) -> str:
    detail = f"这一行有{len(cells)}个字段,表头只有{len(header)}列"
    for n in range(len(cells) - 1):
        if re.fullmatch(r"-?\d{1,3}", trim(cells[n])) and re.fullmatch(r"\d{3}(\.\d+)?", trim(cells[n + 1])):
            return detail + f"(“{trim(cells[n])},{trim(cells[n + 1])}”是否是带千分位逗号的数字?)"
    return detail


def published_rows(path: Path) -> list[list[str]]:
    """Header and rows of a CSV file as the engine read them (decoded, split, cells normalised, blank rows dropped):
    what the site offers for download. Only called for files that loaded without error."""
    table, _ = read_csv(path, path.name, ())
    if table is None:
        return []
    return [table.header] + [cells for _, cells in table.rows]


def check_pages(docs_dir: Path, root: Path) -> list[Problem]:
    """The files under docs/ that MkDocs would fail on or should not publish: symbolic links, oversized pages, pages
    that are not UTF-8 (MkDocs reads pages itself, strictly as UTF-8, so they cannot be normalised: refused at the
    line of the first bad byte), front matter that is broken or holds what the theme prints as markup, and every file
    that is neither a page nor a safe image (``docsfiles``). Names starting with a dot are not published: skipped."""
    from .docsfiles import refused
    from .frontmatter import unsafe_values

    problems: list[Problem] = []
    if not docs_dir.is_dir():
        return problems
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(dirs + [f for f in files if not f.startswith(".")]):
            path = here / name
            label = path.relative_to(root).as_posix()
            if path.is_symlink():
                problems.append(Problem(label, None, None, "file-symlink", label))
                continue
            if name in files and not name.endswith(".md"):
                verdict = refused(path)
                if verdict:
                    problems.append(Problem(label, None, None, verdict[0], verdict[1]))
                continue
            if name in files and name.endswith(".md"):
                if path.stat().st_size > MAX_FILE_BYTES:
                    problems.append(Problem(label, None, None, "file-too-large", f"{path.stat().st_size / 2**20:.1f} MB"))
                    continue
                data = path.read_bytes()
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    line = data.count(b"\n", 0, exc.start) + 1
                    guess = "GBK/GB18030" if not _mostly_utf8(data) and _decodes(data, "gb18030") else "未知编码"
                    problems.append(Problem(label, line, None, "page-not-utf8", guess))
                    continue
                front = read_front_matter(data.decode("utf-8"))
                if front.error:  # MkDocs would publish the block as text and lose the page's title
                    problems.append(Problem(label, front.error_line, None, "front-matter-invalid", front.error))
                for line, detail in unsafe_values(front):  # the theme prints title and description unescaped
                    problems.append(Problem(label, line, None, "front-matter-unsafe", detail))
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return problems


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True

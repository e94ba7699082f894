"""An edition's CSV files as plain rows of text, read and written the way the repository keeps them.

The loader (``normalize`` → ``tables``) is for checking; this module is for tools that rewrite the files — the
data-entry workbook and ``new-edition`` — and must reproduce them byte for byte: UTF-8, a byte-order mark only if the
file had one, the file's own line ends (LF for new files), quotes only where a cell needs them, a final line end.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .tables import FIGURES, PROJECTS, TARGETS

# CSV columns of each file, in the order the files are written (the pandera specs' order).
COLUMNS: dict[str, tuple[str, ...]] = {spec.file: tuple(spec.schema.columns) for spec in (FIGURES, TARGETS, PROJECTS)}


@dataclass
class CsvFile:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    bom: bool = False
    newline: str = "\n"

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def fingerprint(path: Path) -> str:
    """sha256 of a file's bytes, or "" for a file that does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def read_csv_file(path: Path, label: str) -> tuple[CsvFile | None, list[Problem]]:
    """Rows exactly as written (no trimming, no normalising); None with a located problem if that is impossible."""
    if not path.is_file():
        return None, [Problem(label, None, None, "file-missing", label)]
    data = path.read_bytes()
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Problem(label, None, None, "file-unreadable", "文件不是 UTF-8 编码;先用 nianbao check 查看并改正")
        ]
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return None, [Problem(label, None, None, "file-unreadable", f"CSV 格式无法解析({exc})")]
    if not records:
        return None, [Problem(label, None, None, "file-unreadable", "文件是空的")]
    header, problems = records[0], []
    expected = COLUMNS.get(path.name)
    if expected is not None:
        problems += [Problem(label, 1, c, "missing-column", c) for c in expected if c not in header]
        problems += [Problem(label, 1, c, "extra-column", c) for c in header if c not in expected]
    table = CsvFile(header, bom=bom, newline=newline)
    line = 2
    for record in records[1:]:
        if not record:  # a blank line
            line += 1
            continue
        if len(record) > len(header):
            problems.append(Problem(label, line, None, "file-unreadable",
                                    f"第{line}行的字段比表头多(数字中是否带了千分位逗号?)"))  # fmt: skip
        table.rows.append(record + [""] * (len(header) - len(record)))
        line += 1 + sum(cell.count("\n") for cell in record)
    return (None if problems else table), problems


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> tuple[str, list[int]]:
    """The file's text and the line (header = 1) on which each row starts: a cell may span several lines."""
    out, starts, line = io.StringIO(), [], 1
    for n, row in enumerate([header] + rows):
        chunk = io.StringIO()
        csv.writer(chunk, lineterminator=newline).writerow(row)
        if n:
            starts.append(line)
        out.write(chunk.getvalue())
        line += chunk.getvalue().count("\n")
    return out.getvalue(), starts


def csv_bytes(table: CsvFile) -> bytes:
    text, _ = csv_text(table.header, table.rows, table.newline)
    return (codecs.BOM_UTF8 if table.bom else b"") + text.encode("utf-8")

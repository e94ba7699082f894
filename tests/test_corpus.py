"""The corpus of bad inputs (tests/corpus/cases.yml): every case's decision and every location it is reported at.

Each case is a named edit of tests/fixtures/mini — the same "overlay on mini" as tests/fixtures/bad/, written as steps
so that encodings, line ends, symbolic links and oversized files need no binary fixtures. For each case the test
asserts:

- the decision: ``rejected`` (an error: no report, the build stops), ``normalised`` (warnings only: the report loads)
  or ``accepted`` (no problem at all);
- every problem, as (file, row, column, code) — nothing more, nothing less;
- that a case that loads gives exactly the numbers of the clean fixture: normalising never changes a number;
- for a few cases, that a real ``mkdocs build`` fails (or passes) without a Python traceback.

DATA_INPUT.md at the repository root holds the same table for developers; ``test_data_input_md_is_generated_from_the
_corpus`` keeps it in step. Regenerate it with ``.venv/bin/python tests/test_corpus.py --write``.
"""

from __future__ import annotations

import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import FIXTURES, REPO, build, write_config  # noqa: E402
from nianbao import normalize  # noqa: E402
from nianbao.cli import collect_problems  # noqa: E402
from nianbao.loader import load_report  # noqa: E402
from nianbao.problems import CODES, ERROR, WARNING  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus" / "cases.yml"
DATA_INPUT = REPO / "DATA_INPUT.md"
MINI = FIXTURES / "mini"
FILES = {
    "F23": "data/editions/2023/figures.csv",
    "P23": "data/editions/2023/projects.csv",
    "F24": "data/editions/2024/figures.csv",
    "T24": "data/editions/2024/targets.csv",
    "P24": "data/editions/2024/projects.csv",
    "E24": "data/editions/2024/edition.yml",
    "CAT": "data/catalog.yml",
    "PARK": "data/park.yml",
    "S24": "docs/2024/summary.md",
}
DECISIONS = ("accepted", "normalised", "rejected")
# Lines 1-7 of a summary page; a prose case writes its line 8 after them (as in tests/test_checks.py).
PAGE_HEAD = '---\ntitle: 工作总结\n---\n\n# 工作总结\n\n全年完成营业收入{{ value("revenue") }}。\n'


def load_cases() -> list[dict]:
    cases = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return cases


CASES = load_cases()
BY_NAME = {case["name"]: case for case in CASES}


def _path(key: str) -> str:
    return FILES.get(key, key)


# --- applying a case's steps to a copy of mini ------------------------------------------------------------------------


def _text(root: Path, key: str) -> str:
    return (root / _path(key)).read_text(encoding="utf-8")


def _write(root: Path, key: str, text: str) -> None:
    (root / _path(key)).write_text(text, encoding="utf-8", newline="")


def _lines(root: Path, key: str) -> list[str]:
    return _text(root, key).split("\n")


def _edit_column(root: Path, key: str, edit) -> None:
    lines = _lines(root, key)
    rows = [line.split(",") if line else [] for line in lines]
    for row in rows:
        if row:
            edit(row, row is rows[0])
    _write(root, key, "\n".join(",".join(row) for row in rows))


def apply_step(root: Path, step: dict, outside: Path) -> None:
    op = next(iter(step))
    key = step[op]
    target = root / _path(key)
    if op == "line":  # replace `old` by `new` on line `at` (1-based)
        lines = _lines(root, key)
        assert step["old"] in lines[step["at"] - 1], (key, step, lines[step["at"] - 1])
        lines[step["at"] - 1] = lines[step["at"] - 1].replace(step["old"], step["new"], 1)
        _write(root, key, "\n".join(lines))
    elif op == "sub":  # replace every `old` in the file
        text = _text(root, key)
        assert step["old"] in text, (key, step)
        _write(root, key, text.replace(step["old"], step["new"]))
    elif op == "insert":  # a new line before line `at`
        lines = _lines(root, key)
        lines.insert(step["at"] - 1, step["text"])
        _write(root, key, "\n".join(lines))
    elif op == "append":
        _write(root, key, _text(root, key) + step["text"])
    elif op == "write":
        _write(root, key, step["text"])
    elif op == "page":  # a summary page whose line 8 is `line8`
        _write(root, key, PAGE_HEAD + step["line8"] + "\n\n正文结束。\n")
    elif op == "drop_column":
        header = _lines(root, key)[0].split(",")
        index = header.index(step["column"])
        _edit_column(root, key, lambda row, _: row.pop(index))
    elif op == "add_column":
        _edit_column(root, key, lambda row, first: row.append(step["column"] if first else step.get("value", "")))
    elif op == "newlines":
        _write(root, key, _text(root, key).replace("\n", step["to"]))
    elif op == "encode":  # the whole file in another encoding (utf-16 writes a byte-order mark)
        target.write_bytes(_text(root, key).encode(step["codec"]))
    elif op == "encode_line":  # one line in another encoding, the rest UTF-8 (a row pasted from another file)
        raw = target.read_bytes().split(b"\n")
        raw[step["at"] - 1] = raw[step["at"] - 1].decode("utf-8").encode(step["codec"])
        target.write_bytes(b"\n".join(raw))
    elif op == "bytes":
        target.write_bytes(bytes.fromhex(step["hex"]))
    elif op == "huge":  # valid rows until the file is larger than the limit
        row = "revenue,2024,,243.10,正式," + "备注" * 40 + "\n"
        head = _text(root, key)
        target.write_text(head + row * (normalize.MAX_FILE_BYTES // len(row.encode()) + 1), encoding="utf-8")
    elif op == "symlink":  # replace a file or folder by a symbolic link
        link_to = step["to"].replace("{outside}", str(outside))
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(link_to)
    elif op == "copytree":
        shutil.copytree(root / _path(key), root / step["to"])
    else:
        raise AssertionError(f"unknown step {op!r}")


def make_case(tmp_path: Path, case: dict) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    outside = tmp_path / "outside"  # a folder next to the project: what a link out of data/ would publish
    outside.mkdir()
    (outside / "secret.csv").write_text("indicator,period,breakdown,value,status,note\n", encoding="utf-8")
    shutil.copytree(MINI / "data" / "editions" / "2024", outside / "edition")
    shutil.copytree(MINI / "data", outside / "data")
    for step in case.get("steps", []):
        apply_step(root, step, outside)
    return root


# --- what a case must report ------------------------------------------------------------------------------------------


def _key(t: tuple) -> tuple:
    return (t[0], t[1] or 0, t[2] or "", t[3])


def expected_locations(case: dict) -> list[tuple]:
    return sorted(((_path(f), row, col, code) for f, row, col, code in case.get("expect", [])), key=_key)


def locations(problems) -> list[tuple]:
    return sorted(((p.file, p.row, p.column, p.code) for p in problems), key=_key)


def decision_of(problems) -> str:
    severities = {p.severity for p in problems}
    return "rejected" if ERROR in severities else ("normalised" if severities else "accepted")


def problems_of(root: Path, case: dict):
    if case.get("check") == "pages":
        return None, collect_problems(root)
    return load_report(root)


def numbers(report) -> dict:
    """Every number a report holds, by where it comes from."""
    out = {}
    for year, edition in report.editions.items():
        for key, fig in edition.figures.items():
            out[("figure", year, key)] = fig.value
        for t in edition.targets:
            out[("target", year, t.indicator, t.period, t.measure)] = t.value
        for n, p in enumerate(edition.projects):
            out[("project", year, n)] = p.investment
    return out


def strings(report) -> set[str]:
    found = {str(v) for v in report.park.values() if isinstance(v, str)}
    for ind in report.catalog.indicators.values():
        found.add(ind.name)
    for dim in report.catalog.dimensions.values():
        found.update(dim.members)
    for edition in report.editions.values():
        for fig in edition.figures.values():
            found.add(fig.note)
        for p in edition.projects:
            found.update((p.name, p.company, p.note))
    return found


@pytest.fixture(scope="module")
def clean_numbers(tmp_path_factory) -> dict:
    report, problems = load_report(make_case(tmp_path_factory.mktemp("clean"), {}))
    assert problems == [] and report is not None
    return numbers(report)


# --- the tests --------------------------------------------------------------------------------------------------------


def test_corpus_is_large_and_well_formed():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)) >= 60
    for case in CASES:
        assert set(case) <= {"name", "group", "input", "decision", "why", "steps", "expect", "check", "build",
                             "keeps", "differs", "renames"}, case["name"]  # fmt: skip
        assert case["decision"] in DECISIONS, case["name"]
        assert case["input"] and case["group"], case["name"]
        for _, _, _, code in case.get("expect", []):
            assert code in CODES, (case["name"], code)
    covered = {case["decision"] for case in CASES}
    assert covered == set(DECISIONS)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_case(tmp_path, name, clean_numbers):
    case = BY_NAME[name]
    root = make_case(tmp_path, case)
    report, problems = problems_of(root, case)  # never raises: a traceback fails the test
    assert locations(problems) == expected_locations(case)
    assert decision_of(problems) == case["decision"]
    for p in problems:
        d = p.as_dict()
        assert d["message"] and "{" not in CODES[p.code][1].replace("{detail}", "") and d["advice"]
    if case.get("check") == "pages":
        return
    if case["decision"] == "rejected":
        assert report is None
        return
    assert report is not None
    # Never a wrong number: what loads equals the clean fixture, number for number (bar what the case changes).
    renames = case.get("renames", {})
    got = {tuple(renames.get(p, p) if isinstance(p, str) else p for p in k[:2])
           + (tuple(renames.get(p, p) for p in k[2]) if isinstance(k[2], tuple) else k[2],) + k[3:]: v
           for k, v in numbers(report).items()}  # fmt: skip
    want = dict(clean_numbers)
    for part in case.get("differs", []):
        got = {k: v for k, v in got.items() if k[0] != part}
        want = {k: v for k, v in want.items() if k[0] != part}
    assert got == want
    assert all(isinstance(v, Decimal) for v in got.values())
    for text in case.get("keeps", []):
        assert text in strings(report), text  # hostile text is kept verbatim: escaping happens on output


BUILD_CASES = sorted(name for name, case in BY_NAME.items() if case.get("build"))


@pytest.mark.parametrize("name", BUILD_CASES)
def test_case_builds_without_a_traceback(tmp_path, name):
    """The real `mkdocs build`: an error stops even a lenient build, with the located table and no traceback; a
    warning lets the lenient build (the preview) through and stops the strict one (`make site`)."""
    case = BY_NAME[name]
    root = make_case(tmp_path, case)
    write_config(root)
    strict = case["decision"] != "rejected"
    result = build(root, tmp_path / "site", strict=strict)
    assert "Traceback" not in result.stderr + result.stdout
    if case["decision"] == "accepted":
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode != 0
    assert case["expect"][0][3] in result.stderr  # the code, in the located table
    if case["decision"] == "rejected":
        assert not (tmp_path / "site" / "index.html").exists()  # data errors stop MkDocs before it writes
    else:
        # --strict aborts after writing the pages: `nianbao build` (make site) builds elsewhere and swaps only on success
        lenient = build(root, tmp_path / "lenient", strict=False)
        assert lenient.returncode == 0 and "Traceback" not in lenient.stderr, lenient.stderr


# --- the table in DATA_INPUT.md ---------------------------------------------------------------------------------------

START, END = "<!-- corpus:start (generated by tests/test_corpus.py --write) -->", "<!-- corpus:end -->"
DECISION_WORDS = {"accepted": "accepted", "normalised": "**normalised**, warning", "rejected": "**rejected**"}


def _where(case: dict) -> str:
    parts = []
    for file, row, column, code in case.get("expect", []):
        place = Path(_path(file)).name if file in FILES else _path(file)
        place += f":{row}" if row else ""
        place += f" `{column}`" if column else ""
        parts.append(f"{place} · `{code}`")
    return "<br>".join(parts) or "—"


def _cell(text: str) -> str:
    """Table-cell text for GitHub's Markdown: one line, | escaped, < shown (not read as HTML)."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def corpus_table() -> str:
    lines = ["| # | group | case | input | decision | reported as (file:row `column` · code) | why |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for n, case in enumerate(CASES, start=1):
        lines.append(f"| {n} | {case['group']} | `{case['name']}` | {_cell(case['input'])} | "
                     f"{DECISION_WORDS[case['decision']]} | {_where(case)} | {_cell(case.get('why', ''))} |")  # fmt: skip
    counts = {d: sum(1 for c in CASES if c["decision"] == d) for d in DECISIONS}
    lines.append("")
    lines.append(f"{len(CASES)} cases: {counts['accepted']} accepted as they are, {counts['normalised']} accepted with "
                 f"normalisation and a warning, {counts['rejected']} rejected.")  # fmt: skip
    return "\n".join(lines)


def codes_table() -> str:
    lines = ["| code | severity | message (Chinese, for office staff) | what to do |", "|---|---|---|---|"]
    used = {code for case in CASES for *_, code in case.get("expect", [])}
    for code, (severity, message, advice) in CODES.items():
        if code in used:
            lines.append(f"| `{code}` | {'error' if severity == ERROR else 'warning'} | {_cell(message)} | "
                         f"{_cell(advice)} |")  # fmt: skip
    return "\n".join(lines)


CODES_START, CODES_END = "<!-- codes:start (generated by tests/test_corpus.py --write) -->", "<!-- codes:end -->"


ATTACKS_START, ATTACKS_END = "<!-- attacks:start (generated by tests/test_corpus.py --write) -->", "<!-- attacks:end -->"


def generated(doc: str) -> str:
    from test_attacks import attacks_table  # imported here: test_attacks imports this module

    for start, end, body in ((START, END, corpus_table()), (CODES_START, CODES_END, codes_table()),
                             (ATTACKS_START, ATTACKS_END, attacks_table())):  # fmt: skip
        head, rest = doc.split(start, 1)
        _, tail = rest.split(end, 1)
        doc = f"{head}{start}\n{body}\n{end}{tail}"
    return doc


def test_data_input_md_is_generated_from_the_corpus():
    doc = DATA_INPUT.read_text(encoding="utf-8")
    assert doc == generated(doc), "DATA_INPUT.md is out of date: run .venv/bin/python tests/test_corpus.py --write"
    assert "DATA_INPUT.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_reading_code_appears_in_the_corpus():
    """Each code of the reading stage is exercised by at least one case (so the table documents it)."""
    reading = [code for code in CODES if code in {
        "file-empty", "file-too-large", "file-symlink", "yaml-unsafe", "encoding-converted", "encoding-broken", "tab-separated", "wrong-delimiter", "csv-syntax", "field-count", "header-not-first",
        "repeated-header", "duplicate-column", "empty-column", "blank-row", "whitespace-trimmed", "fullwidth-normalised",
        "number-too-long", "control-character", "formula-like-text", "duplicate-project", "prose-unsafe-html",
        "page-not-utf8"}]  # fmt: skip
    used = {code for case in CASES for *_, code in case.get("expect", [])}
    assert [code for code in reading if code not in used] == []


def test_warnings_and_errors_match_their_decision():
    for case in CASES:
        severities = {CODES[code][0] for *_, code in case.get("expect", [])}
        want = "rejected" if ERROR in severities else ("normalised" if WARNING in severities else "accepted")
        assert case["decision"] == want, case["name"]


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        DATA_INPUT.write_text(generated(DATA_INPUT.read_text(encoding="utf-8")), encoding="utf-8")
        sys.stdout.write(f"wrote {DATA_INPUT}\n")
    else:
        sys.stdout.write(corpus_table() + "\n")

"""``nianbao init``: an office starts its own park in one command, fills the blanks it lists, and builds.

Real commands in real folders: ``nianbao init DIR`` copies this project's build files, the check lists the blanks, the
test fills them the way an office would (a number in every figure, text for every 【待填写】, the footer), and the
strict build with PDFs publishes a site with nothing of the sample left.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from nianbao.site import collect_problems

NIANBAO = [sys.executable, "-m", "nianbao.cli"]
NAME, ISSUER = "松岭县经济开发区", "松岭县经济开发区管理委员会"


def init(target: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, "init", str(target), "--name", NAME, "--issuer", ISSUER, "--year", "2025",
                           *options], capture_output=True, text=True)  # fmt: skip


def fill_blanks(root: Path) -> None:
    """What the office does after init: every blank figure gets a number the checks accept, every mark a sentence."""
    catalog = yaml.safe_load((root / "data/catalog.yml").read_text(encoding="utf-8"))
    figures = root / "data/editions/2025/figures.csv"
    rows = list(csv.DictReader(io.StringIO(figures.read_text(encoding="utf-8"))))
    for row in rows:
        ind = catalog["indicators"][row["indicator"]]
        complete = [d for d in ind.get("breakdowns", ()) if catalog["dimensions"][d].get("complete")]
        members = len(catalog["dimensions"][complete[0]]["members"]) if complete else 10
        value = 10 if row["breakdown"] else 10 * members  # parts of a complete dimension add up to the total
        row["value"] = str(value + (1 if row["period"] == "2025" and not row["breakdown"] and not complete else 0))
        row["status"] = "正式"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    figures.write_text(out.getvalue(), encoding="utf-8")
    for page in [*root.glob("docs/**/*.md"), root / "data/park.yml"]:
        text = re.sub(r"【待填写[^】\n]*】?", "本年各项工作稳步推进", page.read_text(encoding="utf-8"))
        page.write_text(text, encoding="utf-8")
    park = root / "data/park.yml"
    park.write_text(re.sub(r"(\S+): ''", r"\1: 已备案", park.read_text(encoding="utf-8")), encoding="utf-8")


def test_check_after_init_lists_exactly_the_blanks(tmp_path):
    root = tmp_path / "park"
    result = init(root, "--industries", "新材料、装备制造", "--zones", "北区、南区")
    assert result.returncode == 0, result.stderr
    problems = collect_problems(root)
    codes = {p.code for p in problems}
    assert codes == {"missing-value", "prose-placeholder", "footer-identifier-empty"}
    figures = (root / "data/editions/2025/figures.csv").read_text(encoding="utf-8").splitlines()
    blank_cells = sum(line.count(",,") for line in figures[1:])  # empty value and status (and breakdown)
    assert sum(p.code == "missing-value" for p in problems) == 2 * (len(figures) - 1)
    assert blank_cells > 0
    assert {p.file for p in problems if p.code == "prose-placeholder"} >= {
        "data/park.yml", "docs/index.md", "docs/2025/summary.md", "docs/2025/problems.md", "docs/2025/plan.md"}


@pytest.mark.browser
def test_init_fill_build_has_nothing_of_the_sample(tmp_path):
    root = tmp_path / "park"
    assert init(root, "--industries", "新材料、装备制造", "--zones", "北区、南区").returncode == 0
    fill_blanks(root)
    assert [p for p in collect_problems(root) if not p.is_notice] == []
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1735689600")
    build = subprocess.run([*NIANBAO, "build", "--strict", "--pdf"], cwd=root, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f" - {NAME}年度工作报告</title>" in home  # Material writes "page - site"
    assert NAME in home.split("<header", 1)[1].split("</header>", 1)[0]  # the header
    assert ISSUER in home.split("<footer", 1)[1]  # the footer
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
             if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml", ".js") and "assets" not in p.parts]  # fmt: skip
    pdfs = sorted(site.glob("pdf/*.pdf"))
    assert pdfs, "no PDF printed"
    texts += [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout for p in pdfs]
    assert NAME in texts[-1]  # the PDF cover
    for word in ("青溪", "示例"):
        assert not [t[:80] for t in texts if word in t], word


def test_init_refuses_a_real_park_and_a_folder_that_is_not_empty(tmp_path):
    root = tmp_path / "park"
    assert init(root).returncode == 0
    again = init(root)
    assert again.returncode == 1 and "不是空的" in again.stderr
    in_place = subprocess.run([*NIANBAO, "init", "--root", str(root), "--name", "另一个园区", "--issuer", "某单位"],
                              capture_output=True, text=True)  # fmt: skip
    assert in_place.returncode == 1 and "真实的园区" in in_place.stderr
    assert yaml.safe_load((root / "data/park.yml").read_text(encoding="utf-8"))["name"] == NAME


def test_disclosure_preset(tmp_path):
    root = tmp_path / "disclosure"
    result = init(root, "--preset", "disclosure")
    assert result.returncode == 0, result.stderr
    park = yaml.safe_load((root / "data/park.yml").read_text(encoding="utf-8"))
    assert park["title"] == f"{NAME}政府信息公开工作年度报告"
    assert {p.code for p in collect_problems(root)} == {"missing-value", "prose-placeholder", "footer-identifier-empty"}


def test_sample_text_left_in_a_real_park_is_an_error(tmp_path):
    root = tmp_path / "park"
    assert init(root).returncode == 0
    page = root / "docs/2025/summary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n参照青溪县的做法。\n", encoding="utf-8")
    found = [(p.file, p.code) for p in collect_problems(root) if p.code == "sample-text-left"]
    assert found == [("docs/2025/summary.md", "sample-text-left")]


def test_the_suite_does_not_depend_on_the_sample_in_data(tmp_path):
    # A repository whose data/ and docs/ are an init'ed park: the tests read their sample from tests/fixtures, so they
    # still pass there. The data-independent part that is quick enough to run twice is run inside that repository.
    root = tmp_path / "park"
    assert init(root, "--zones", "北区、南区").returncode == 0
    assert not (root / "data/editions/2024").exists() and (root / "tests/fixtures/qingxi/data/editions/2024").is_dir()
    quick = ["tests/test_checks.py", "tests/test_relations.py", "tests/test_prose_figures.py", "tests/test_guide.py",
             "tests/test_realreports.py", "tests/test_numbers.py"]  # fmt: skip
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *quick], cwd=root,
                            env=env, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout

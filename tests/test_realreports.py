"""The real-report corpus: published reports entered as printed, and every finding a careful reader verified by hand.

Each folder of tests/realreports (see its FORMAT.md) is a small project with an ``expected.yml``. The check must
report exactly those findings, located by code, file, row and column: every real inconsistency and nothing on the
consistent claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nianbao.site import collect_problems

CORPUS = Path(__file__).parent / "realreports"
FIXTURES = sorted(p.parent.name for p in CORPUS.glob("*/expected.yml"))


def _expected(folder: Path) -> dict:
    return yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FIXTURES)
def test_findings_are_exactly_the_verified_ones(name):
    folder = CORPUS / name
    expected = _expected(folder)
    found = sorted((p.code, p.file, p.row, p.column) for p in collect_problems(folder))
    wanted = sorted((f["code"], f["file"], f["row"], f["column"]) for f in expected["findings"] or ())
    assert found == wanted


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_names_its_source_and_claims(name):
    folder = CORPUS / name
    expected = _expected(folder)
    assert expected["source"].startswith("http")
    assert expected["claims"] >= 1
    assert (folder / "README.md").is_file()


def test_corpus_holds_at_least_twelve_real_reports():
    # Variants of one report (the same figures entered another way) share its source URL and count once.
    sources = {_expected(CORPUS / name)["source"] for name in FIXTURES}
    assert len(sources) >= 12, sorted(sources)

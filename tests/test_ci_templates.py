"""The CI templates (GitHub Actions, GitLab CI) parse, have the jobs the review process needs, run only Makefile
targets the README documents, and install only from package registries; ``nianbao check`` locates its errors for
GitHub (annotations on the line) and GitLab (Code Quality on the cell)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import FIXTURES, REPO

GITHUB = REPO / ".github" / "workflows"
MAKE_CALL = re.compile(r"(?:^|[;&|(]\s*|\n\s*)make\s+([^\n;&|)]*)")
# Ways to install something that bypass the registries (or the lock files) and are not allowed in the templates.
FORBIDDEN = (
    re.compile(r"(curl|wget)[^\n|]*\|\s*(ba|z)?sh"),  # piping a download into a shell
    re.compile(r"\bpip3?\s+install\b"),  # Python packages come from requirements.lock through make setup
    re.compile(r"\bnpm\s+(install|i|ci)\b"),  # npm packages come from package.json through make setup
    re.compile(r"add-apt-repository|/etc/apt/sources"),  # only the distribution's own apt repositories
    re.compile(r"git\+https?://|\.whl\b|\.tar\.gz\b"),
)


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.M))


def readme_targets() -> set[str]:
    return set(re.findall(r"\bmake ([a-z][a-z-]*)", (REPO / "README.md").read_text(encoding="utf-8")))


def make_targets(commands: list[str]) -> list[str]:
    """Every target named by a ``make …`` call in shell commands (variables like FORMAT=github are not targets)."""
    found = []
    for command in commands:
        command = re.sub(r"\$\{\{.*?\}\}", "EXPR", command)  # GitHub expressions hold spaces
        for call in MAKE_CALL.findall(command):
            found += [word for word in call.split() if "=" not in word and not word.startswith("-")]
    return found


def github_runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def github_uses(workflow: dict) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def gitlab_jobs(config: dict) -> dict[str, dict]:
    reserved = {"workflow", "stages", "variables", "default", "include", "image", "services", "cache", "before_script",
                "after_script"}  # fmt: skip
    return {name: job for name, job in config.items() if name not in reserved and not name.startswith(".")}


def gitlab_commands(config: dict) -> list[str]:
    commands = list(config.get("default", {}).get("before_script", []))
    for job in gitlab_jobs(config).values():
        for key in ("before_script", "script", "after_script"):
            commands += job.get(key, [])
    return commands


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_github_pull_request_workflow():
    workflow = load(GITHUB / "pull-request.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert workflow["permissions"]["pull-requests"] == "write"
    jobs = workflow["jobs"]
    assert set(jobs) >= {"check", "build", "diff", "test"}
    assert "make check FORMAT=github" in github_runs({"jobs": {"check": jobs["check"]}})

    build_runs = github_runs({"jobs": {"build": jobs["build"]}})
    assert "make system-deps" in build_runs and "make site" in build_runs
    upload = next(s for s in steps_of(jobs["build"]) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"  # the site with its PDFs

    diff = jobs["diff"]
    checkout = next(s for s in steps_of(diff) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base revision must be there for git
    (report,) = [s["run"] for s in steps_of(diff) if "make diff" in s.get("run", "")]
    assert "BASE=${{ github.event.pull_request.base.sha }}" in report and "OUT=nianbao-diff.md" in report
    comment = next(s for s in steps_of(diff) if s.get("uses", "").startswith("actions/github-script"))
    assert "nianbao-diff.md" in comment["with"]["script"] and "<!-- nianbao-diff -->" in comment["with"]["script"]
    assert "make test" in github_runs({"jobs": {"test": jobs["test"]}})


def test_github_publish_workflow():
    workflow = load(GITHUB / "publish.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    runs = github_runs(workflow)
    assert "make site" in runs and "make check FORMAT=github" in runs
    uses = github_uses(workflow)
    pages = next(s for s in steps_of(workflow["jobs"]["build"]) if s.get("uses", "").startswith("actions/upload-pages"))
    assert pages["with"]["path"].rstrip("/") == "site"
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_gitlab_ci():
    config = load(REPO / ".gitlab-ci.yml")
    jobs = gitlab_jobs(config)
    assert set(jobs) >= {"check", "build", "diff", "pages", "test"}
    assert config["variables"]["GIT_DEPTH"] == "0"

    check = jobs["check"]
    assert "make check FORMAT=gitlab OUT=gl-code-quality-report.json || true" in check["script"]
    assert "make check" in check["script"]  # the readable table in the log, and the exit code
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"

    assert "make site" in jobs["build"]["script"] and jobs["build"]["artifacts"]["paths"] == ["site/"]

    diff = jobs["diff"]
    assert diff["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = "\n".join(diff["script"])
    assert 'make diff BASE="$CI_MERGE_REQUEST_DIFF_BASE_SHA" OUT=nianbao-diff.md' in script
    assert "merge_requests/{}/notes" in script and "<!-- nianbao-diff -->" in script
    assert "nianbao-diff.md" in diff["artifacts"]["paths"]

    pages = jobs["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "make site" in pages["script"] and pages["artifacts"]["paths"] == ["public"]
    assert any("cp -r site public" in line for line in pages["script"])


@pytest.mark.parametrize("template", ["github", "gitlab"])
def test_templates_run_documented_make_targets_and_install_only_from_registries(template):
    if template == "github":
        workflows = [load(p) for p in sorted(GITHUB.glob("*.yml"))]
        commands = [run for w in workflows for run in github_runs(w)]
        for w in workflows:  # only GitHub's own actions, at a major version
            assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in github_uses(w)), github_uses(w)
    else:
        commands = gitlab_commands(load(REPO / ".gitlab-ci.yml"))
    targets = make_targets(commands)
    assert {"check", "site", "diff"} <= set(targets)
    assert set(targets) <= makefile_targets(), set(targets) - makefile_targets()
    assert set(targets) <= readme_targets(), set(targets) - readme_targets()
    text = "\n".join(commands)
    for pattern in FORBIDDEN:
        assert not pattern.search(text), pattern.pattern
    for install in re.findall(r"apt-get install[^\n;&|>]*", text):  # named Debian packages only
        assert all(re.fullmatch(r"-[-\w]+|[a-z0-9][a-z0-9.+-]*", word) for word in install.split()[2:]), install


def test_makefile_help_lists_the_review_targets():
    result = subprocess.run(["make", "-s", "-C", str(REPO), "help"], capture_output=True, text=True, check=True)
    assert re.search(r"make check .*FORMAT=github", result.stdout)
    assert re.search(r"make diff .*BASE=", result.stdout)


# --- located annotations --------------------------------------------------------------------------------------------


def _broken_project(tmp_path):
    project = tmp_path / "park"
    for name in ("data", "docs"):
        shutil.copytree(FIXTURES / "mini" / name, project / name)
    figures = project / "data/editions/2024/figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines()
    line_no = next(n for n, line in enumerate(lines, start=1) if line.startswith("tax,2024,"))
    lines[line_no - 1] = "tax,2024,,12亿,正式,"  # a unit typed into the value cell
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    column = len("tax,2024,,") + 1  # the value cell starts after three fields and their commas
    return project, line_no, column


def test_check_github_format_annotates_the_line(tmp_path):
    project, line_no, column = _broken_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "check", "--format", "github"], cwd=project,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file=data/editions/2024/figures.csv,line={line_no},col={column},title=invalid-number::"
        "value 列:“12亿”不是数字。只填数字,不要带单位、百分号或千分位逗号"
    ]


def test_check_github_format_paths_are_relative_to_the_repository(tmp_path):
    """A project in a sub-folder of its repository: the annotation names the file as the repository does."""
    project, line_no, _ = _broken_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for cwd, root in ((tmp_path, "park"), (project / "docs", "..")):
        result = subprocess.run([sys.executable, "-m", "nianbao.cli", "check", "--root", root, "--format", "github"],
                                cwd=cwd, capture_output=True, text=True)  # fmt: skip
        assert result.stdout.startswith(f"::error file=park/data/editions/2024/figures.csv,line={line_no},col=")


def test_check_github_format_escapes_workflow_command_characters(tmp_path):
    from nianbao.commands.check import github_annotation
    from nianbao.problems import Problem

    problem = Problem("data/a,b.csv", 3, None, "invalid-number", "50%\n")
    assert github_annotation(tmp_path, problem) == (
        "::error file=data/a%2Cb.csv,line=3,title=invalid-number::“50%25%0A”不是数字。只填数字,不要带单位、百分号或千分位逗号"
    )


def test_check_gitlab_format_is_a_code_quality_report(tmp_path):
    project, line_no, column = _broken_project(tmp_path)
    out = tmp_path / "gl-code-quality-report.json"
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "check", "--format", "gitlab", "--output", str(out)],
                            cwd=project, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1
    (issue,) = json.loads(out.read_text(encoding="utf-8"))
    assert issue["check_name"] == "invalid-number" and issue["severity"] == "major"
    position = {"line": line_no, "column": column}  # the value cell's first character
    assert issue["location"] == {"path": "data/editions/2024/figures.csv", "positions": {"begin": position}}
    assert len(issue["fingerprint"]) == 64

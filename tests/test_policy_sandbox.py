"""Resource limits of the page sandbox: every amplifier a page could hold ends within 10 s, under 500 MB, as a located
error at its page line — measured on the real `nianbao check` in a child process (wall time, and the child's peak
memory from the kernel)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import jinja2
import pytest
from nianbao.prose import ProseSandbox
from test_corpus import make_case

AMPLIFIERS = {
    "nested-range-loops": "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "range-too-long": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "loops-over-long-strings": '{% for c in "x" * 10000 %}{% for d in "y" * 10000 %}{% endfor %}{% endfor %}',
    "many-chart-calls": '{% for i in range(10000) %}{% for j in range(9) %}{{ chart("line", ["revenue"]) }}'
                        "{% endfor %}{% endfor %}",
    "slow-calls-without-output": '{% for i in range(10000) %}{% for j in range(9) %}'
                                 '{% set c = chart("line", ["revenue"]) %}{% endfor %}{% endfor %}',
    "center-method": '{{ "x".center(10**9) }}',
    "center-filter": '{{ "x" | center(10**9) }}',
    "percent-width": '{{ "%1000000000s" % "x" }}',
    "percent-star-width": '{{ "%*s" % (1000000000, "x") }}',
    "format-width": '{{ "{:>1000000000}".format("x") }}',
    "format-filter-width": '{{ "%1000000000d" | format(1) }}',
    "doubling-in-a-loop": '{% set ns = namespace(s="xx") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}'
                          "{% endfor %}{{ ns.s | length }}",
    "list-doubling": "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
    "replace-amplifier": '{% set a = "x" * 10000 %}{{ a | replace("x", a) }}',
    "replace-method-amplifier": '{% set a = "x" * 10000 %}{{ a.replace("", a) }}',
    "join-amplifier": '{% set a = "x" * 10000 %}{{ a.join([a] * 10000) }}',
    "output-flood": '{% for i in range(10000) %}{{ "x" * 10000 }}{% endfor %}',
    "lipsum": "{{ lipsum(1000000) }}",
}


def _check_in_child(root) -> tuple[float, int, int, dict]:
    """(seconds, peak RSS in MB, exit code, json report) of `nianbao check` on the project."""
    out, err = root.parent / "problems.json", root.parent / "stderr.txt"
    start = time.monotonic()
    with err.open("wb") as stderr_file:
        child = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "check", "--root", str(root), "--format",
                                  "json", "--output", str(out)], stdout=subprocess.DEVNULL, stderr=stderr_file)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory, from the kernel
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    seconds = time.monotonic() - start
    stderr = err.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr
    return seconds, usage.ru_maxrss // 1024, child.returncode, json.loads(out.read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(AMPLIFIERS))
def test_an_amplifier_is_a_located_error_within_10_s_and_500_mb(tmp_path, name):
    root = make_case(tmp_path, {"steps": [{"page": "S24", "line8": AMPLIFIERS[name]}]})
    seconds, megabytes, code, report = _check_in_child(root)
    assert seconds < 10, f"{name}: {seconds:.1f} s"
    assert megabytes < 500, f"{name}: {megabytes} MB"
    assert code == 1
    problems = report["problems"] if isinstance(report, dict) else report
    located = [(p["file"], p["row"], p["code"]) for p in problems if p.get("severity") == "error"]
    assert ("docs/2024/summary.md", 8, "prose-unknown-function") in located, problems


def _render(source: str) -> str:
    env = ProseSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(source).render()


def test_ordinary_template_features_still_work():
    source = ('{{ "abc".upper() }} {{ range(3) | join(",") }} {{ "a-b" | replace("-", "+") }} '
              "{% for i in range(3) %}{{ i }}{% if not loop.last %};{% endif %}{% endfor %} "
              '{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} '
              '{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m("y") }} {{ "%.1f" % 2.25 }} {{ "x" | center(5) }}')  # fmt: skip
    assert _render(source) == "ABC 0,1,2 a+b 0;1;2 10 [y] 2.2   x  "


def test_each_page_gets_its_own_budget():
    env = ProseSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    page = "{% for i in range(10000) %}{% for j in range(9) %}{% endfor %}{% endfor %}ok"  # 90,000 steps
    assert [env.from_string(page).render() for _ in range(3)] == ["ok"] * 3

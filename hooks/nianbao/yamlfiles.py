"""Read a YAML file and validate it against one of the JSON Schemas in ``schemas/``, reporting located problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .problems import Problem

# libyaml's parser (shipped in PyYAML's wheels) reads the catalog about ten times faster than the pure-Python one and
# reports the same errors with the same line marks; the pure-Python loader remains the fallback.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InvalidDate(yaml.constructor.ConstructorError):
    pass


class SafeLoader(_BASE_LOADER):
    """The safe loader, except that an impossible date (``published: 2025-02-30``) is a located YAML error.

    PyYAML turns date-shaped text into a date and lets ``ValueError`` escape from the constructor, without a line.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise InvalidDate(None, None, node.value, node.start_mark) from None


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)
SAFE_LOADER = SafeLoader


@cache
def _schema(name: str) -> dict:
    text = resources.files("nianbao.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _plain(value):
    """YAML turns 2025-01-20 into a date; the schemas speak JSON, so dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_yaml(path: Path, schema: str, label: str) -> tuple[dict | None, list[Problem]]:
    """Return (data, problems). ``label`` is the path shown to the user (relative to the project)."""
    if not path.is_file():
        return None, [Problem(label, None, None, "file-missing", label)]
    try:
        data = _plain(yaml.load(path.read_text(encoding="utf-8-sig"), Loader=SAFE_LOADER))
    except UnicodeDecodeError:
        return None, [Problem(label, None, None, "file-unreadable", "文件不是 UTF-8 编码")]
    except RecursionError:  # normalize.check_yaml_file refuses deep nesting first; this is the last guard
        return None, [Problem(label, None, None, "yaml-too-deep", "")]
    except InvalidDate as exc:
        return None, [Problem(label, exc.problem_mark.line + 1, None, "yaml-invalid-date", exc.problem)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        return None, [Problem(label, row, None, "yaml-invalid", str(getattr(exc, "problem", exc)))]
    validator = jsonschema.Draft202012Validator(_schema(schema))
    problems = [
        Problem(label, None, "/".join(str(p) for p in err.absolute_path) or None, "schema-invalid", schema_message(err))
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return (None if problems else data), with_rows(path, problems)


TYPE_WORDS = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false", "array": "列表([…])",
              "object": "一组“名称: 值”", "null": "空"}  # fmt: skip


def schema_message(err: jsonschema.ValidationError) -> str:
    """jsonschema's finding in the words of GUIDE.md, for office staff: what is wrong and what is allowed."""
    kind, expected, value = err.validator, err.validator_value, err.instance
    if kind == "required":
        missing = [key for key in expected if isinstance(value, dict) and key not in value]
        return f"缺少必填项 {'、'.join(missing)}"
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = set(err.schema.get("properties") or {})
        extra = [key for key in value if key not in allowed]
        hint = f"(可以写的项:{'、'.join(sorted(allowed))})" if allowed else ""
        return f"不认识的项 {'、'.join(map(str, extra))}{hint}"
    if kind == "enum":
        return f"“{value}”不是允许的取值,可选:{'、'.join(map(str, expected))}"
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        quoted = ";编号、代码等以数字写成的文字要加英文引号,如 \"0000000001\"(不加引号,开头的 0 会丢失)" if (
            "string" in wanted and isinstance(value, int | float)) else ""  # fmt: skip
        return f"“{value}”应当是{'或'.join(TYPE_WORDS.get(t, t) for t in wanted)}{quoted}"
    if kind == "pattern":
        return f"“{value}”的写法不对" + ("(日期写成 年-月-日,如 2025-01-20)" if "\\d{4}-" in expected else "")
    if kind == "propertyNames":
        return "名称只能用小写英文字母、数字和下划线,并以字母开头(如 revenue、tax_share)"
    if kind in ("minItems", "minProperties"):
        return f"至少要写 {expected} 项"
    if kind == "maxItems":
        return f"最多写 {expected} 项"
    if kind == "minLength":
        return "不能为空"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"“{value}”太小,应{'不小于' if kind == 'minimum' else '大于'} {expected}"
    if kind == "maximum":
        return f"“{value}”太大,应不大于 {expected}"
    if kind == "uniqueItems":
        return "列表中有重复的项"
    if kind == "oneOf":
        return "写法不符合任何一种允许的格式(见 GUIDE.md 第四部分)"
    return err.message


def with_rows(path: Path, problems: list[Problem]) -> list[Problem]:
    """Give problems located by a key path (``indicators/tax/unit``) the line of that key in the file."""
    if not any(p.row is None and p.column for p in problems):
        return problems
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return problems
    return [dataclasses.replace(p, row=_line_of(root, p.column.split("/")))
            if p.row is None and p.column and root is not None else p for p in problems]  # fmt: skip


def _line_of(node, parts: list[str]) -> int | None:
    line = None
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            entry = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if entry is None:
                break
            line, node = entry[0].start_mark.line + 1, entry[1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line

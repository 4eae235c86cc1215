"""Messages about a pack, a jurisdiction or facts: Chinese first, then English, positions named and 1-based.

pydantic and PyYAML speak English only; their messages are translated here by error type, unknown keys
and ids get "did you mean" with the list of valid ones, and a place in a file is named the way a person
counts: ("rules", 1, "whn") is "第2条规则 rules[2].whn".
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from ..suggest import did_you_mean

# How a person names an item of each list: 第2条规则, 第1个规则包.
_SECTIONS = {
    "rules": ("条", "规则"),
    "clauses": ("条", "条款"),
    "interpretations": ("条", "解释"),
    "cases": ("个", "用例"),
    "packs": ("个", "规则包"),
    "not_applied": ("个", "未采用的规则包"),
    "people": ("个", "人员"),
}


def named_path(path: tuple[Any, ...]) -> str:
    """("rules", 1, "when") -> "第2条规则 rules[2].when"; indexes are 1-based."""
    en = ""
    zh = ""
    for i, p in enumerate(path):
        if isinstance(p, int):
            en += f"[{p + 1}]"
            if not zh:
                parent = path[i - 1] if i else None
                counter, name = _SECTIONS.get(str(parent), ("项", ""))
                zh = f"第{p + 1}{counter}{name}"
        else:
            en += ("." if en else "") + str(p)
    return f"{zh} {en}".strip() if en else "(文件 file)"


def _unwrap(annotation: Any) -> Any:
    """The model inside list[X], X | None, dict[str, X], or None."""
    for _ in range(5):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, tuple, set, frozenset) and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            models = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else (inner[0] if inner else None)
        else:
            return None
    return None


def model_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def model_at(root: type[BaseModel] | None, path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the mapping at `path` (list indexes and dict keys skipped)."""
    model = root
    for p in path:
        if model is None:
            return None
        if isinstance(p, int):
            continue
        fields = {(f.alias or n): f for n, f in model.model_fields.items()} | dict(model.model_fields)
        if p in fields:
            model = _unwrap(fields[p].annotation)
        # a dict key (e.g. a pending pack id) keeps the dict's value model
    return model


_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"'([^']*)'")


def _shown(v: Any) -> str:
    if isinstance(v, int) and v.bit_length() > 256:  # repr of a 5,000-digit integer raises (issue 16 item 6)
        return ""
    if isinstance(v, str | int | float | bool) and len(repr(v)) <= 80:
        return f" (实际 got {v!r})"
    return ""


def fullwidth_hint(value: Any) -> str:
    """A hint when a value holds the full-width punctuation Chinese keyboards type (，：)."""
    if isinstance(value, str) and ("，" in value or "：" in value):
        mark = "，" if "，" in value else "："
        ascii_mark = "," if mark == "，" else ":"
        return f"; 含全角符号 {mark!r}，应为半角 {ascii_mark!r} contains a full-width {mark!r}: type {ascii_mark!r}"
    return ""


def translate(err: dict[str, Any], root: type[BaseModel] | None = None) -> str:
    """One pydantic error as "中文 English", with the valid keys/values where there is a list of them."""
    kind = err["type"]
    loc = tuple(err.get("loc", ()))
    ctx = err.get("ctx") or {}
    got = err.get("input")
    msg = str(err.get("msg", ""))
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        model = model_at(root, loc[:-1]) if root is not None else None
        valid = model_keys(model) if model is not None else []
        return f"未知的键 unknown key {key!r}" + did_you_mean(str(key), valid) + fullwidth_hint(key)
    if kind == "missing":
        return f"缺少必填项 required key missing: {loc[-1]!r}" if loc else "缺少必填项 required key missing"
    if kind in ("literal_error", "enum"):
        valid = _QUOTED.findall(str(ctx.get("expected", "")))
        return (
            f"取值 {got!r} 不在可选值中 is not an allowed value" + did_you_mean(str(got), valid) + fullwidth_hint(got)
        )
    simple = {
        "string_type": "应为文本 must be text",
        "int_type": "应为整数 must be a whole number",
        "int_parsing": "应为整数 must be a whole number",
        "int_from_float": "应为整数 must be a whole number",
        "float_type": "应为数字 must be a number",
        "float_parsing": "应为数字 must be a number",
        "bool_type": "应为 true 或 false must be true or false",
        "bool_parsing": "应为 true 或 false must be true or false",
        "list_type": "应为列表 must be a list ([a, b] or one `- item` per line)",
        "dict_type": "应为映射 must be a mapping (key: value)",
        "model_type": "应为映射 must be a mapping (key: value)",
        "model_attributes_type": "应为映射 must be a mapping (key: value)",
        "date_type": '应为日期 must be a date "YYYY-MM-DD"',
        "date_parsing": '应为日期 must be a date "YYYY-MM-DD"',
        "date_from_datetime_parsing": '应为日期 must be a date "YYYY-MM-DD"',
        "date_from_datetime_inexact": '应为日期 must be a date "YYYY-MM-DD", without a time',
        "none_required": "应为空 must be null",
    }
    if kind in simple:
        return simple[kind] + _shown(got)
    if kind in ("too_short", "string_too_short"):
        n = ctx.get("min_length", 1)
        return f"至少需要 {n} 项 needs at least {n} item(s)" if kind == "too_short" else "不能为空 must not be empty"
    if kind in ("too_long", "string_too_long"):
        return f"过长 too long (at most {ctx.get('max_length')})" + _shown(got)
    if kind == "string_pattern_mismatch":
        return (
            "格式不对：只能用小写字母、数字和 - _ . 且以字母或数字开头 "
            "must be lower case letters, digits, - _ . starting with a letter or digit" + _shown(got)
        )
    bounds = {
        "greater_than_equal": ("须不小于", "must be at least", "ge"),
        "greater_than": ("须大于", "must be more than", "gt"),
        "less_than_equal": ("须不大于", "must be at most", "le"),
        "less_than": ("须小于", "must be less than", "lt"),
    }
    if kind in bounds:
        zh, en, key = bounds[kind]
        return f"{zh} {ctx.get(key)} {en} {ctx.get(key)}" + _shown(got)
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        # Our own validators already speak Chinese first; pydantic's own ones do not.
        return text if _CJK.search(text) else f"取值有误 invalid value: {text}"
    return f"取值有误 invalid value: {msg}" + _shown(got)


# PyYAML's syntax messages, by their start, with the usual cause for someone typing on a Chinese keyboard.
_SYNTAX = [
    ("mapping values are not allowed here", "此处不能有冒号：多半是缩进不对，或值里的 ': ' 需要加引号"),
    ("could not find expected ':'", "找不到冒号 ':'：多半是用了全角冒号 '：'，或缩进不对"),
    ("did not find expected key", "缩进没对齐：同一层的键要用相同数量的空格缩进"),
    ("did not find expected '-' indicator", "列表项缩进没对齐：每个 '- ' 要对齐"),
    ("found character '\\t' that cannot start any token", "用了制表符 Tab：YAML 只能用空格缩进"),
    ("found a tab character", "用了制表符 Tab：YAML 只能用空格缩进"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合，或分隔用了全角逗号 '，'"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合，或分隔用了全角逗号 '，'"),
    ("expected <block end>, but found", "缩进不对：这一行比上面同一层的行缩进得多或少"),
    ("found undefined alias", "不允许使用别名 *"),
    ("found unexpected ':'", "此处不能有冒号：值里的冒号需要加引号"),
]


def syntax_message(problem: str | None) -> str:
    text = problem or "syntax error"
    for start, zh in _SYNTAX:
        if text.startswith(start):
            return f"YAML 语法错误：{zh} syntax error: {text}"
    return f"YAML 语法错误 syntax error: {text}"


_KEY_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w.-]*\s*：")
_FULLWIDTH_COMMA_IN_FLOW = re.compile(r"[\[{][^\"'\]}]*，")


def typing_slips(text: str, last_line: int) -> list[tuple[int, int, str]]:
    """Full-width colons after a key, tabs or full-width spaces in indentation, and full-width commas in
    [ ] or { }: (line, col, message) for every one on lines 1..last_line (the line YAML gave up on)."""
    out: list[tuple[int, int, str]] = []
    for n, line in enumerate(text.splitlines()[:last_line], start=1):
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        lead = line[:indent]
        if "\t" in lead:
            out.append((n, lead.index("\t") + 1, "缩进中有制表符 Tab a tab in the indentation: indent with spaces"))
        if "\u3000" in lead:
            out.append((n, lead.index("\u3000") + 1, "缩进中有全角空格 a full-width space (U+3000) in the indentation"))
        m = _KEY_FULLWIDTH_COLON.match(line)
        if m:
            out.append((n, m.end(), "键后是全角冒号 '：' a full-width colon after the key: type ':' and a space"))
        m = _FULLWIDTH_COMMA_IN_FLOW.search(line)
        if m:
            out.append((n, m.end(), "列表中有全角逗号 '，' a full-width comma in a list: type ',' "))
    return out

"""Read policy YAML safely and remember where every value came from.

Policy staff edit these files by hand, so the reader is strict where YAML 1.1 is surprising:
only true/false, null, decimal ints and floats are typed; anything that another YAML 1.1 tool would
read as a boolean, an octal or a base-60 number must be quoted; duplicate keys, anchors/aliases and
explicit tags are refused. Each value's position is kept by path so that schema errors can be
reported as file:line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem

MAX_BYTES = 5_000_000
MAX_DEPTH = 64

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
# Plain scalars that YAML 1.1 tools (PyYAML, many editors) would not read as text.
_YAML11_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE)$")
_YAML11_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_YAML11_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


_ALLOWED_TAGS = {
    MappingNode: {"tag:yaml.org,2002:map"},
    SequenceNode: {"tag:yaml.org,2002:seq"},
    ScalarNode: {"tag:yaml.org,2002:str"},
}


class _Loader(yaml.SafeLoader):
    """SafeLoader whose resolver only tags what we type ourselves; everything else stays a string."""


_Loader.yaml_implicit_resolvers = {}

if yaml.__with_libyaml__:

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """The same, parsed by libyaml (~10x faster); nodes carry the same marks."""

    _FastLoader.yaml_implicit_resolvers = {}
    _LOADERS: tuple[type, ...] = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADERS = (_Loader,)


def _compose(text: str) -> Node | None:
    # A file libyaml refuses is parsed again by the pure-Python parser, whose messages the docs and
    # tests know, so the fast path never changes what an editor is told.
    for i, loader_class in enumerate(_LOADERS):
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            if i == len(_LOADERS) - 1:
                raise
        finally:
            loader.dispose()
    return None


@dataclass
class Located:
    """A parsed document plus the (line, col) of every path in it, 1-based."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """Position of `path` (of its key when `at_key`), or of its longest known prefix."""
        p = tuple(path)
        if at_key and p in self.key_positions:
            return self.key_positions[p]
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path, message: str, at_key: bool = False) -> Problem:
        line, col = self.where(path, at_key)
        return Problem(self.file, line, col, message)


class YamlError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_yaml(raw: bytes | str, file: str) -> Located:
    """Parse one YAML document; raise YamlError listing every fault with its position."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise YamlError([Problem(file, 1, 1, f"文件过大 file too large ({len(raw)} bytes > {MAX_BYTES})")])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
            raise YamlError([Problem(file, line, col, "不是 UTF-8 编码 not valid UTF-8")]) from None
    else:
        text = raw
        if len(text) > MAX_BYTES:
            raise YamlError([Problem(file, 1, 1, f"文件过大 file too large (> {MAX_BYTES} chars)")])
    text = text.removeprefix("\ufeff")
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError([Problem(file, line, col, f"YAML 语法错误 syntax error: {e.problem}")]) from None
    except yaml.YAMLError as e:
        raise YamlError([Problem(file, 1, 1, f"YAML 错误 error: {e}")]) from None
    located = Located(file, None)
    problems: list[Problem] = []
    if node is None:
        located.data = None
        return located
    located.data = _build(node, (), located, problems, 0, set())
    if problems:
        raise YamlError(problems)
    return located


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: Node, path: Path, loc: Located, problems: list[Problem], depth: int, seen: set[int]) -> Any:
    loc.positions[path] = _pos(node)
    line, col = _pos(node)
    if depth > MAX_DEPTH:
        problems.append(Problem(loc.file, line, col, f"嵌套过深 nesting deeper than {MAX_DEPTH}"))
        return None
    # A node reached twice is an alias: refused, because aliases can expand exponentially.
    if id(node) in seen:
        problems.append(Problem(loc.file, line, col, "不允许使用锚点/别名 anchors and aliases (&, *) are not allowed"))
        return None
    seen.add(id(node))
    tag = node.tag
    if tag not in _ALLOWED_TAGS[type(node)]:
        # Explicit tags (!!python/object, !!binary, !!timestamp, ...) would construct objects or
        # change types behind the editor's back.
        problems.append(Problem(loc.file, line, col, f"不允许使用标签 explicit tag {tag!r} is not allowed"))
        return None
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            kline, kcol = _pos(knode)
            if knode.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(loc.file, kline, kcol, "不允许使用合并键 merge keys (<<) are not allowed"))
                continue
            if not isinstance(knode, ScalarNode):
                problems.append(Problem(loc.file, kline, kcol, "键必须是文本 keys must be plain text"))
                continue
            key = knode.value
            _check_plain(knode, loc, problems)
            if key in out:
                problems.append(Problem(loc.file, kline, kcol, f"重复的键 duplicate key {key!r}"))
                continue
            out[key] = _build(vnode, (*path, key), loc, problems, depth + 1, seen)
            loc.key_positions[(*path, key)] = (kline, kcol)
            # A scalar is reported at its key (where the editor's eye is); a block at its first item.
            if isinstance(vnode, ScalarNode):
                loc.positions[(*path, key)] = (kline, kcol)
        return out
    if isinstance(node, SequenceNode):
        return [_build(child, (*path, i), loc, problems, depth + 1, seen) for i, child in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node, loc, problems)


def _check_plain(node: ScalarNode, loc: Located, problems: list[Problem]) -> None:
    if node.style:  # quoted or block scalars are always text (plain: None, or "" from libyaml)
        return
    v = node.value
    line, col = _pos(node)
    if _YAML11_BOOL.match(v):
        problems.append(
            Problem(
                loc.file,
                line,
                col,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成布尔值，请加引号 "
                f'unquoted {v!r} is a boolean in YAML 1.1: write "{v}" (or true/false)',
            )
        )
    elif _YAML11_OCTAL.match(v):
        problems.append(
            Problem(
                loc.file,
                line,
                col,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成八进制数，请加引号 "
                f"unquoted {v!r} is an octal number in YAML 1.1: quote it",
            )
        )
    elif _YAML11_SEXAGESIMAL.match(v):
        problems.append(
            Problem(
                loc.file,
                line,
                col,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成六十进制数，请加引号 "
                f"unquoted {v!r} is a base-60 number in YAML 1.1: quote it",
            )
        )


def _scalar(node: ScalarNode, loc: Located, problems: list[Problem]) -> Any:
    v = node.value
    if node.style:
        return v
    _check_plain(node, loc, problems)
    if v in ("true", "false"):
        return v == "true"
    if v in ("null", "~", ""):
        return None
    if _INT.match(v):
        n = int(v)
        if abs(n) > 2**53:
            line, col = _pos(node)
            problems.append(Problem(loc.file, line, col, f"数字过大 integer {v} out of range (±2^53)"))
        return n
    if _FLOAT.match(v):
        return float(v)
    return v

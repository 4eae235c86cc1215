"""Read policy YAML safely and remember where every value came from.

Policy staff edit these files by hand, so the reader is strict where YAML 1.1 is surprising:
only true/false, null, decimal ints and floats are typed; anything that another YAML 1.1 tool would
read as a boolean, an octal or a base-60 number must be quoted; duplicate keys, anchors/aliases and
explicit tags are refused. Each value's position is kept by path so that schema errors can be
reported as file:line:col.

Packs and facts arrive from people and other systems, so reading is bounded: files over MAX_BYTES
are refused before they are read whole; the document is built from parser events by a loop (no
recursion: deep nesting cannot exhaust the stack) that stops at MAX_DEPTH; an alias is refused
where it stands and never expanded (no "billion laughs"); numbers are range-checked before
conversion; at most MAX_PROBLEMS faults are collected. Nothing read is ever executed or constructed
beyond str/int/float/bool/None/list/dict.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem

try:  # libyaml's parser: ~10x faster than the pure-Python one, same events
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

MAX_BYTES = 5_000_000
MAX_DEPTH = 64
MAX_PROBLEMS = 200
_MAX_NUMBER_CHARS = 40  # longer digit strings are refused before int()/float() sees them

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
# Plain scalars that YAML 1.1 tools (PyYAML, many editors) would not read as text.
_YAML11_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE)$")
_YAML11_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_YAML11_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")

# Slips of a Chinese keyboard that still parse as YAML: `id：x` (a full-width colon) is one string.
_FULLWIDTH_KEY = re.compile(r"^[A-Za-z_][\w.-]*\s*：")

_SCALAR_TAGS = {None, "tag:yaml.org,2002:str", "!"}
_MAP_TAGS = {None, "tag:yaml.org,2002:map"}
_SEQ_TAGS = {None, "tag:yaml.org,2002:seq"}


class _Loader(yaml.SafeLoader):
    """Pure-Python fallback parser; only its events are used, never its constructor."""


_Loader.yaml_implicit_resolvers = {}

# Parsers tried in order: libyaml's (~10x faster), then the pure-Python one, whose error messages are
# the reference (read_yaml falls back to it when libyaml refuses a file).
_LOADERS: tuple[Any, ...] = (_CParser, _Loader) if _CParser is not None else (_Loader,)


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


def read_bytes_limited(path: str | os.PathLike[str]) -> bytes:
    """Read a file, refusing one over MAX_BYTES without reading it whole (a 10 GB file), and anything but a
    regular file: a FIFO would block the open and the read forever, a device never ends (issue 16 item 7)."""
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting; no effect on a file.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise YamlError([Problem(str(path), 1, 1, "不是普通文件 not a regular file (a FIFO, device or folder)")])
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise YamlError([Problem(str(path), 1, 1, f"文件过大 file too large (> {MAX_BYTES} bytes)")])
    return raw


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
    for i, make_parser in enumerate(_LOADERS):
        located = Located(file, None)
        problems: list[Problem] = []
        try:
            located.data = _Builder(make_parser(text), located, problems).run()
        except _Stop:
            pass
        except yaml.YAMLError as e:
            # A file libyaml refuses is parsed again by the pure-Python parser, whose messages the docs
            # and tests know, so the fast path never changes what an editor is told.
            if i < len(_LOADERS) - 1:
                continue
            seen = {p.line for p in problems}  # a slip the builder already named is not named twice
            problems.extend(p for p in _syntax_problems(e, text, file) if p.line not in seen or "YAML" in p.message)
        break
    if problems:
        raise YamlError(problems)
    return located


def _syntax_problems(e: yaml.YAMLError, text: str, file: str) -> list[Problem]:
    """The parser's complaint, translated, preceded by the typing slips that usually cause it (a full-width
    colon, a tab...) at their own lines: PyYAML often points at the line after the real mistake."""
    from .messages import syntax_message, typing_slips

    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        slips = [Problem(file, n, c, m) for n, c, m in typing_slips(text, line)]
        if any(s.line == line for s in slips):  # the slip on the line YAML gave up on says it better
            return slips
        return [*slips, Problem(file, line, col, syntax_message(e.problem))]
    return [_syntax_problem(e, text, file)]


def _syntax_problem(e: yaml.YAMLError, text: str, file: str) -> Problem:
    if isinstance(e, yaml.reader.ReaderError):
        line, col = _offset_position(text, e.position)
        ch = chr(e.character) if isinstance(e.character, int) else e.character
        return Problem(file, line, col, f"不允许的字符 character not allowed in YAML: {ch!r}")
    return Problem(file, 1, 1, f"YAML 错误 error: {e}")


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Stop(Exception):
    """Reading ends here; the reason is already in the problem list."""


def _mark(ev: Any) -> tuple[int, int]:
    m = ev.start_mark
    return (m.line + 1, m.column + 1) if m is not None else (1, 1)


def _plain(ev: Any) -> bool:
    # libyaml reports a plain scalar's style as '', the pure-Python parser as None.
    return not ev.style


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    key: str | None = None  # in a mapping: the key just read, awaiting its value
    key_pos: tuple[int, int] = (1, 1)
    dropping: bool = False  # in a mapping: the next value belongs to a refused key
    flow: bool = False  # a [ ] sequence: a full-width comma in an item is a slip


class _Builder:
    """Plain data and positions from parser events, iteratively."""

    def __init__(self, parser: Any, loc: Located, problems: list[Problem]) -> None:
        self.parser = parser
        self.loc = loc
        self.problems = problems

    def problem(self, pos: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.loc.file, pos[0], pos[1], message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(self.loc.file, pos[0], pos[1], f"问题过多，停止读取 stopped after {MAX_PROBLEMS} problems")
            )
            raise _Stop

    def run(self) -> Any:
        try:
            return self._run()
        finally:
            dispose = getattr(self.parser, "dispose", None)
            if dispose is not None:
                dispose()

    def _run(self) -> Any:
        get = self.parser.get_event
        result: Any = None
        documents = 0
        stack: list[_Frame] = []
        skipping = 0  # depth inside a refused subtree (tagged container, container used as a key)
        while True:
            ev = get()
            if isinstance(ev, yaml.StreamEndEvent):
                return result
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(_mark(ev), "只能有一个文档 only one YAML document per file (a second --- found)")
                    raise _Stop
                continue
            if isinstance(ev, yaml.StreamStartEvent | yaml.DocumentEndEvent):
                continue
            if skipping:
                if isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                    skipping += 1
                elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                    skipping -= 1
                if skipping == 0:
                    self._skipped(stack)
                continue
            if isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                if stack:
                    self._place(stack[-1], frame.container)
                else:
                    result = frame.container
                continue
            pos = _mark(ev)
            top = stack[-1] if stack else None
            if isinstance(top, _Frame) and isinstance(top.container, dict) and top.key is None and not top.dropping:
                skipping = self._key(top, ev, pos)
                continue
            if isinstance(ev, yaml.AliasEvent):
                # Refused where it stands: expanding aliases can be exponential (billion laughs).
                self.problem(pos, "不允许使用锚点/别名 anchors and aliases (&, *) are not allowed")
                if top is None:
                    return None
                self._place(top, None, pos, scalar=True)
                continue
            if isinstance(ev, yaml.ScalarEvent):
                value = self._scalar(ev, pos, top is not None and top.flow)
                if top is None:
                    self.loc.positions[()] = pos
                    result = value
                else:
                    self._place(top, value, pos, scalar=True)
                continue
            is_map = isinstance(ev, yaml.MappingStartEvent)
            if ev.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                self.problem(pos, f"不允许使用标签 explicit tag {ev.tag!r} is not allowed")
                skipping = 1
                continue
            if len(stack) >= MAX_DEPTH:
                self.problem(pos, f"嵌套过深 nesting deeper than {MAX_DEPTH} levels")
                raise _Stop
            path = self._child_path(top)
            self.loc.positions[path] = pos
            flow = not is_map and bool(getattr(ev, "flow_style", False))
            stack.append(_Frame({} if is_map else [], path, flow=flow))

    def _key(self, frame: _Frame, ev: Any, pos: tuple[int, int]) -> int:
        """Read a mapping key; returns how deep to skip (1 when the key is a refused container)."""
        assert isinstance(frame.container, dict)
        if isinstance(ev, yaml.ScalarEvent):
            if ev.tag not in _SCALAR_TAGS:
                self.problem(pos, f"不允许使用标签 explicit tag {ev.tag!r} is not allowed")
            if _plain(ev):
                self._check_plain(ev.value, pos)
            if ev.value in frame.container:
                self.problem(pos, f"重复的键 duplicate key {ev.value!r}")
                frame.dropping = True
                return 0
            frame.key, frame.key_pos = ev.value, pos
            return 0
        if isinstance(ev, yaml.AliasEvent):
            self.problem(pos, "不允许使用锚点/别名 anchors and aliases (&, *) are not allowed")
            frame.dropping = True
            return 0
        self.problem(pos, "键必须是文本 keys must be plain text")
        return 1

    def _skipped(self, stack: list[_Frame]) -> None:
        """A refused subtree ended: it was a key (drop the value that follows) or a value (store null)."""
        if not stack:
            return
        top = stack[-1]
        if isinstance(top.container, dict) and top.key is None and not top.dropping:
            top.dropping = True
        else:
            self._place(top, None)

    def _child_path(self, top: _Frame | None) -> Path:
        if top is None:
            return ()
        if isinstance(top.container, dict):
            return (*top.path, top.key if top.key is not None else "")
        return (*top.path, len(top.container))

    def _place(self, frame: _Frame, value: Any, pos: tuple[int, int] | None = None, scalar: bool = False) -> None:
        if isinstance(frame.container, list):
            if pos is not None:
                self.loc.positions[(*frame.path, len(frame.container))] = pos
            frame.container.append(value)
            return
        if frame.dropping:
            frame.dropping = False
            return
        key = frame.key
        assert key is not None
        here = (*frame.path, key)
        frame.container[key] = value
        self.loc.key_positions[here] = frame.key_pos
        # A scalar is reported at its key (where the editor's eye is); a block at its first item.
        if scalar:
            self.loc.positions[here] = frame.key_pos
        frame.key = None

    def _check_plain(self, v: str, pos: tuple[int, int], in_flow: bool = False) -> None:
        if v.startswith("\u3000"):
            self.problem(pos, "行首有全角空格 a full-width space (U+3000) before the text: indent with plain spaces")
        if _FULLWIDTH_KEY.match(v):
            self.problem(pos, f"键后是全角冒号 '：' a full-width colon after the key in {v!r}: type ':' and a space")
        if in_flow and "，" in v:
            self.problem(pos, f"列表中有全角逗号 '，' a full-width comma in [ ]: {v!r}; separate the items with ','")
        if _YAML11_BOOL.match(v):
            self.problem(
                pos,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成布尔值，请加引号 "
                f'unquoted {v!r} is a boolean in YAML 1.1: write "{v}" (or true/false)',
            )
        elif _YAML11_OCTAL.match(v):
            self.problem(
                pos,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成八进制数，请加引号 "
                f"unquoted {v!r} is an octal number in YAML 1.1: quote it",
            )
        elif _YAML11_SEXAGESIMAL.match(v):
            self.problem(
                pos,
                f"未加引号的 {v!r} 在 YAML 1.1 中会被读成六十进制数，请加引号 "
                f"unquoted {v!r} is a base-60 number in YAML 1.1: quote it",
            )

    def _scalar(self, ev: Any, pos: tuple[int, int], in_flow: bool = False) -> Any:
        if ev.tag not in _SCALAR_TAGS:
            # Explicit tags (!!python/object, !!binary, !!timestamp, ...) would construct objects
            # or change types behind the editor's back.
            self.problem(pos, f"不允许使用标签 explicit tag {ev.tag!r} is not allowed")
            return None
        v = ev.value
        if ev.tag is not None or not _plain(ev):  # quoted, block or !!str: always text
            return v
        self._check_plain(v, pos, in_flow)
        if v in ("true", "false"):
            return v == "true"
        if v in ("null", "~", ""):
            return None
        if _INT.match(v) or _FLOAT.match(v):
            if len(v) > _MAX_NUMBER_CHARS:
                self.problem(pos, f"数字过长 number too long ({len(v)} characters); quote it if it is text")
                return None
            if _INT.match(v):
                n = int(v)
                if abs(n) > 2**53:
                    self.problem(pos, f"数字过大 integer {v} out of range (±2^53)")
                return n
            x = float(v)
            if not math.isfinite(x) or abs(x) > 2**53:
                self.problem(pos, f"数字超出范围 number {v} out of range (±2^53)")
                return None
            return x
        return v

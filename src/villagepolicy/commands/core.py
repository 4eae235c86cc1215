"""Core commands: decide, validate, list."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..engine import ENGINES
from ..errors import FactError, PackError, Problem, VillagePolicyError
from ..library import Library, load, shipped_root
from ..packs.loader import load_jurisdiction, load_pack, load_tree
from ..packs.yamlread import YamlError, read_bytes_limited, read_yaml


def library_from(args: argparse.Namespace) -> Library:
    return load(args.packs) if getattr(args, "packs", None) else load()


def read_facts(text: str) -> Any:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            raw: bytes | str = read_bytes_limited(path)
        except OSError as e:
            raise FactError([("--facts", f"无法读取 cannot read {path}: {e.strerror}")]) from None
        except YamlError as e:
            raise FactError([("--facts", str(p)) for p in e.problems]) from None
        name = str(path)
    else:
        raw, name = text, "--facts"
    try:
        return read_yaml(raw, name).data
    except YamlError as e:
        raise FactError([("", str(p)) for p in e.problems]) from None


def cmd_decide(args: argparse.Namespace) -> int:
    from ..render import decision_text

    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)
    d = j.decide(args.question, read_facts(args.facts), args.on, engine=args.engine)
    if args.json:
        print(json.dumps(d.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(decision_text(d, j))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    paths = [Path(p) for p in args.paths] or [shipped_root()]
    checked = 0
    for p in paths:
        try:
            if p.is_dir():
                roots = [p] if p.resolve() == shipped_root().resolve() else [shipped_root(), p]
                packs, jurs = load_tree(roots)
                checked += len(packs) + len(jurs)
            elif p.parent.name == "jurisdictions":
                load_jurisdiction(p)
                checked += 1
            else:
                load_pack(p)
                checked += 1
        except PackError as e:
            problems.extend(e.problems)
    for prob in problems:
        print(prob)
    if problems:
        print(f"{len(problems)} 个问题 problem(s)", file=sys.stderr)
        return 1
    print(f"通过 ok: {checked} 个文件 file(s) checked")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    lib = library_from(args)
    table = Table(title="辖区与规则包 jurisdictions and packs")
    for col in ("id", "名称 name", "级别 level", "规则包 packs (precedence)", "问题 questions"):
        table.add_column(col)
    for jid in lib.jurisdictions():
        j = lib.jurisdiction(jid)
        packs = ", ".join(f"{r.pack}{' (fallback)' if r.role == 'fallback' else ''}" for r in j.spec.packs)
        table.add_row(jid, j.name_zh, j.spec.level, packs, ", ".join(j.questions()))
    Console(width=max(120, Console().width)).print(table)
    return 0


# ── options and output shared by the subcommands ──
PACKS_HELP = "folder with rules/ and jurisdictions/ extending the shipped packs"


def add_packs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--packs", help=PACKS_HELP)


def add_engine_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", default="durable", choices=list(ENGINES))


def add_decision_options(p: argparse.ArgumentParser, facts_help: str = "JSON/YAML mapping, or @file.yaml") -> None:
    """--facts, --on, --json, --packs, --engine: what every command deciding one question takes."""
    p.add_argument("--facts", required=True, help=facts_help)
    p.add_argument("--on", help="decision date YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_packs_option(p)
    add_engine_option(p)


def _file_mode(path: Path) -> int:
    """An existing file's mode, or what the umask leaves of 0666 for a new one."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    try:
        with open("/proc/self/status") as f:  # Linux: read without changing it
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes | str | Iterable[str | bytes], *, make_parents: bool = False) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, renamed into place."""
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise VillagePolicyError(f"无法写入 cannot write {path}: {e.strerror}") from None
    try:
        if hasattr(os, "fchmod"):
            # mkstemp makes the file 0600; a report for a CI server gets the mode a plain open() would give.
            os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                for chunk in [data] if isinstance(data, str) else data:
                    f.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise VillagePolicyError(f"无法写入 cannot write {path}: {e.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(data: bytes, output: str | None) -> None:
    """To stdout (no output or "-"), or atomically to a file: a half-written file is never left behind."""
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(Path(output), data)


def register(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("decide", help="decide one question 判定一个问题")
    d.add_argument("jurisdiction")
    d.add_argument("question")
    add_decision_options(d)
    d.set_defaults(func=cmd_decide)

    v = sub.add_parser("validate", help="check pack and jurisdiction files 校验规则包")
    v.add_argument("paths", nargs="*", help="pack files, jurisdiction files or folders (default: shipped)")
    v.set_defaults(func=cmd_validate)

    li = sub.add_parser("list", help="jurisdictions, packs and questions 列出辖区")
    add_packs_option(li)
    li.set_defaults(func=cmd_list)

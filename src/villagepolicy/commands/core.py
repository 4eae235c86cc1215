"""Core commands: decide, validate, list."""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..calendar_files import folder_years, read_year_file
from ..engine import ENGINES
from ..errors import FactError, PackError, Problem, VillagePolicyError
from ..library import Library, shipped_root
from ..packs.loader import load_jurisdiction, load_pack, load_tree, replaced_files
from ..packs.yamlread import YamlError, read_bytes_limited, read_yaml
from ..packsource import PackSource, announce, resolve


def pack_source(args: argparse.Namespace) -> PackSource:
    """The packs this command reads (villagepolicy/packsource.py), announced once on stderr when found in ./."""
    source = getattr(args, "_pack_source", None)
    if source is None:
        source = resolve(getattr(args, "packs", None), getattr(args, "installed", False))
        announce(source)
        args._pack_source = source
    return source


def library_from(args: argparse.Namespace) -> Library:
    return pack_source(args).library()


def own_packs(lib: Library, source: PackSource) -> set[str] | None:
    """Ids of the packs whose files are under the source folder (None: every pack is the user's own)."""
    if source.folder is None or not source.include_shipped:
        return None
    base = source.folder.resolve()
    return {pid for pid, p in lib.packs.items() if Path(p.file).resolve().is_relative_to(base)}


def date_arg(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, refused by the parser itself (a bad date is a bad argument, not bad facts)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是日期 not a date (YYYY-MM-DD): {text!r}") from None


def read_facts(text: str) -> Any:
    if text == "-":  # facts piped in: `… | villagepolicy decide … --facts -`
        return _parse_facts(sys.stdin.read(), "<stdin>")
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
    return _parse_facts(raw, name)


def _parse_facts(raw: bytes | str, name: str) -> Any:
    try:
        return read_yaml(raw, name).data
    except YamlError as e:
        raise FactError([("", str(p)) for p in e.problems]) from None


def cmd_decide(args: argparse.Namespace) -> int:
    from ..render import decision_text, decision_text_en

    lib = library_from(args)
    j = lib.jurisdiction(args.jurisdiction)
    d = j.decide(args.question, read_facts(args.facts), args.on, engine=args.engine)
    if args.json:
        print(json.dumps(d.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(decision_text_en(d, j) if args.lang == "en" else decision_text(d, j))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    checked = 0
    if args.paths:
        targets = [(Path(p), None) for p in args.paths]
    else:  # the folder the pack source names (./ or --packs), else the installed packs
        source = pack_source(args)
        targets = [(source.folder or shipped_root(), source.roots)]
    for p, roots in targets:
        try:
            if roots is not None or p.is_dir():
                if roots is None:
                    roots = [p] if p.resolve() == shipped_root().resolve() else [shipped_root(), p]
                packs, jurs = load_tree(roots)
                checked += len(packs) + len(jurs)
                for mine, shipped in replaced_files(roots) if args.paths else []:  # else announced already
                    print(f"注意 note: {mine} 替换了同名文件 replaces {shipped}", file=sys.stderr)
                checked += len(folder_years(roots))  # a county's calendars/ year files (issue 19)
            elif not p.exists():
                problems.append(Problem(str(p), 0, 0, "文件或目录不存在 no such file or folder"))
            elif p.parent.name == "calendars":
                read_year_file(p)
                checked += 1
            elif p.parent.name == "jurisdictions":
                load_jurisdiction(p)
                checked += 1
            else:
                load_pack(p)
                checked += 1
        except PackError as e:
            problems.extend(e.problems)
    if args.json:
        print(
            json.dumps(
                {"ok": not problems, "checked": checked, "problems": [problem_dict(p) for p in problems]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 1 if problems else 0
    for prob in problems:
        print(prob)
    if problems:
        print(f"{len(problems)} 个问题 problem(s)", file=sys.stderr)
        return 1
    print(f"通过 ok: {checked} 个文件 file(s) checked")
    return 0


def problem_dict(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "col": p.col, "message": p.message}


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
PACKS_HELP = (
    "规则包目录 folder holding rules/ and jurisdictions/, read over the shipped packs "
    "(default: the folder you are in, or above, when it has rules/ or jurisdictions/; $VILLAGEPOLICY_PACKS)"
)
ENGINE_HELP = "匹配引擎 matching engine: durable (durable_rules, default) or reference (the plain evaluator)"


def add_packs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--packs", metavar="DIR", help=PACKS_HELP)
    p.add_argument(
        "--installed",
        action="store_true",
        help="只用已安装的规则包 only the installed packs, even inside a folder holding rules/ "
        "(or VILLAGEPOLICY_PACKS=installed)",
    )


def add_engine_option(p: argparse.ArgumentParser, *extra: str, default: str = "durable", extra_help: str = "") -> None:
    choices = [*extra, *ENGINES]
    p.add_argument("--engine", default=default, choices=choices, help=f"{ENGINE_HELP}{extra_help} (default {default})")


def add_date_option(p: argparse.ArgumentParser, required: bool = False, what: str = "decision date") -> None:
    """--on DATE, with --as-of kept as its other name (check and impact used to take --as-of)."""
    p.add_argument(
        "--on",
        "--as-of",
        dest="on",
        type=date_arg,
        required=required,
        metavar="DATE",
        help=f"{what} YYYY-MM-DD: the packs in force that day"
        + ("" if required else " (default today)")
        + "; --as-of is the same option 同 --on",
    )


def add_decision_options(
    p: argparse.ArgumentParser, facts_help: str = "事实 facts: a JSON/YAML mapping, @file.yaml, or - for stdin"
) -> None:
    """--facts, --on, --json, --packs, --engine: what every command deciding one question takes."""
    p.add_argument("--facts", required=True, help=facts_help)
    add_date_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output, errors too 以 JSON 输出")
    p.add_argument(
        "--lang", default="zh", choices=["zh", "en"], help="语言 language of the text output: zh (default) or en"
    )
    add_packs_option(p)
    add_engine_option(p)


def shipped_jurisdictions() -> list[str]:
    """Ids of the shipped jurisdictions, from the file names (cheap: help texts list them)."""
    folder = shipped_root() / "jurisdictions"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def add_jurisdiction_argument(p: argparse.ArgumentParser, *names: str, required: bool = True) -> None:
    """The jurisdiction id: positional, or an option when `names` are given. Any id of a --packs folder works too."""
    text = f"辖区 jurisdiction id: {', '.join(shipped_jurisdictions())}, or one from --packs"
    if names:
        p.add_argument(*names, dest="jurisdiction", metavar="JURISDICTION", required=required, help=text)
    else:
        p.add_argument("jurisdiction", metavar="JURISDICTION", help=text)


def add_question_argument(p: argparse.ArgumentParser) -> None:
    from ..questions import QUESTIONS

    p.add_argument("question", metavar="QUESTION", help=f"问题 question: {', '.join(QUESTIONS)}")


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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files an earlier write of `path` left when its process was killed (kill -9 leaves
    no chance to clean up: an 89 MB `.report.json.….tmp` stayed for good, issue 16 item 10). Ours are named
    `.<name>.<pid>.<random>.tmp`; only those of a process that no longer runs are removed."""
    removed = []
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return removed
    for f in candidates:
        pid = f.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                f.unlink()
                removed.append(f)
            except OSError:
                pass
    return removed


def write_atomic(path: Path, data: bytes | str | Iterable[str | bytes], *, make_parents: bool = False) -> None:
    """Write the whole file or nothing: a temporary file in the same folder, renamed into place."""
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_temporaries(path):
            print(f"已删除残留的临时文件 removed a temporary file left by a killed run: {stale}", file=sys.stderr)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
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
    d = sub.add_parser("decide", help="判定一个问题 decide one question")
    add_jurisdiction_argument(d)
    add_question_argument(d)
    add_decision_options(d)
    d.set_defaults(func=cmd_decide)

    v = sub.add_parser("validate", help="校验规则包 check pack and jurisdiction files")
    v.add_argument(
        "paths", nargs="*", help="pack files, jurisdiction files or folders (default: the pack source, see --packs)"
    )
    v.add_argument("--json", action="store_true", help="problems as JSON 以 JSON 输出")
    add_packs_option(v)
    v.set_defaults(func=cmd_validate)

    li = sub.add_parser("list", help="列出辖区 jurisdictions, packs and questions")
    add_packs_option(li)
    li.set_defaults(func=cmd_list)

"""The `villagepolicy` command. Bad input ends in a message and an exit code, never a traceback.

Exit codes are in villagepolicy/exitcodes.py (shown by `villagepolicy --help`). Subcommands live in
villagepolicy/commands/: each module there with a `register(subparsers)` function adds its own; ORDER
says where each is listed in the help.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
from typing import Any, NoReturn

from . import __version__, commands
from .errors import (
    BadArgument,
    FactError,
    PackError,
    UnknownJurisdiction,
    UnknownQuestion,
    VillagePolicyError,
    WorkerError,
)
from .exitcodes import BAD_INPUT, CALENDAR_MISSING, INTERNAL, REPORT_HINT, error_json, exit_code_table
from .suggest import did_you_mean

# The order of the subcommands in `villagepolicy --help`: deciding, checking rosters, then pack work.
ORDER = [
    "decide",
    "explain",
    "duties",
    "appraisal-roster",
    "check",
    "check-lake",
    "impact",
    "sample",
    "calendar",
    "test",
    "validate",
    "lint",
    "coverage",
    "init",
    "list",
    "serve",
    "site",
]

_json_errors = False  # set by main(): the command was given --json (or --format json)

# argparse's own messages, in Chinese first (argparse has no translation of its own).
_ARGPARSE_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (?P<a>.*)$"), "缺少必需的参数 {m}"),
    (re.compile(r"^unrecognized arguments: (?P<a>.*)$"), "无法识别的参数 {m}"),
    (re.compile(r"^argument (?P<a>\S+): invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)$"), "参数取值无效 {m}"),
    (re.compile(r"^argument (?P<a>\S+): expected one argument$"), "参数缺少取值 {m}"),
    (re.compile(r"^argument (?P<a>\S+): expected at least one argument$"), "参数缺少取值 {m}"),
    (re.compile(r"^argument (?P<a>\S+): invalid \S+ value: .*$"), "参数取值无效 {m}"),
    (re.compile(r"^argument (?P<a>\S+): not allowed with argument .*$"), "参数不能同时使用 {m}"),
    (re.compile(r"^argument (?P<a>\S+): ignored explicit argument .*$"), "参数不接受取值 {m}"),
    (re.compile(r"^argument (?P<a>\S+): .*$"), "参数有误 {m}"),
]


def translate_argparse(message: str) -> str:
    """An argparse message as "中文 English", with "did you mean" for a mistyped choice."""
    for pattern, zh in _ARGPARSE_ZH:
        m = pattern.match(message)
        if m:
            out = zh.format(m=message)
            if "c" in m.groupdict():
                choices = [c.strip().strip("'") for c in m["c"].split(",")]
                out += did_you_mean(m["v"].strip("'"), choices)
            return out
    return f"参数有误 bad arguments: {message}"


class ArgumentParser(argparse.ArgumentParser):
    """argparse with messages in Chinese first, and JSON errors under --json."""

    def error(self, message: str) -> NoReturn:
        text = translate_argparse(message)
        if _json_errors:
            print(error_json("bad_arguments", text, message, [text], BAD_INPUT))
        else:
            self.print_usage(sys.stderr)
            print(f"{self.prog}: 错误 error: {text}", file=sys.stderr)
        sys.exit(BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    p = ArgumentParser(
        prog="villagepolicy",
        description="驻村工作队/第一书记政策规则包 village work-team policy packs",
        epilog=exit_code_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"villagepolicy {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", title="命令 commands")
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    rank = {name: i for i, name in enumerate(ORDER)}
    sub._choices_actions.sort(key=lambda a: (rank.get(a.dest, len(ORDER)), a.dest))
    return p


def _wants_json(argv: list[str]) -> bool:
    # Only --json: `check --format json` keeps stdout for the report and its errors on stderr, as CI expects.
    return "--json" in argv


def _report(kind: str, zh: str, en: str, problems: list[Any], code: int, text_lines: list[str]) -> int:
    if _json_errors:
        print(error_json(kind, zh, en, problems, code))
    else:
        for line in text_lines:
            print(line, file=sys.stderr)
    return code


def _warn_future(args: argparse.Namespace) -> None:
    """One warning on stderr for a --on after today (never on stdout, where JSON may go); the library's own
    warning, raised for every such decision, is then silenced."""
    import datetime as dt
    import warnings

    from .errors import DeprecatedFactWarning, FutureDateWarning
    from .library import warn_if_future

    on = getattr(args, "on", None)
    if isinstance(on, dt.date):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FutureDateWarning)
            warn_if_future(on)
        for w in caught:
            print(f"警告 warning: {w.message}", file=sys.stderr)
    warnings.filterwarnings("ignore", category=FutureDateWarning)
    # An old fact name still works and says so once, as one line (not Python's file:line form).
    warnings.filterwarnings("once", category=DeprecatedFactWarning)
    shown = warnings.showwarning

    def show(message: Any, category: type[Warning], *rest: Any, **kw: Any) -> None:
        if issubclass(category, DeprecatedFactWarning):
            print(f"警告 warning: {message}", file=sys.stderr)
        else:
            shown(message, category, *rest, **kw)

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    global _json_errors
    argv = sys.argv[1:] if argv is None else list(argv)
    _json_errors = _wants_json(argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # --help, --version, or a bad argument already reported by the parser
            return e.code if isinstance(e.code, int) else 0
        _warn_future(args)
        return int(args.func(args) or 0)
    except PackError as e:
        return _report(
            "bad_packs",
            "规则包有误",
            "the packs have problems",
            [{"file": p.file, "line": p.line, "col": p.col, "message": p.message} for p in e.problems],
            BAD_INPUT,
            [str(p) for p in e.problems],
        )
    except BadArgument as e:
        return _report(
            "bad_arguments", e.message_zh, e.message_en, [str(e)], BAD_INPUT, [f"参数有误 bad argument: {e}"]
        )
    except FactError as e:
        probs = [{"field": f, "message": m} for f, m in e.problems]
        return _report("bad_facts", "事实有误", "bad facts", probs, BAD_INPUT, [f"错误 error: {e}"])
    except (UnknownJurisdiction, UnknownQuestion) as e:
        kind = "unknown_jurisdiction" if isinstance(e, UnknownJurisdiction) else "unknown_question"
        return _report(kind, str(e), str(e), [str(e)], BAD_INPUT, [f"错误 error: {e}"])
    except WorkerError as e:
        return _report("internal", "内部错误", str(e), [str(e)], INTERNAL, [f"内部错误 internal error: {e}"])
    except VillagePolicyError as e:
        if type(e).__name__ == "CalendarMissing":  # issue 19's error: the calendar has no data for a year
            return _report("calendar_missing", str(e), str(e), [str(e)], CALENDAR_MISSING, [f"错误 error: {e}"])
        problems = getattr(e, "problems", None)
        if type(e).__name__ == "RosterError" and isinstance(problems, list):
            from .commands.roster import roster_problem_lines

            return _report(
                "bad_roster",
                "名册有误，未核查",
                "the roster has problems; nothing was checked",
                problems,
                BAD_INPUT,
                roster_problem_lines(problems),
            )
        return _report("error", str(e), str(e), [str(e)], BAD_INPUT, [f"错误 error: {e}"])
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # the promise is no traceback: one line saying what failed, and where to report it
        line = f"内部错误 internal error: {type(e).__name__}: {e}"
        return _report(
            "internal", "内部错误", f"{type(e).__name__}: {e}", [line], INTERNAL, [f"{line} ({REPORT_HINT})"]
        )


if __name__ == "__main__":
    sys.exit(main())

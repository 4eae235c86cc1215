"""The `villagepolicy` command. Bad input ends in a message and an exit code, never a traceback.

Exit codes: 0 success, 1 problems found (validate, check), 2 bad input (facts, packs, arguments),
3 internal error. Subcommands live in villagepolicy/commands/: each module there with a
`register(subparsers)` function adds its own.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import PackError, VillagePolicyError, WorkerError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="villagepolicy", description="驻村工作队/第一书记政策规则包 village work-team policy packs"
    )
    p.add_argument("--version", action="version", version=f"villagepolicy {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: (m.name != "core", m.name)):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except PackError as e:
        for prob in e.problems:
            print(prob, file=sys.stderr)
        return 2
    except WorkerError as e:
        print(f"内部错误 internal error: {e}", file=sys.stderr)
        return 3
    except VillagePolicyError as e:
        print(f"错误 error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # the promise is no traceback: say what failed
        print(f"内部错误 internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())

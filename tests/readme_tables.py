"""README.md's command and exit-code tables, made from `villagepolicy --help` itself.

tests/test_cli_contract.py fails when README.md differs; regenerate with `python tests/readme_tables.py --write`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = {
    "commands": ("<!-- commands:begin -->", "<!-- commands:end -->"),
    "exit-codes": ("<!-- exit-codes:begin -->", "<!-- exit-codes:end -->"),
}


def subcommands() -> list[tuple[str, str]]:
    """(name, help) of every subcommand, in the order `villagepolicy --help` lists them."""
    from villagepolicy.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(a.dest, a.help or "") for a in sub._choices_actions]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def generated(name: str) -> str:
    from villagepolicy.exitcodes import exit_code_markdown

    begin, end = BLOCKS[name]
    if name == "commands":
        rows = ["| 命令 command | 用途 what it does |", "|---|---|"]
        rows += [f"| `villagepolicy {cmd}` | {_cell(text)} |" for cmd, text in subcommands()]
        body = "\n".join(rows)
    else:
        body = exit_code_markdown()
    return f"{begin}\n{body}\n{end}"


def current(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    begin, end = BLOCKS[name]
    return text[text.index(begin) : text.index(end) + len(end)]


def write() -> None:
    text = README.read_text(encoding="utf-8")
    for name in BLOCKS:
        text = text.replace(current(name), generated(name))
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print("\n\n".join(generated(n) for n in BLOCKS))

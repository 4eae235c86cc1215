"""Generated parts of the docs: the text between two HTML comments, compared with or written from a generator.

tests/vocabulary_table.py, tests/keys_table.py and tests/pack_mistakes.py each own one marked part of
docs/pack-format.md; their tests fail when the part is not what the generator makes today.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def current(doc: Path, begin: str, end: str) -> str:
    text = doc.read_text(encoding="utf-8")
    return text[text.index(begin) : text.index(end) + len(end)]


def write(doc: Path, begin: str, end: str, table: str) -> None:
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(current(doc, begin, end), table), encoding="utf-8")


def main(doc: Path, begin: str, end: str, make: Callable[[], str], script: str) -> None:
    """`python tests/<script> --write` rewrites the part; without --write, exit 1 when it is stale."""
    if "--write" in sys.argv[1:]:
        write(doc, begin, end, make())
    elif current(doc, begin, end) != make():
        print(f"{doc.name}: a generated part is stale; run python tests/{script} --write")
        sys.exit(1)

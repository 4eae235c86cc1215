"""The questions a pack can answer. Adding a question is Python; adding a county is YAML.

Each module in this package that defines `QUESTIONS` (a tuple of Question) is registered here, so
a new question is one new module and no edit elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Match, Question


def _discover() -> dict[str, Question]:
    found: dict[str, Question] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for q in getattr(module, "QUESTIONS", ()):
            if q.name in found:
                raise RuntimeError(f"question {q.name!r} defined twice ({info.name})")
            found[q.name] = q
    return found


QUESTIONS: dict[str, Question] = _discover()

__all__ = ["QUESTIONS", "Match", "Question"]

"""The questions a pack can answer: the built-in ones (Python, here) and those a pack declares in YAML
(questions/declared.py builds them). Adding a county is YAML; a county's own simple question is YAML too.

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


def get(name: str | None) -> Question | None:
    """A built-in question, or one a loaded pack declared (its `questions:` section), by name."""
    from .declared import declared

    if name is None:
        return None
    return QUESTIONS.get(name) or declared(name)


__all__ = ["QUESTIONS", "Match", "Question", "get"]

"""“Did you mean …?” for a mistyped key or id: the closest valid ones (difflib), then the full list."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, valid: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(str(word), [str(v) for v in valid], n=n, cutoff=0.6)


def did_you_mean(word: str, valid: Iterable[str], *, list_all: bool = True) -> str:
    """'; 是否想写 did you mean 'x'?; 可用 valid: a, b, c' — empty when there is nothing to offer."""
    valid = list(valid)
    out = ""
    near = close_matches(word, valid)
    if near:
        out += "; 是否想写 did you mean " + " / ".join(repr(x) for x in near) + "?"
    if list_all and valid:
        out += "; 可用 valid: " + ", ".join(str(v) for v in valid)
    return out

"""The public vocabulary: ids are a contract, each with its Chinese label (and English), read from vocabulary.yaml.

Every closed set of policy ids (roles, authorities, actions, attendance record kinds, event kinds, grades and
their scales, consequences, duty recurrences, not_encodable reasons, …) lives in the YAML file that ships
with the packs, never in Python. The names this module exported before (ROLES, AUTHORITIES, ACTIONS,
LABELS_EN, Role, Authority, Action) are views of that file. `enum(kind)` gives the ids of a kind as a
`Literal` type, so pydantic, the condition type-checker, lint and the service's OpenAPI schema all read the
same list.

Kept free of imports from the rest of the package, so that every module may import it (no import circle).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

__all__ = [
    "ACTIONS",
    "AUTHORITIES",
    "LABELS_EN",
    "ROLES",
    "SCALES",
    "Action",
    "Authority",
    "Role",
    "cell_values",
    "enum",
    "ids",
    "kinds",
    "labels",
    "literal",
    "short_labels",
]

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when built with it


@cache
def _data() -> dict[str, Any]:
    text = (resources.files("villagepolicy") / "vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.load_all(text, Loader=_SafeLoader).__next__()  # the safe loader: plain data only


def kinds() -> dict[str, dict[str, str]]:
    """Each kind of id with its own labels: {kind: {"label_zh": …, "label_en": …}}."""
    return {k: {"label_zh": v["label_zh"], "label_en": v["label_en"]} for k, v in _data().items() if k != "scales"}


def _ids(kind: str) -> dict[str, dict[str, Any]]:
    try:
        return _data()[kind]["ids"]
    except KeyError:
        raise KeyError(f"no vocabulary kind {kind!r}; kinds: {', '.join(kinds())}") from None


def ids(kind: str) -> tuple[str, ...]:
    """The ids of `kind`, in the file's order."""
    return tuple(_ids(kind))


def labels(kind: str, lang: str = "zh") -> dict[str, str]:
    """id -> label in `lang` (English falls back to the id as words)."""
    if lang == "zh":
        return {i: t["zh"] for i, t in _ids(kind).items()}
    return {i: t.get("en") or i.replace("_", " ") for i, t in _ids(kind).items()}


def short_labels(kind: str) -> dict[str, str]:
    """id -> the short Chinese label (roster cells, charts), else the label."""
    return {i: t.get("short_zh") or t["zh"] for i, t in _ids(kind).items()}


def cell_values(kind: str) -> dict[str, str]:
    """Every spelling a roster cell may use -> its id: the id itself, its labels and other spellings."""
    out: dict[str, str] = {}
    for i, t in _ids(kind).items():
        out[i] = i
        for spelling in (t["zh"], t.get("short_zh"), *t.get("also_zh", ())):
            if spelling:
                out.setdefault(spelling, i)
    return out


def literal(values: Iterable[str]) -> Any:
    """Values read from the vocabulary as a Literal type."""
    return Literal.__getitem__(tuple(values))  # type: ignore[attr-defined]


def enum(kind: str) -> Any:
    """The ids of `kind` as a Literal type (for pydantic fields and the conditions' type-check)."""
    return literal(ids(kind))


ROLES: dict[str, str] = labels("role")
AUTHORITIES: dict[str, str] = labels("authority")
ACTIONS: dict[str, str] = labels("action")
# The grade scales (a public contract), best first, with each scale's labels.
SCALES: dict[str, dict[str, str]] = {s: dict(g) for s, g in _data()["scales"].items()}

# English labels of every id of every kind (reports in --lang en); the first kind naming an id wins.
LABELS_EN: dict[str, str] = {}
for _kind in kinds():
    for _id, _term in _ids(_kind).items():
        if _term.get("en"):
            LABELS_EN.setdefault(_id, _term["en"])

Role = enum("role")
Authority = enum("authority")
Action = enum("action")

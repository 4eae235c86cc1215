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

import difflib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, ValidationInfo, WithJsonSchema

__all__ = [
    "ACTIONS",
    "AUTHORITIES",
    "LABELS_EN",
    "ROLES",
    "SCALES",
    "Action",
    "Authority",
    "Role",
    "Vocab",
    "cell_values",
    "declare",
    "declared_label",
    "enum",
    "ids",
    "is_open",
    "kinds",
    "labels",
    "literal",
    "short_labels",
    "visible",
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


def deprecated(kind: str) -> dict[str, str]:
    """id -> what to give instead, for the ids of `kind` kept only as aliases (`deprecated:` in the file)."""
    return {i: f"{t['deprecated']['zh']} {t['deprecated']['en']}" for i, t in _ids(kind).items() if "deprecated" in t}


def roster_columns(kind: str) -> dict[str, str]:
    """id -> the roster people column that names a person's own body of that kind (`roster_column:`)."""
    return {i: t["roster_column"] for i, t in _ids(kind).items() if "roster_column" in t}


def short_labels(kind: str) -> dict[str, str]:
    """id -> the short Chinese label (roster cells, charts), else the label."""
    return {i: t.get("short_zh") or t["zh"] for i, t in _ids(kind).items()}


def cell_values(kind: str, declared: bool = True) -> dict[str, str]:
    """Every spelling a roster cell may use -> its id: the id itself, its labels and other spellings
    (of an open kind, also the ids packs loaded so far declared, unless `declared` is False)."""
    out: dict[str, str] = {}
    for i, t in (_ids(kind) | (_DECLARED.get(kind, {}) if declared else {})).items():
        out[i] = i
        for spelling in (t["zh"], t.get("short_zh"), *t.get("also_zh", ())):
            if spelling:
                out.setdefault(spelling, i)
    return out


def literal(values: Iterable[str]) -> Any:
    """Values read from the vocabulary as a Literal type."""
    return Literal.__getitem__(tuple(values))  # type: ignore[attr-defined]


def is_open(kind: str) -> bool:
    """Whether a pack may declare more ids of `kind` (`open: true` in vocabulary.yaml)."""
    _ids(kind)
    return bool(_data()[kind].get("open"))


@dataclass(frozen=True)
class Vocab:
    """Marks a field typed by an open kind: the conditions' type-check reads the kind from it."""

    kind: str
    shipped: tuple[str, ...]


def _closest(word: str, valid: list[str]) -> str:
    near = difflib.get_close_matches(word, valid, n=3, cutoff=0.6)
    return "; 是否想写 did you mean " + " / ".join(repr(x) for x in near) + "?" if near else ""


def _open_check(kind: str, order: tuple[str, ...]) -> Any:
    what = _data()[kind]["label_zh"]
    shipped = frozenset(order)

    def check(v: str, info: ValidationInfo) -> str:
        if v in shipped:
            return v
        # The ids the pack being loaded declared (the loader's validation context), else those of the
        # jurisdiction deciding on this thread (`visible`): one county's ids never validate another's facts.
        given = (info.context or {}).get("vocabulary")
        declared = (given if given is not None else getattr(_visible, "ids", None) or {}).get(kind, ())
        if v in declared:
            return v
        valid = [*order, *sorted(declared)]
        shown = ", ".join(valid)
        raise ValueError(f"未知的{what}编号 unknown {kind} id {v!r}" + _closest(v, valid) + f"; 可用 valid: {shown}")

    return check


def enum(kind: str) -> Any:
    """The ids of `kind` as a type for pydantic fields and the conditions' type-check.

    A closed kind is a Literal. An open kind (role, authority, action) is a `str` that takes the shipped ids
    and the ids a pack declares, when the validation context carries them (`{"vocabulary": {kind: ids}}`):
    a county adds its own authority in YAML, and another county's facts still refuse it."""
    shipped = ids(kind)
    if not is_open(kind):
        return literal(shipped)
    return Annotated[
        str,
        Vocab(kind, shipped),
        AfterValidator(_open_check(kind, shipped)),
        WithJsonSchema({"type": "string", "examples": list(shipped), "x-vocabulary": kind}),
    ]


_visible = threading.local()


def visible(ids: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """Make `ids` ({kind: ids}) the declared ids facts may use on this thread; returns what was there before
    (give it back when done). Jurisdiction.decide sets its packs' ids around each decision, nested
    validations (an appraisal's escalation history) included."""
    before = getattr(_visible, "ids", None)
    _visible.ids = ids
    return before


# Ids packs declared (their `vocabulary:` section), registered as each pack loads, so that labels and roster
# cells find them wherever they are shown. Which ids a county may *use* is not decided here: that is the
# validation context above (the ids of that county's own packs).
_DECLARED: dict[str, dict[str, dict[str, Any]]] = {}


def declare(kind: str, terms: Mapping[str, Mapping[str, Any]]) -> None:
    """Register the labels of ids a pack declared (a later pack declaring the same id relabels it)."""
    _DECLARED.setdefault(kind, {}).update({i: dict(t) for i, t in terms.items()})


# A jurisdiction's local names of ids (`authorities:` 样板县 calls town_party_committee 镇党委), registered as each
# jurisdiction loads: an official writes the names their own reports print, and a roster cell should take them.
_LOCAL: dict[str, dict[str, dict[str, str]]] = {}


def name_locally(kind: str, jurisdiction: str, names: Mapping[str, str]) -> None:
    """Register a jurisdiction's local names of ids of `kind` ({id: local name})."""
    _LOCAL.setdefault(kind, {})[jurisdiction] = dict(names)


def by_local_name(kind: str, spelling: str) -> dict[str, str]:
    """{jurisdiction: id} for the jurisdictions whose local name of an id of `kind` is `spelling`."""
    return {j: i for j, names in _LOCAL.get(kind, {}).items() for i, n in names.items() if n == spelling}


def declared_label(term: str, lang: str = "zh") -> str | None:
    """The label of an id some loaded pack declared, else None."""
    for table in _DECLARED.values():
        t = table.get(term)
        if t is not None:
            return t.get("zh") if lang == "zh" else (t.get("en") or None)
    return None


def declared_by_label(kind: str, spelling: str) -> list[str]:
    """The ids of `kind` loaded packs declared with this label: two counties may each call their own id
    乡村振兴指导员, and only the person's jurisdiction tells which is meant."""
    return [
        i
        for i, t in _DECLARED.get(kind, {}).items()
        if spelling in (t.get("zh"), t.get("short_zh"), *t.get("also_zh", ()))
    ]


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

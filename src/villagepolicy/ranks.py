"""Orders the documents imply (authority levels, outcome severity), read from ranks.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from .packs.yamlread import read_yaml


@cache
def _data() -> dict[str, Any]:
    text = (resources.files("villagepolicy") / "ranks.yaml").read_bytes()
    return read_yaml(text, "villagepolicy/ranks.yaml").data


def authority_level(authority: str) -> int | None:
    """0 for the lowest approving level; None for an authority without a fixed level (dispatching_unit)."""
    for level, ids in enumerate(_data()["authority_levels"]):
        if authority in ids:
            return level
    return None


def approval_level(approvers: list[str]) -> int | None:
    """The highest level among a decision's approvers (None when none of them has a level)."""
    levels = [lv for a in approvers if (lv := authority_level(a)) is not None]
    return max(levels) if levels else None


def outcome_rank(question: str, outcome: str) -> int | None:
    """Position of `outcome` in the question's order, mildest 0; None when the outcome is not ordered."""
    order = _data().get("outcome_order", {}).get(question, [])
    return order.index(outcome) if outcome in order else None


def outcome_order(question: str) -> list[str]:
    return list(_data().get("outcome_order", {}).get(question, []))


def grade_rank(scale: str, grade: str) -> int | None:
    """Position of `grade` on `scale` (individual, team, quarter), worst 0; None when not on it."""
    order = _data().get("grade_order", {}).get(scale, [])
    return order.index(grade) if grade in order else None

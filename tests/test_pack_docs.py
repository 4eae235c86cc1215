"""docs/pack-format.md for policy staff (issue 17 item 7): every key is documented (generated from the models that
read the files) and the examples quoted from shipped packs are still what the packs say."""

from __future__ import annotations

import re
from pathlib import Path

import keys_table
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "pack-format.md").read_text(encoding="utf-8")


def _shipped_rules() -> dict[str, dict]:
    out = {}
    for path in (ROOT / "rules").glob("*.yaml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            out[rule["id"]] = rule
    return out


def test_every_key_table_is_what_the_models_read_today() -> None:
    assert keys_table.current() == keys_table.table(), "run: python tests/keys_table.py --write"


def test_every_then_key_of_every_question_is_documented() -> None:
    from villagepolicy.questions import _discover

    for name, q in _discover().items():
        assert f"`{name}`" in keys_table.table()
        for key in q.effect_model.model_fields:
            assert f"| `{key}` |" in keys_table.table(), (name, key)


def test_quoted_rules_are_the_shipped_rules() -> None:
    """A rule quoted in a shape's example exists, answers the same question and sets the keys it shows."""
    rules = _shipped_rules()
    quoted = re.findall(r"  - id: ([a-z0-9-]+)[^\n]*\n    question: ([a-z_]+)", DOC)
    assert len(quoted) >= 6
    for rule_id, question in quoted:
        if rule_id.startswith("lk-") or rule_id.startswith("tc-"):
            continue  # the worked example's made-up county
        assert rule_id in rules, f"docs/pack-format.md quotes {rule_id}, which no shipped pack has"
        assert rules[rule_id]["question"] == question, rule_id


def test_shape_examples_name_keys_the_shipped_rule_sets() -> None:
    rules = _shipped_rules()
    for rule_id, keys in {
        "yb-leave-middle": ("reviewers", "approver_one_of", "filed_with"),
        "yb-esc-absence-recall": ("grade_set", "grade_set_zh"),
        "yb-esc-absence-deductions": ("deductions",),
    }.items():
        for key in keys:
            assert key in rules[rule_id]["then"], (rule_id, key)

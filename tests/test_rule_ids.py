"""Issue 17 item 2: shipped rule ids carry no policy numbers (a county that changes 30 days to 15 would keep ids
that lie); a renamed rule keeps its former ids in `was:`, which still work wherever a rule id is given."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.errors import PackError
from villagepolicy.library import shipped_root
from villagepolicy.packtest import read_cases, run_case

# Numbers spelt as words are numbers too (sq-esc-absence-3rd, gz-esc-ii2-three-absences); the eight-point rules
# (八项规定) and first secretaries are names, not numbers.
NUMBER_WORDS = re.compile(
    r"(?<![a-z])(one|two|three|four|five|six|seven|eight(?!-point)|nine|ten|twenty|thirty|half|first(?!-secretar)|second|"
    r"third|fourth|\d+(st|nd|rd|th|km|day|days)|upto)(?![a-z])"
)


def _clause_digits(cites: list[str]) -> set[str]:
    # A clause reference may stand in an id: 39.3 -> 39-3 / 393, II.4 -> ii4.
    out = set()
    for c in cites:
        out |= set(re.findall(r"\d+", c))
    return out


def test_no_shipped_rule_id_carries_a_policy_number() -> None:
    lib = vp.default_library()
    offending = []
    for pack in lib.packs.values():
        for cr in pack.rules:
            rid, cites = cr.rule.id, cr.rule.cites
            stray = [n for n in re.findall(r"\d+", rid) if n not in _clause_digits(cites)]
            if stray or NUMBER_WORDS.search(rid):
                offending.append(f"{pack.id}: {rid}")
    assert not offending, offending


def test_an_old_rule_id_resolves_to_the_new_one() -> None:
    j = vp.jurisdiction("shiquan")
    assert j.rule_id("sq-leave-fs-6-10") == "sq-leave-fs-medium"
    assert j.rule_id("sq-leave-fs-medium") == "sq-leave-fs-medium"
    assert j.rule_id("no-such-rule") is None
    d = vp.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 8}, on="2022-06-01")
    assert d.trace == ["sq-leave-fs-medium"]  # decisions give the new id


def test_a_pack_test_naming_an_old_rule_id_still_passes(tmp_path: Path) -> None:
    cases = tmp_path / "old-ids.yaml"
    cases.write_text(
        'jurisdiction: shiquan\ncases:\n  - name: "13(2) old id"\n    question: leave_approval\n'
        '    date: "2022-06-01"\n    facts: {"role": "first_secretary", "days": 8}\n'
        '    expect: {"outcome": "approve", "rules": ["sq-leave-fs-6-10"]}\n',
        encoding="utf-8",
    )
    (case,) = read_cases(cases)
    run = run_case(vp.default_library(), case)
    assert run.passed, run.failures
    assert run.fired == [("shiquan-2021", "sq-leave-fs-medium")]


@pytest.mark.parametrize(
    ("was", "expected"),
    [
        ("[sq-leave-fs-long]", "是现有规则的编号"),  # a former id that is some rule's id today
        ("[sq-x, sq-x]", "重复"),
        ("[sq-leave-fs-11-30]", "重复"),  # another rule's former id
    ],
)
def test_a_colliding_was_is_refused_at_its_place(tmp_path: Path, was: str, expected: str) -> None:
    text = (shipped_root() / "rules" / "shiquan-2021.yaml").read_text(encoding="utf-8")
    assert "    was: [sq-leave-fs-6-10]\n" in text
    bad = text.replace("    was: [sq-leave-fs-6-10]\n", f"    was: {was}\n")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "shiquan-2021.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(PackError) as e:
        vp.load(tmp_path)
    assert "shiquan-2021.yaml:" in str(e.value) and "was" in str(e.value) and expected in str(e.value)

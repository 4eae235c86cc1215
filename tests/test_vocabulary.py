"""Issue 17 (item 1): the vocabulary is data — one YAML file, today's ids unchanged, documented from the file."""

from __future__ import annotations

import re
from pathlib import Path

import vocabulary_table

import villagepolicy as vp
from villagepolicy import vocabulary
from villagepolicy.questions import appraisal, stay
from villagepolicy.roster.schema import ROLE_VALUES

SRC = Path(__file__).resolve().parents[1] / "src" / "villagepolicy"


def test_docs_list_every_id_of_the_vocabulary() -> None:
    assert vocabulary_table.current() == vocabulary_table.table(), "run: python tests/vocabulary_table.py --write"


def test_public_id_sets_are_unchanged() -> None:
    # The contract of issues 1–14: these ids may gain neighbours, never lose or change one.
    assert list(vp.ROLES) == ["first_secretary", "team_leader", "team_member", "party_building_instructor"]
    assert {"town_party_committee", "county_org_dept", "dispatching_unit", "town_discipline_secretary"} <= set(
        vp.AUTHORITIES
    )
    assert {"recall", "reselect", "criticism_education", "serious_handling"} <= set(vp.ACTIONS)
    # Role is open (a pack may declare more): the shipped ids ride on its Vocab mark
    assert vocabulary.Role.__metadata__[0].shipped == tuple(vp.ROLES)
    assert list(appraisal.SCALES["individual"]) == ["excellent", "competent", "basically_competent", "incompetent"]
    assert stay.RECORD_KINDS["in_village"] == "在村(驻村)工作"


def test_roster_cells_in_chinese_map_to_ids_through_the_vocabularys_labels() -> None:
    assert ROLE_VALUES["第一书记"] == "first_secretary" and ROLE_VALUES["队员"] == "team_member"
    assert vocabulary.cell_values("grade")["好"] == "good"
    assert vocabulary.cell_values("record_kind")["在村"] == "in_village"


def test_no_policy_id_literal_is_written_in_python() -> None:
    # Roles, authorities, actions, event and record kinds and grades come from vocabulary.yaml (issue 17).
    policy_ids = set(vocabulary.ids("role")) | set(vocabulary.ids("authority")) | set(vocabulary.ids("action"))
    policy_ids |= set(vocabulary.ids("record_kind")) | set(vocabulary.ids("event_kind")) | set(vocabulary.ids("grade"))
    offenders = []
    for p in SRC.rglob("*.py"):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("outcome:"):
                continue  # a question's outcomes are its own words (recall is also an action id), not vocabulary
            for m in re.finditer(r"Literal\[([^\]]*)", line):
                named = set(re.findall(r'"([a-z_]+)"', m.group(1)))
                if named & policy_ids:
                    offenders.append(f"{p.relative_to(SRC)}:{i}: {sorted(named & policy_ids)}")
    assert offenders == []


def test_the_vocabulary_module_imports_nothing_of_the_package() -> None:
    text = (SRC / "vocabulary.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*from \.", text, re.M) and "import villagepolicy" not in text

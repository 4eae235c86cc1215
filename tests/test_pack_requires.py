"""Issue 17 item 6: a fact a document needs is required by its pack (`requires`), not by Python for everyone."""

from __future__ import annotations

import pytest

import villagepolicy as vp
from villagepolicy.errors import FactError, PackError
from villagepolicy.library import shipped_root

GIVEN = {"subject": "individual", "grade": "competent"}


@pytest.fixture(scope="module")
def lib():
    return vp.load()


@pytest.mark.parametrize("jurisdiction", ["central", "guizhou", "xiangyin"])
def test_appraisal_without_months_stationed_where_the_document_does_not_ask(lib, jurisdiction):
    d = lib.jurisdiction(jurisdiction).decide("appraisal_grade", GIVEN, "2022-06-01")
    assert (d.outcome, d.grade) == ("graded", "competent")


@pytest.mark.parametrize(("jurisdiction", "clause"), [("tongwei", "29"), ("shiquan", "19")])
def test_months_stationed_required_by_tongwei_29_and_shiquan_19(lib, jurisdiction, clause):
    with pytest.raises(FactError) as e:
        lib.jurisdiction(jurisdiction).decide("appraisal_grade", GIVEN, "2022-06-01")
    [(field, msg)] = e.value.problems
    assert field == "months_stationed" and f"第{clause}条" in msg


def test_requires_not_asked_of_a_team(lib):
    d = lib.jurisdiction("tongwei").decide("appraisal_grade", {"subject": "team", "score": 90}, "2022-06-01")
    assert d.outcome != "not_covered" or d.citations


def test_requires_roster_names_the_person(lib):
    people = [{"id": "a", "subject": "individual", "grade": "competent"}]
    with pytest.raises(FactError) as e:
        lib.jurisdiction("tongwei").decide("appraisal_roster", {"people": people}, "2022-06-01")
    assert e.value.problems[0][0] == "people.0.months_stationed"


def test_requires_unknown_fact_refused_at_file_line_col(tmp_path):
    text = (shipped_root() / "rules" / "xiangyin-2020.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "\nrules:\n",
        '\nrequires:\n  - question: appraisal_grade\n    facts: [months_stationd]\n    cites: ["I"]\n\nrules:\n',
        1,
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "xiangyin-2020.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as e:
        vp.load(tmp_path)
    msg = str(e.value)
    assert "months_stationd" in msg and "months_stationed" in msg and "xiangyin-2020.yaml:" in msg

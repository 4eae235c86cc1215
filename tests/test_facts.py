"""Bad facts and unknown names raise the documented errors, naming the field and the allowed values."""

from __future__ import annotations

import pytest

import villagepolicy as vp


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"role": "mayor", "days": 3}, "role"),
        ({"role": "first_secretary", "days": 0}, "days"),
        ({"role": "first_secretary", "days": -3}, "days"),
        ({"role": "first_secretary", "days": "7"}, "days"),
        ({"role": "first_secretary", "days": 2.5}, "days"),
        ({"role": "first_secretary", "days": True}, "days"),
        ({"role": "first_secretary"}, "days"),
        ({"role": "first_secretary", "days": 3, "dyas": 4}, "dyas"),
    ],
)
def test_bad_leave_facts_raise_fact_error_naming_field(facts: dict, field: str) -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "leave_approval", facts, on="2022-01-01")
    assert isinstance(e.value, ValueError)
    assert field in str(e.value)
    assert any(f == field for f, _ in e.value.problems)


def test_unknown_role_lists_allowed_values() -> None:
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "leave_approval", {"role": "mayor", "days": 3})
    for role in vp.ROLES:
        assert role in str(e.value)


@pytest.mark.parametrize("facts", [None, [], "role=first_secretary", 7])
def test_facts_that_are_not_a_mapping(facts: object) -> None:
    with pytest.raises(vp.FactError, match="mapping"):
        vp.decide("shiquan", "leave_approval", facts)


def test_unknown_jurisdiction_lists_known() -> None:
    with pytest.raises(vp.UnknownJurisdiction) as e:
        vp.jurisdiction("atlantis")
    assert isinstance(e.value, LookupError)
    assert "shiquan" in str(e.value) and "tongwei" in str(e.value)


def test_unknown_question_lists_answerable() -> None:
    with pytest.raises(vp.UnknownQuestion) as e:
        vp.decide("shiquan", "pay_rise", {})
    assert isinstance(e.value, LookupError)
    assert "leave_approval" in str(e.value)


def test_bad_decision_date() -> None:
    with pytest.raises(vp.FactError, match="on"):
        vp.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 3}, on="2022-02-30")

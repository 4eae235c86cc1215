"""decide_many and the per-case memo of decide give exactly the answers of one-by-one, unremembered decide."""

from __future__ import annotations

import datetime as dt
import types
import typing
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import villagepolicy as vp
from villagepolicy.questions import QUESTIONS
from villagepolicy.vocabulary import Vocab

ON = "2022-06-01"
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def unremembered() -> vp.Library:
    """A second library that decides every case afresh: the oracle for the memo and for decide_many."""
    lib = vp.load()
    lib.cache_size = 0
    return lib


def _field_strategy(annotation: Any, meta: list[Any]) -> st.SearchStrategy | None:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        inner = _field_strategy(next(a for a in args if a is not type(None)), meta)
        return None if inner is None else st.none() | inner
    if origin is typing.Literal:
        return st.sampled_from(args)
    vocab = [m for m in (*meta, *getattr(annotation, "__metadata__", ())) if isinstance(m, Vocab)]
    if vocab:  # an open kind (role): its shipped ids
        return st.sampled_from(vocab[0].shipped)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        lo = next((m.ge for m in meta if getattr(m, "ge", None) is not None), -5)
        hi = next((m.le for m in meta if getattr(m, "le", None) is not None), lo + 400)
        # Reach a little past the bounds so that bad rows are generated too.
        return st.integers(lo - 1, min(hi, lo + 400) + 1)
    if annotation is float:
        return st.floats(-10, 1000, allow_nan=False)
    if annotation is dt.date:
        return st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31))
    return None


def _facts_strategy(question: str, j: str | None = None) -> st.SearchStrategy[dict[str, Any]] | None:
    """Flat facts of a table question, drawn field by field; None when a field is not a plain scalar.
    A question a pack declares is looked up in its jurisdiction."""
    fields = {}
    q = QUESTIONS[question] if question in QUESTIONS else vp.jurisdiction(j).question(question)
    for name, info in q.facts_model.model_fields.items():
        s = _field_strategy(info.annotation, info.metadata)
        if s is None:
            return None
        fields[name] = s
    return st.fixed_dictionaries(fields)


TABLE_QUESTIONS = [
    (j, q) for j in vp.jurisdictions() for q in vp.jurisdiction(j).questions() if _facts_strategy(q, j) is not None
]


def _one_by_one(lib: vp.Library, j: str, q: str, rows: list[dict], on: Any, engine: str) -> list[vp.Decision] | str:
    out = []
    for row in rows:
        try:
            out.append(lib.decide(j, q, row, on, engine=engine))
        except vp.FactError:
            return "FactError"
    return out


def _many(j: str, q: str, cases: Any, on: Any, engine: str) -> list[vp.Decision] | str:
    try:
        return vp.decide_many(j, q, cases, on, engine=engine)
    except vp.FactError:
        return "FactError"


@pytest.mark.parametrize(("jurisdiction", "question"), TABLE_QUESTIONS)
@_SETTINGS
@given(data=st.data())
def test_decide_many_equals_decide_one_by_one(
    jurisdiction: str, question: str, engine: str, unremembered: vp.Library, data: st.DataObject
) -> None:
    facts = _facts_strategy(question, jurisdiction)
    assert facts is not None
    pool = data.draw(st.lists(facts, min_size=1, max_size=6))
    rows = data.draw(st.lists(st.sampled_from(pool), max_size=40))  # repeats on purpose: they are shared
    on = data.draw(st.dates(dt.date(2017, 1, 1), dt.date(2026, 12, 31)))
    expected = _one_by_one(unremembered, jurisdiction, question, rows, on, engine)
    assert _many(jurisdiction, question, rows, on, engine) == expected
    names = sorted({k for r in rows for k in r})
    columns = {n: [r.get(n) for r in rows] for n in names}
    assert _many(jurisdiction, question, columns, on, engine) == expected
    # ...and decide, remembering cases, answers as the library that does not.
    assert _one_by_one(vp.default_library(), jurisdiction, question, rows, on, engine) == expected


@_SETTINGS
@given(
    j=st.sampled_from(["shiquan", "tongwei", "guizhou", "xiangyin", "central"]),
    role=st.sampled_from(sorted(vp.ROLES)),
    days=st.integers(1, 400),
    on=st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31)),
)
def test_remembered_leave_decision_equals_a_fresh_one(
    j: str, role: str, days: int, on: dt.date, engine: str, unremembered: vp.Library
) -> None:
    facts = {"role": role, "days": days}
    # A case is kept from its second sighting, so the third answer is the remembered copy.
    first, second, third = (vp.decide(j, "leave_approval", facts, on, engine=engine) for _ in range(3))
    fresh = unremembered.decide(j, "leave_approval", facts, on, engine=engine)
    assert first == second == third == fresh
    assert first.to_dict() == second.to_dict() == third.to_dict() == fresh.to_dict()
    assert third is not second


def test_tongwei_fallback_to_central_ends_with_2020_even_when_remembered(engine: str) -> None:
    # Tongwei's jurisdiction file applies central-2017 until 2020-12-31: the same case on either side of
    # that day consults different packs, so a remembered answer must not cross it.
    facts = {"role": "party_building_instructor", "days": 3}
    for _ in range(3):  # remembered from the second sighting on
        before = vp.decide("tongwei", "leave_approval", facts, "2020-12-31", engine=engine)
    after = vp.decide("tongwei", "leave_approval", facts, "2021-01-01", engine=engine)
    assert "central-2017" in before.packs
    assert "central-2017" not in after.packs
    assert after.on == dt.date(2021, 1, 1)


def test_changing_a_returned_decision_does_not_change_the_next_answer(engine: str) -> None:
    facts = {"role": "first_secretary", "days": 12}
    expected = vp.decide("shiquan", "leave_approval", facts, ON, engine=engine).model_copy(deep=True)
    for _ in range(2):  # the first may be decided afresh, the second is a remembered copy
        d = vp.decide("shiquan", "leave_approval", facts, ON, engine=engine)
        d.approvers.append("town_party_committee")
        d.citations.clear()
        d.notes.append("changed by the caller")
        d.outcome = "recall"
    assert vp.decide("shiquan", "leave_approval", facts, ON, engine=engine) == expected
    many = vp.decide_many("shiquan", "leave_approval", [facts] * 3, ON, engine=engine)
    many[1].approvers.clear()
    many[1].trace.append("x")
    assert many[0] == many[2] == expected
    assert many[1].approvers == []


def test_decide_many_keeps_the_order_of_the_cases() -> None:
    rows = [{"role": "team_member", "days": d} for d in (31, 1, 6, 11, 1, 31)]
    got = vp.decide_many("shiquan", "leave_approval", rows, ON)
    assert [d.outcome for d in got] == ["recall", "approve", "approve", "approve", "approve", "recall"]
    assert got[2].approvers == ["county_rural_revitalization_bureau"]


def test_decide_many_reads_columns_with_null_as_absent() -> None:
    cols = {"role": ["first_secretary", "team_leader"], "days": [3, None]}
    with pytest.raises(vp.FactError) as e:
        vp.decide_many("shiquan", "leave_approval", cols, ON)
    assert e.value.problems == [("[1].days", "缺少 missing")]


def test_decide_many_names_every_bad_row_and_returns_nothing() -> None:
    rows = [
        {"role": "first_secretary", "days": 3},
        {"role": "mayor", "days": 3},
        {"role": "first_secretary", "days": 3},
        {"role": "first_secretary", "days": True},
        "not a mapping",
    ]
    with pytest.raises(vp.FactError) as e:
        vp.decide_many("shiquan", "leave_approval", rows, ON)
    fields = [f for f, _ in e.value.problems]
    assert fields == ["[1].role", "[3].days", "[4]"]
    assert "[3].days" in str(e.value)


def test_decide_many_a_true_among_integers_is_still_rejected() -> None:
    # True == 1 in Python; identical-case sharing must not let the bool borrow the int's answer.
    with pytest.raises(vp.FactError) as e:
        vp.decide_many("shiquan", "leave_approval", {"role": ["team_member"] * 2, "days": [1, True]}, ON)
    assert [f for f, _ in e.value.problems] == ["[1].days"]
    with pytest.raises(vp.FactError):
        vp.decide_many("shiquan", "leave_approval", [{"role": "team_member", "days": d} for d in (1, True)], ON)


def test_decide_many_caps_the_list_of_bad_rows() -> None:
    rows = [{"role": "mayor", "days": 3}] * 500
    with pytest.raises(vp.FactError) as e:
        vp.decide_many("shiquan", "leave_approval", rows, ON)
    assert len(e.value.problems) == 101
    assert "500" in e.value.problems[-1][1]


@pytest.mark.parametrize(
    ("cases", "says"),
    [
        ({"role": ["team_member"], "days": [1, 2]}, "length"),
        ({"role": "team_member", "days": [1]}, "column"),
        (42, "list of mappings"),
        ("role=team_member", "list of mappings"),
    ],
)
def test_decide_many_rejects_malformed_input(cases: Any, says: str) -> None:
    with pytest.raises(vp.FactError, match=says):
        vp.decide_many("shiquan", "leave_approval", cases, ON)


def test_decide_many_unknown_question_and_empty_input() -> None:
    with pytest.raises(vp.UnknownQuestion):
        vp.decide_many("shiquan", "no_such_question", [], ON)
    assert vp.decide_many("shiquan", "leave_approval", [], ON) == []
    assert vp.decide_many("shiquan", "leave_approval", {"role": [], "days": []}, ON) == []
    assert vp.jurisdiction("shiquan").decide_many("leave_approval", iter([{"role": "team_member", "days": 2}]), ON)


def test_decide_many_takes_a_pyarrow_table_when_pyarrow_is_there() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"role": ["team_member", "first_secretary"], "days": [3, 31]})
    got = vp.decide_many("shiquan", "leave_approval", table, ON)
    assert got == [vp.decide("shiquan", "leave_approval", r, ON) for r in table.to_pylist()]


def test_decide_many_on_facts_with_lists_equals_one_by_one(engine: str, unremembered: vp.Library) -> None:
    # Records are lists, so no two rows are shared: each is decided as decide would, in order.
    march = [{"date": f"2022-03-{d:02d}", "kind": "in_village"} for d in range(1, 19)]
    rows = [
        {"role": "team_member", "period": "2022-03", "records": march},
        {"role": "team_member", "period": "2022-03", "records": march[:5]},
        {"role": "first_secretary", "period": "2022-03", "records": march},
    ]
    rows.append(rows[0])
    expected = [unremembered.decide("shiquan", "stay_compliance", r, "2022-04-05", engine=engine) for r in rows]
    got = vp.decide_many("shiquan", "stay_compliance", rows, "2022-04-05", engine=engine)
    assert got == expected
    assert got[0] is not got[3]
    assert (
        vp.decide_many(
            "shiquan", "stay_compliance", {k: [r[k] for r in rows] for k in rows[0]}, "2022-04-05", engine=engine
        )
        == expected
    )


def test_a_small_memo_shared_by_8_threads_gives_the_answers_of_none(unremembered: vp.Library) -> None:
    # Eight remembered cases for 48 distinct ones: threads keep evicting each other's entries.
    lib = vp.load()
    lib.cache_size = 8
    work = [("shiquan", role, days) for role in sorted(vp.ROLES) for days in range(1, 61, 5)] * 15
    expected = {c: unremembered.decide(c[0], "leave_approval", {"role": c[1], "days": c[2]}, ON) for c in set(work)}

    def answer(c: tuple[str, str, int]) -> vp.Decision:
        return lib.decide(c[0], "leave_approval", {"role": c[1], "days": c[2]}, ON)

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(answer, work))
    assert got == [expected[c] for c in work]
    assert len(lib.jurisdiction("shiquan")._templates) <= 8


def test_an_attribute_set_on_one_decision_is_not_on_its_siblings() -> None:
    facts = {"role": "team_leader", "days": 7}
    many = vp.decide_many("shiquan", "leave_approval", [facts] * 3, ON)
    many[1].reviewed_by = "county_org_dept"  # Decision allows extra fields
    assert not hasattr(many[2], "reviewed_by")
    assert "reviewed_by" not in many[0].to_dict()


@pytest.mark.parametrize("library", ["numpy", "polars"])
def test_decide_many_takes_numpy_columns_and_polars_frames(library: str) -> None:
    mod = pytest.importorskip(library)
    roles, days = ["team_member", "first_secretary", "team_member"], [3, 31, 3]
    cases = (
        {"role": mod.array(roles), "days": mod.array(days)}
        if library == "numpy"
        else mod.DataFrame({"role": roles, "days": days})
    )
    expected = [
        vp.decide("shiquan", "leave_approval", {"role": r, "days": d}, ON) for r, d in zip(roles, days, strict=True)
    ]
    assert vp.decide_many("shiquan", "leave_approval", cases, ON) == expected

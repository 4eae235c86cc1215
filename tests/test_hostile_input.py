"""Hostile and broken input: refused with a located message, in bounded time and memory, never a traceback.

Packs and facts are edited by people and arrive from other systems. The YAML reader builds documents
from parser events without recursion, never expands aliases and constructs nothing but plain data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from strategies import DECISION_DATES, STRATEGIES

import villagepolicy as vp
from villagepolicy.calendar import CalendarError
from villagepolicy.cli import main
from villagepolicy.library import shipped_root
from villagepolicy.packs.lint import lint_pack_file
from villagepolicy.packs.loader import load_pack
from villagepolicy.packs.yamlread import MAX_BYTES, MAX_DEPTH, MAX_PROBLEMS, YamlError, read_yaml

SRC = Path(vp.__file__).parent
SHIPPED_PACK = shipped_root() / "rules" / "shiquan-2021.yaml"


def refused(text: str | bytes) -> list[vp.Problem]:
    with pytest.raises(YamlError) as e:
        read_yaml(text, "f.yaml")
    return e.value.problems


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expansion() -> None:
    probs = refused(billion_laughs())
    assert len(probs) <= MAX_PROBLEMS + 1
    assert (probs[0].line, probs[0].col) == (2, 10) and "aliases" in probs[0].message


def test_billion_laughs_in_a_pack_is_a_pack_error(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "rules" / "lol.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(vp.PackError) as e:
        load_pack(path)
    assert str(e.value).startswith(f"{path}:2:10: ")


def test_deep_flow_nesting_is_refused() -> None:
    (p,) = refused("x: " + "[" * 100_000 + "]" * 100_000)
    assert "nesting" in p.message or "depth" in p.message


def test_deep_block_nesting_is_refused_at_its_line() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v\n"
    (p,) = refused(text)
    assert f"deeper than {MAX_DEPTH}" in p.message and p.line == MAX_DEPTH + 1


def test_nesting_at_the_limit_is_accepted() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 1)) + "  " * (MAX_DEPTH - 1) + "v: 1\n"
    assert read_yaml(text, "f").data is not None


def test_file_over_the_limit_is_refused_before_being_read_whole(tmp_path: Path) -> None:
    # A sparse 10 GB file: reading it whole would exhaust memory; only MAX_BYTES + 1 bytes are read.
    (tmp_path / "rules").mkdir()
    big = tmp_path / "rules" / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(10 * 1024**3)
    with pytest.raises(vp.PackError) as e:
        load_pack(big)
    assert "too large" in str(e.value) and str(MAX_BYTES) in str(e.value)


def test_facts_file_over_the_limit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_bytes(b"role: team_member\n" + b"#" * (MAX_BYTES + 10))
    assert main(["decide", "shiquan", "leave_approval", "--facts", f"@{facts}"]) == 2
    assert "too large" in capsys.readouterr().err


def test_object_constructing_tags_are_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for text in (
        f'x: !!python/object/apply:builtins.open ["{marker}", "w"]',
        f'x: !!python/object/new:builtins.open ["{marker}", "w"]',
        "x: !!python/name:os.system",
        "x: !!binary aGVsbG8=",
        "x: !!timestamp 2022-01-01",
        "x: !!set {a, b}",
        "x: !custom {a: 1}",
    ):
        probs = refused(text)
        assert any("tag" in p.message for p in probs), text
    assert not marker.exists()


def test_non_utf8_bytes_are_located() -> None:
    (p,) = refused(b"a: 1\nb: caf\xe9\n")
    assert (p.line, p.col) == (2, 7) and "UTF-8" in p.message


def test_control_characters_are_located() -> None:
    (p,) = refused("a: 1\nb: x\x00y\n")
    assert p.line == 2 and "\\x00" in p.message


def test_duplicate_keys_are_refused_at_the_second() -> None:
    (p,) = refused("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (p.line, p.col) == (4, 3) and "duplicate" in p.message


def test_numbers_out_of_range_are_refused() -> None:
    for text in ("x: " + "9" * 5000, "x: 1.0e999", "x: 9007199254740993"):
        (p,) = refused(text)
        assert p.line == 1 and ("range" in p.message or "too long" in p.message), text


def test_problems_are_capped() -> None:
    probs = refused("x: &a 1\ny:\n" + "- *a\n" * 100_000)
    assert len(probs) == MAX_PROBLEMS + 1 and "stopped" in probs[-1].message


def test_impossible_date_in_a_pack_is_located(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "rules" / "shiquan-2021.yaml"
    path.write_text(
        SHIPPED_PACK.read_text(encoding="utf-8").replace('issued: "2021-08-31"', 'issued: "2022-02-30"'),
        encoding="utf-8",
    )
    with pytest.raises(vp.PackError) as e:
        load_pack(path)
    (p,) = e.value.problems
    assert p.line == 6 and "pack.issued" in p.message and "2022-02-30" in p.message


def test_impossible_decision_date_is_a_fact_error() -> None:
    with pytest.raises(vp.FactError, match="2022-02-30"):
        vp.decide("shiquan", "leave_approval", {"role": "team_member", "days": 3}, on="2022-02-30")


def test_no_code_path_evaluates_or_unpickles_pack_content() -> None:
    # Conditions are data: nothing in the package may eval/exec text or construct arbitrary objects.
    # marshal is allowed in packs/readcache.py only: it stores read_yaml's own plain output (dicts, lists,
    # str, numbers) in the user's cache directory, under a hash of the bytes and of the reader's source.
    # pickle is allowed in roster/parallel.py only: results pass from the check's own forked workers to
    # it over an anonymous pipe, never through a file or anything a user hands in.
    banned = re.compile(r"(?<![\w.])(eval|exec|compile)\(|pickle|marshal|yaml\.(unsafe_)?load\(|yaml\.Loader\b")
    allowed = {("packs/readcache.py", "marshal"), ("roster/parallel.py", "pickle")}
    offenders = [
        f"{p.relative_to(SRC)}:{i}"
        for p in SRC.rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if (m := banned.search(line))
        and not line.lstrip().startswith("#")
        and (p.relative_to(SRC).as_posix(), m.group(0)) not in allowed
    ]
    assert offenders == []


# ── fuzzing ──

_FRAGMENTS = [
    "a",
    "b",
    "role",
    "days",
    ": ",
    ":",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\n",
    "\n  ",
    "\n    ",
    "&x ",
    "*x",
    "!!str ",
    "!!python/object:os.system ",
    "? ",
    '"',
    "'",
    "|\n  ",
    ">\n  ",
    "#",
    "---\n",
    "...\n",
    "<<: ",
    "yes",
    "010",
    "1:30",
    "1e999",
    "9" * 50,
    "null",
    "~",
    "true",
    "2022-02-30",
    "\t",
    "\x00",
    "\ufeff",
    "中文",
    "%YAML 1.1\n",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=60).map("".join))
def test_fuzzed_yaml_text_gives_data_or_located_problems(text: str) -> None:
    try:
        read_yaml(text, "f.yaml")
    except YamlError as e:
        assert e.problems and all(p.line >= 1 and p.col >= 1 for p in e.problems)


@given(st.binary(max_size=400))
def test_fuzzed_bytes_give_data_or_located_problems(raw: bytes) -> None:
    try:
        read_yaml(raw, "f.yaml")
    except YamlError as e:
        assert e.problems


_PACK_LINES = SHIPPED_PACK.read_text(encoding="utf-8").splitlines(keepends=True)


@st.composite
def mutated_pack(draw: st.DrawFn) -> str:
    lines = list(_PACK_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "splice", "swap"]))
        if kind == "delete":
            del lines[i : i + draw(st.integers(1, 5))]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "splice":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(_FRAGMENTS)) + line[at:]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "".join(lines)


@given(mutated_pack())
def test_fuzzed_pack_loads_or_raises_pack_error_and_lints(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "shiquan-2021.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_pack(path)
        except vp.PackError as e:
            assert e.problems and all(p.file == str(path) and p.line >= 1 for p in e.problems)
        # lint reads the same file: it reports, it never raises
        report = lint_pack_file(path)
        assert all(f.line >= 1 for f in report.findings)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates().map(str),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def decide_or_fact_error(jid: str, question: str, facts: Any, on: dt.date) -> None:
    """A decision, a FactError naming fields, or another documented refusal (a date past the calendar)."""
    try:
        d = vp.decide(jid, question, facts, on)
    except vp.FactError as e:
        assert e.problems and isinstance(e, ValueError)
        return
    except CalendarError as e:
        assert "2004" in str(e)  # names the covered range
        return
    json.dumps(d.to_dict(), allow_nan=False)


QUESTIONS = sorted(vp.QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS)
@given(data=st.data())
def test_fuzzed_facts_give_a_decision_or_a_fact_error(question: str, data: st.DataObject) -> None:
    jid = data.draw(st.sampled_from([j for j in vp.jurisdictions() if question in vp.jurisdiction(j).questions()]))
    fields = sorted(vp.QUESTIONS[question].facts_model.model_fields)
    keys = st.sampled_from(fields) | st.text(max_size=8)
    facts = data.draw(st.dictionaries(keys, _JSONISH, max_size=len(fields) + 2), label="facts")
    note(json.dumps(facts, ensure_ascii=False, default=str))
    decide_or_fact_error(jid, question, facts, data.draw(DECISION_DATES))


@pytest.mark.parametrize("question", QUESTIONS)
@given(data=st.data())
def test_valid_facts_with_one_field_broken_give_a_fact_error_or_a_decision(question: str, data: st.DataObject) -> None:
    jid = data.draw(st.sampled_from([j for j in vp.jurisdictions() if question in vp.jurisdiction(j).questions()]))
    on = data.draw(DECISION_DATES)
    facts = dict(data.draw(STRATEGIES[question](jid, on)))
    name = data.draw(st.sampled_from(sorted(vp.QUESTIONS[question].facts_model.model_fields)))
    facts[name] = data.draw(_JSONISH, label=f"{name} replaced by")
    decide_or_fact_error(jid, question, facts, on)


def test_fuzz_inputs_are_not_trivially_all_errors() -> None:
    # The mutated-pack strategy starts from a valid pack: unmutated, it loads.
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "shiquan-2021.yaml"
        path.write_text("".join(_PACK_LINES), encoding="utf-8")
        assert load_pack(path).id == "shiquan-2021"
    assert os.path.getsize(SHIPPED_PACK) < MAX_BYTES

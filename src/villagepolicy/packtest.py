"""Pack tests: YAML cases that policy staff write without Python, and the rule coverage they reach.

A test file (docs/pack-tests.md):

    jurisdiction: shiquan          # defaults for the cases below (each case may override them)
    question: leave_approval
    date: "2022-05-01"
    cases:
      - name: 13(2) a first secretary's 5 days go to the town party committee
        facts: {role: first_secretary, days: 5}
        expect: {outcome: approve, approvers: [town_party_committee], rules: [sq-leave-fs-1-5]}

`expect` compares any field of the decision's JSON form: scalars and lists must be equal, mappings
are compared on the keys given (a subset), `rules` is the list of rules fired (the trace), `cites`
lists clause ids that must be among the citations, and `error: facts` expects the facts to be
rejected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FactError, Problem, UnknownJurisdiction, UnknownQuestion, VillagePolicyError
from .library import Library
from .packs.yamlread import Located, YamlError, read_yaml
from .suggest import did_you_mean

# `date` is the decision date (decide()'s `on`; an unquoted `on:` key is a boolean in YAML 1.1, so the
# strict reader refuses it: `"on":` is accepted too).
CASE_KEYS = {"name", "jurisdiction", "question", "date", "on", "facts", "expect", "engine"}
FILE_KEYS = {"jurisdiction", "question", "date", "on", "cases", "engine"}
SPECIAL_EXPECT = {"rules", "cites", "error"}


class PackTestError(VillagePolicyError):
    """A test file that cannot be read; `problems` are file:line:col."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class Case:
    file: str
    line: int
    col: int
    name: str
    jurisdiction: str
    question: str
    on: Any
    facts: Any
    expect: dict[str, Any]
    engine: str = "durable"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class CaseRun:
    case: Case
    failures: list[str] = field(default_factory=list)
    fired: list[tuple[str, str]] = field(default_factory=list)  # (pack, rule id)
    cited: list[tuple[str, str]] = field(default_factory=list)  # (pack, clause id)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Coverage:
    rules: dict[tuple[str, str], bool]  # (pack, rule id) -> exercised
    clauses: dict[tuple[str, str], bool]  # (pack, clause id) -> exercised (clauses marked not_encodable left out)
    not_encodable: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * sum(self.rules.values()) / len(self.rules) if self.rules else 100.0

    @property
    def clause_percent(self) -> float:
        return 100.0 * sum(self.clauses.values()) / len(self.clauses) if self.clauses else 100.0


def find_test_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml") and x.is_file())
        elif p.is_file():
            files.append(p)
        else:
            raise PackTestError([Problem(str(p), 1, 1, "找不到 no such file or folder")])
    return files


def read_cases(path: Path) -> list[Case]:
    try:
        loc = read_yaml(path.read_bytes(), str(path))
    except OSError as e:
        raise PackTestError([Problem(str(path), 1, 1, f"无法读取 cannot read: {e.strerror}")]) from None
    except YamlError as e:
        raise PackTestError(e.problems) from None
    data = loc.data
    problems: list[Problem] = []
    if isinstance(data, list):
        data, prefix = {"cases": data}, ()
    else:
        prefix = ("cases",)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise PackTestError([loc.problem((), "应有 cases: 列表 expected a mapping with a `cases:` list")])
    for k in data:
        if k not in FILE_KEYS:
            problems.append(
                loc.problem((k,), f"未知的键 unknown key {k!r}" + did_you_mean(str(k), sorted(FILE_KEYS)), True)
            )
    out: list[Case] = []
    for i, raw in enumerate(data["cases"]):
        path_i = (*prefix, i)
        if not isinstance(raw, dict):
            problems.append(loc.problem(path_i, "每个用例应为映射 each case must be a mapping"))
            continue
        for k in raw:
            if k not in CASE_KEYS:
                problems.append(
                    loc.problem(
                        (*path_i, k), f"未知的键 unknown key {k!r}" + did_you_mean(str(k), sorted(CASE_KEYS)), True
                    )
                )
        merged = {k: data[k] for k in ("jurisdiction", "question", "date", "on", "engine") if k in data} | raw
        for k in ("jurisdiction", "question", "facts", "expect"):
            if k not in merged:
                problems.append(loc.problem(path_i, f"缺少 missing {k!r}"))
        expect = merged.get("expect")
        if "expect" in merged and not isinstance(expect, dict):
            problems.append(loc.problem((*path_i, "expect"), "expect 应为映射 must be a mapping"))
            continue
        if any(k not in merged for k in ("jurisdiction", "question", "facts", "expect")):
            continue
        line, col = loc.where(path_i)
        out.append(
            Case(
                file=str(path),
                line=line,
                col=col,
                name=str(merged.get("name") or f"case {i + 1}"),
                jurisdiction=str(merged["jurisdiction"]),
                question=str(merged["question"]),
                on=merged.get("date", merged.get("on")),
                facts=merged["facts"],
                expect=expect,
                engine=str(merged.get("engine", "durable")),
            )
        )
        _check_expect(loc, (*path_i, "expect"), expect, problems)
    if problems:
        raise PackTestError(problems)
    return out


def _check_expect(loc: Located, path: tuple[Any, ...], expect: dict[str, Any], problems: list[Problem]) -> None:
    if "error" in expect and expect["error"] != "facts":
        problems.append(loc.problem((*path, "error"), "error 只能是 facts (the facts must be rejected)"))
    for k in ("rules", "cites"):
        if k in expect and not (isinstance(expect[k], list) and all(isinstance(x, str) for x in expect[k])):
            problems.append(loc.problem((*path, k), f"{k} 应为字符串列表 must be a list of ids"))


def _matches(expected: Any, actual: Any, path: str, out: list[str]) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            out.append(f"{path}: expected a mapping, got {actual!r}")
            return
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: 决定中没有此字段 the decision has no such field")
            else:
                _matches(v, actual[k], f"{path}.{k}", out)
    elif isinstance(expected, list) and isinstance(actual, list) and any(isinstance(x, dict) for x in expected):
        if len(expected) != len(actual):
            out.append(f"{path}: expected {len(expected)} item(s), got {len(actual)}: {actual!r}")
            return
        for n, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _matches(e, a, f"{path}[{n}]", out)
    elif _norm(expected) != _norm(actual):
        out.append(f"{path}: 期望 expected {expected!r}, 实际 got {actual!r}")


def _norm(v: Any) -> Any:
    # YAML test files spell numbers as ints where the decision has floats, and dates as strings.
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v


def run_case(lib: Library, case: Case) -> CaseRun:
    run = CaseRun(case)
    try:
        j = lib.jurisdiction(case.jurisdiction)
        d = j.decide(case.question, case.facts, case.on, engine=case.engine)
    except FactError as e:
        if case.expect.get("error") != "facts":
            run.failures.append(f"事实被拒 facts rejected: {e}")
            return run
        # A rule that demands a fact the case leaves out is exercised when the error names it.
        text = " ".join(msg for _, msg in e.problems)
        for pack in lib.jurisdiction(case.jurisdiction).packs():
            for cr in pack.rules:
                if cr.rule.question == case.question and f"{cr.rule.id} (" in text:
                    run.fired.append((pack.id, cr.rule.id))
        return run
    except (UnknownJurisdiction, UnknownQuestion) as e:
        run.failures.append(str(e))
        return run
    if case.expect.get("error") == "facts":
        run.failures.append(f"期望事实被拒 expected the facts to be rejected, got outcome {d.outcome!r}")
    data = d.to_dict()
    for rule in d.trace:
        pack = next((p for p in d.packs if any(r.rule.id == rule for r in lib.packs[p].rules)), None)
        if pack:
            run.fired.append((pack, rule))
    run.cited = [(c.pack, c.clause) for c in d.citations]
    for k, v in case.expect.items():
        if k == "rules":
            # A case written before a rule was renamed names its former id (`was:`): still the same rule.
            v = [lib.rule_id(x) or x for x in v]
            if d.trace != v:
                run.failures.append(f"rules: 期望 expected {v}, 实际 fired {d.trace}")
        elif k == "cites":
            have = {c.clause for c in d.citations}
            missing = [x for x in v if x not in have]
            if missing:
                run.failures.append(f"cites: 未引用 not cited {missing}; cited {sorted(have)}")
        elif k == "error":
            continue
        elif k not in data:
            run.failures.append(f"{k}: 决定中没有此字段 the decision has no such field")
        else:
            _matches(v, data[k], k, run.failures)
    return run


def coverage(
    lib: Library, runs: list[CaseRun], questions: list[str] | None = None, only: set[str] | None = None
) -> Coverage:
    """Rule and clause coverage of the packs (of the packs in `only`, when given)."""
    fired = {f for r in runs for f in r.fired}
    cited = {c for r in runs for c in r.cited}
    rules: dict[tuple[str, str], bool] = {}
    clauses: dict[tuple[str, str], bool] = {}
    cited_by_rules: set[tuple[str, str]] = set()
    not_encodable = 0
    for pid, pack in sorted(lib.packs.items()):
        if only is not None and pid not in only:
            continue
        for cr in pack.rules:
            if questions and cr.rule.question not in questions:
                continue
            rules[(pid, cr.rule.id)] = (pid, cr.rule.id) in fired
            cited_by_rules.update((pid, c) for c in cr.rule.cites)
        for cid, clause in pack.clauses.items():
            if clause.not_encodable is not None:
                not_encodable += 1
                continue
            # With a question filter, only the clauses that question's rules cite count.
            if questions and (pid, cid) not in cited_by_rules:
                continue
            clauses[(pid, cid)] = (pid, cid) in cited
    return Coverage(rules, clauses, not_encodable)

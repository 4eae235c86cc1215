"""Static checks on packs and jurisdictions, each with a location and, where it helps, a counterexample.

The checks work on the parsed conditions (conditions.py), not on sample runs. A case field's values
are split into finitely many candidates that represent every class of values the rules can tell
apart: an enum's choices, true/false, absent (for optional fields), and for numbers every constant
the rules compare with, its neighbours (c-1, c+1 for ints), the midpoints between constants (for
floats) and the bounds the facts model allows. A depth-first split of the case space on the fields
the rules still test, simplifying each condition as values are fixed, visits every region in which
the set of matching rules is constant. No solver is needed, and each finding comes with a region's
concrete values as its counterexample.

Checks (level):
- load (error): the file does not load (every loader problem, file:line:col).
- missing_clause (error): an interpretation or rule names a clause the pack does not list.
- overlap (error): two rules of a first-match question give different `then` for the same case.
- gap (error): a value of a numeric field that no rule decides, between values that rules decide.
- undecided (error): a first-match question for which some case matches no rule and the pack has no
  `otherwise` rule recording not_covered; or a jurisdiction with a date on which no pack in force
  answers a question it answers on other dates.
- unreachable (error): a rule no case can match (its conditions contradict each other or the facts'
  bounds); an `otherwise` rule that can never apply is a warning.
- uncited_clause (warning): a clause no rule cites (directly or through an interpretation) and that
  carries no `not_encodable` mark. `--strict` makes warnings fail.
- unused_interpretation (warning): an interpretation no rule relies on.
- unanswered (warning): a question the library knows that no pack of a jurisdiction answers.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import ValidationError

from ..conditions import AllOf, AnyOf, Cond, FieldSpec, Test, tests_of, with_declared
from ..engine.limits import MAX_ACTIVATIONS, widest
from ..engine.reference import holds as test_holds  # the oracle's own comparisons
from ..errors import PackError, Problem
from ..questions import QUESTIONS, Question
from ..questions.base import first_match
from .loader import check_authorities, load_jurisdiction, load_pack
from .messages import named_path
from .pack import CompiledRule, LoadedPack
from .parameters import literal_duplicates
from .schema import PackFile
from .yamlread import Located, YamlError, read_bytes_limited, read_yaml

Level = Literal["error", "warning"]
MAX_REGIONS = 200_000  # per (pack, question): beyond this the check stops and says so

_LEVEL_ZH = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class LintFinding:
    file: str
    line: int
    col: int
    level: Level
    check: str
    message: str
    counterexample: dict[str, Any] | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {_LEVEL_ZH[self.level]} {self.level} [{self.check}] {self.message}"
        if self.counterexample is not None:
            text += f"; 反例 counterexample: {json.dumps(self.counterexample, ensure_ascii=False)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "level": self.level,
            "check": self.check,
            "message": self.message,
            "counterexample": self.counterexample,
        }


# ── the value space of a case field ──


@dataclass
class FieldDomain:
    name: str
    kind: str
    values: list[Any]  # representative candidates; numeric ones ascending, None (absent) first when optional


def _bounds(question: Question, name: str) -> tuple[float | None, float | None, bool, bool]:
    """(low, high, low_strict, high_strict) from Field(ge/gt/le/lt) on the case model, else the facts model."""
    for model in (question.case_model, question.facts_model):
        info = model.model_fields.get(name)
        if info is None:
            continue
        lo = hi = None
        lo_strict = hi_strict = False
        for m in info.metadata:
            if isinstance(m, at.Ge):
                lo = m.ge
            elif isinstance(m, at.Gt):
                lo, lo_strict = m.gt, True
            elif isinstance(m, at.Le):
                hi = m.le
            elif isinstance(m, at.Lt):
                hi, hi_strict = m.lt, True
        if lo is not None or hi is not None:
            return lo, hi, lo_strict, hi_strict
    return None, None, False, False


def _optional(question: Question, name: str) -> bool:
    info = question.case_model.model_fields.get(name)
    if info is None:
        return True
    ann = info.annotation
    return (get_origin(ann) in (Union, types.UnionType) and type(None) in get_args(ann)) or not info.is_required()


def domain_of(question: Question, name: str, spec: FieldSpec, constants: list[Any], tested_exists: bool) -> FieldDomain:
    values: list[Any]
    if spec.kind == "enum":
        values = list(spec.choices)
    elif spec.kind == "bool":
        values = [False, True]
    elif spec.kind in ("int", "date", "number"):
        lo, hi, lo_strict, hi_strict = _bounds(question, name)
        nums = sorted({c for c in constants if isinstance(c, int | float) and not isinstance(c, bool)})
        cands: set[float] = set(nums)
        if spec.kind == "number":  # a float strictly between two constants
            cands |= {(a + b) / 2 for a, b in zip(nums, nums[1:], strict=False)}
        for c in nums:
            cands |= {c - 1, c + 1}
        for b, strict in ((lo, lo_strict), (hi, hi_strict)):
            if b is not None and not strict:
                cands.add(b)
        if not cands:
            cands.add(lo if lo is not None else 0)

        def inside(v: float) -> bool:
            if lo is not None and (v < lo or (lo_strict and v == lo)):
                return False
            return not (hi is not None and (v > hi or (hi_strict and v == hi)))

        values = sorted(v for v in cands if inside(v))
        if spec.kind != "number":
            values = [int(v) for v in values]
    else:  # free text: the constants the rules name, and one value none of them names
        strs = sorted({c for c in constants if isinstance(c, str)})
        values = [*strs, "\u2063其他 other"]
    if tested_exists or _optional(question, name):
        values = [None, *values]
    return FieldDomain(name, spec.kind, values)


# ── conditions under a partial assignment ──

Residual = Union[Cond, bool]  # noqa: UP007 - a runtime alias


def restrict(cond: Residual, name: str, value: Any) -> Residual:
    """`cond` with field `name` fixed to `value`, simplified (True/False when nothing is left)."""
    if isinstance(cond, bool):
        return cond
    if isinstance(cond, Test):
        return test_holds(cond, value) if cond.field == name else cond
    is_all = isinstance(cond, AllOf)
    kept: list[Cond] = []
    for item in cond.items:
        r = restrict(item, name, value)
        if r is (not is_all):  # True in an any, False in an all decides it
            return r
        if not isinstance(r, bool):
            kept.append(r)
    if not kept:
        return is_all
    if len(kept) == 1:
        return kept[0]
    return AllOf(tuple(kept)) if is_all else AnyOf(tuple(kept))


def simplify(cond: Cond) -> Residual:
    if isinstance(cond, Test):
        return cond
    is_all = isinstance(cond, AllOf)
    if not cond.items:
        return is_all
    items = [simplify(c) for c in cond.items]
    if (not is_all) in items:
        return not is_all
    kept = [c for c in items if not isinstance(c, bool)]
    if not kept:
        return is_all
    if len(kept) == 1:
        return kept[0]
    return AllOf(tuple(kept)) if is_all else AnyOf(tuple(kept))


def _fields(conds: list[Residual]) -> set[str]:
    return {t.field for c in conds if not isinstance(c, bool) for t in tests_of(c)}


class _TooMany(Exception):
    pass


def regions(
    conds: list[Residual], domains: dict[str, FieldDomain], order: list[str], limit: int = MAX_REGIONS
) -> Iterator[tuple[dict[str, Any], list[bool]]]:
    """Every region of the case space where each condition is constant: (assignment, which hold)."""
    count = 0

    def walk(cs: list[Residual], assignment: dict[str, Any]) -> Iterator[tuple[dict[str, Any], list[bool]]]:
        nonlocal count
        live = _fields(cs)
        if not live:
            count += 1
            if count > limit:
                raise _TooMany
            yield assignment, [c is True for c in cs]
            return
        name = next(f for f in order if f in live)
        for v in domains[name].values:
            yield from walk([restrict(c, name, v) for c in cs], {**assignment, name: v})

    yield from walk(conds, {})


def find(
    conds: list[Residual],
    domains: dict[str, FieldDomain],
    order: list[str],
    want: Callable[[list[Residual]], bool | None],
    limit: int = MAX_REGIONS,
) -> dict[str, Any] | None:
    """A region where `want` holds: `want(conds)` is True (found), False (prune this branch) or None
    (undecided yet: split further). Raises _TooMany after `limit` nodes."""
    count = 0

    def walk(cs: list[Residual], assignment: dict[str, Any]) -> dict[str, Any] | None:
        nonlocal count
        count += 1
        if count > limit:
            raise _TooMany
        verdict = want(cs)
        if verdict is not None:
            return assignment if verdict else None
        live = _fields(cs)
        if not live:
            return None
        name = next(f for f in order if f in live)
        for v in domains[name].values:
            found = walk([restrict(c, name, v) for c in cs], {**assignment, name: v})
            if found is not None:
                return found
        return None

    return walk(conds, {})


def _restrict_all(cond: Residual, assignment: dict[str, Any]) -> Residual:
    for k, v in assignment.items():
        cond = restrict(cond, k, v)
    return cond


def _holds_somewhere(cs: list[Residual]) -> bool | None:
    return cs[0] if isinstance(cs[0], bool) else None


def _none_holds(cs: list[Residual]) -> bool | None:
    if any(c is True for c in cs):
        return False
    return True if all(c is False for c in cs) else None


# ── per-pack checks ──


@dataclass
class _PackSource:
    path: Path
    loc: Located | None
    raw: PackFile | None
    pack: LoadedPack | None
    rule_index: dict[str, int] = field(default_factory=dict)


def _when_path(raw_when: Any, name: str, base: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """The path of the first test of field `name` inside a raw `when` mapping."""
    if not isinstance(raw_when, dict):
        return None
    for key, value in raw_when.items():
        if key == name:
            return (*base, key)
        if key in ("all", "any") and isinstance(value, list):
            for i, sub in enumerate(value):
                found = _when_path(sub, name, (*base, key, i))
                if found is not None:
                    return found
    return None


class Linter:
    def __init__(self) -> None:
        self.findings: list[LintFinding] = []

    def add(
        self,
        loc: Located | None,
        file: str,
        path: tuple[str | int, ...],
        level: Level,
        check: str,
        message: str,
        counterexample: dict[str, Any] | None = None,
        at_key: bool = False,
    ) -> None:
        line, col = loc.where(path, at_key) if loc is not None else (1, 1)
        self.findings.append(LintFinding(file, line, col, level, check, message, counterexample))

    # reading

    def read_pack(self, path: Path) -> _PackSource:
        src = _PackSource(path, None, None, None)
        try:
            src.loc = read_yaml(read_bytes_limited(path), str(path))
        except (YamlError, OSError) as e:
            probs = e.problems if isinstance(e, YamlError) else [Problem(str(path), 1, 1, f"无法读取 cannot read: {e}")]
            self._load_problems(probs)
            return src
        try:
            src.raw = PackFile.model_validate(src.loc.data if src.loc.data is not None else {})
        except ValidationError:
            src.raw = None
        reported: set[tuple[int, int]] = set()
        if src.raw is not None:
            src.rule_index = {r.id: i for i, r in enumerate(src.raw.rules)}
            reported = self._missing_clauses(src)
        try:
            src.pack = load_pack(path)
        except PackError as e:
            self._load_problems([p for p in e.problems if (p.line, p.col) not in reported])
        return src

    def _load_problems(self, problems: list[Problem]) -> None:
        for p in problems:
            self.findings.append(LintFinding(p.file, p.line, p.col, "error", "load", p.message))

    def _missing_clauses(self, src: _PackSource) -> set[tuple[int, int]]:
        assert src.raw is not None and src.loc is not None
        ids = {c.id for c in src.raw.clauses}
        before = len(self.findings)
        for i, it in enumerate(src.raw.interpretations):
            for j, cid in enumerate(it.clauses):
                if cid not in ids:
                    self.add(
                        src.loc,
                        str(src.path),
                        ("interpretations", i, "clauses", j),
                        "error",
                        "missing_clause",
                        f"解释 {it.id} 所指条款 {cid!r} 不在本包 clauses 中 "
                        f"interpretation {it.id} names clause {cid!r}, which the pack does not list",
                    )
        for i, r in enumerate(src.raw.rules):
            for j, cid in enumerate(r.cites):
                if cid not in ids:
                    self.add(
                        src.loc,
                        str(src.path),
                        ("rules", i, "cites", j),
                        "error",
                        "missing_clause",
                        f"规则 {r.id} 引用的条款 {cid!r} 不在本包 clauses 中 rule {r.id} cites clause {cid!r}, "
                        "which the pack does not list",
                    )
        return {(f.line, f.col) for f in self.findings[before:]}

    # checks on a loaded pack

    def lint_pack(self, src: _PackSource) -> None:
        pack, loc = src.pack, src.loc
        if pack is None or loc is None:
            return
        self._citations(src)
        self._parameter_literals(src)
        self._engine_limit(src)
        for qname in pack.questions():
            q = QUESTIONS.get(qname) or pack.declared_questions.get(qname)
            if q is not None:
                self._question(src, q)

    def _engine_limit(self, src: _PackSource) -> None:
        """A rule whose `all` of `any`s can hold in more ways at once than the durable engine can stack: it would
        fail at its first decision (issue 16 item 4); said here, with its place, before anything is compiled."""
        assert src.pack is not None
        for cr in src.pack.rules:
            n = widest(cr.cond)
            if n > MAX_ACTIVATIONS:
                self.add(
                    src.loc,
                    str(src.path),
                    self._rule_path(src, cr, "when"),
                    "error",
                    "engine_limit",
                    f"规则 {cr.rule.id} 的条件最多可同时以 {n} 种方式成立，引擎上限 {MAX_ACTIVATIONS}：请拆成几条规则 "
                    f"rule {cr.rule.id} can hold in up to {n} ways at once; the durable engine takes at most "
                    f"{MAX_ACTIVATIONS} (split it into several rules, or decide with --engine reference)",
                )

    def _parameter_literals(self, src: _PackSource) -> None:
        """A number written in a rule that a parameter of the pack already holds: a second copy that a change
        of the parameter would miss (issue 17: Shiquan's 20 days once lived in two places)."""
        assert src.loc is not None
        for path, name, value in literal_duplicates(src.loc):
            self.add(
                src.loc,
                str(src.path),
                path,
                "warning",
                "duplicate_literal",
                f"{named_path(path)}: {value} 与参数 {name} 的值相同：若是同一规定，请写 "
                + " 或 ".join(
                    f"{{parameter.{n}}}（文中）" if isinstance(value, str) else f"{{parameter: {n}}}"
                    for n in name.split(" 或 ")
                )
                + f" the literal {value} equals parameter {name}; if it is the same provision, refer to the parameter",
            )

    def _rule_path(self, src: _PackSource, cr: CompiledRule, *sub: str | int) -> tuple[str | int, ...]:
        return ("rules", src.rule_index.get(cr.rule.id, 0), *sub)

    def _citations(self, src: _PackSource) -> None:
        pack, loc = src.pack, src.loc
        assert pack is not None and loc is not None
        cited: set[str] = set()
        used: set[str] = set()
        for cr in pack.rules:
            cited.update(cr.rule.cites)
            for iid in cr.rule.interpretations:
                used.add(iid)
                cited.update(pack.interpretations[iid].clauses)
        for i, c in enumerate(pack.clauses.values()):
            if c.id not in cited and c.not_encodable is None:
                self.add(
                    loc,
                    pack.file,
                    ("clauses", i, "id"),
                    "warning",
                    "uncited_clause",
                    f"条款 {c.id} 没有规则引用，也没有 not_encodable 标记 clause {c.id} is cited by no rule "
                    "and carries no not_encodable mark",
                )
        for i, it in enumerate(pack.interpretations.values()):
            if it.id not in used:
                self.add(
                    loc,
                    pack.file,
                    ("interpretations", i, "id"),
                    "warning",
                    "unused_interpretation",
                    f"解释 {it.id} 没有规则使用 interpretation {it.id} is relied on by no rule",
                )

    def _question(self, src: _PackSource, q: Question) -> None:
        pack, loc = src.pack, src.loc
        assert pack is not None and loc is not None
        regular = pack.by_question.get(q.name, [])
        otherwise = pack.otherwise.get(q.name, [])
        conds: list[Residual] = [simplify(cr.cond) for cr in regular]
        tested = [t for cr in regular for t in tests_of(cr.cond)]
        domains: dict[str, FieldDomain] = {}
        # an open-vocabulary field (role) ranges over the shipped ids and those this pack declares
        specs = with_declared(q.specs, {k: list(v) for k, v in pack.vocabulary.items()})
        for name, spec in specs.items():
            consts: list[Any] = []
            for t in tested:
                if t.field == name and t.op != "exists":
                    consts.extend(t.value if isinstance(t.value, tuple) else [t.value])
            exists = any(t.field == name and t.op == "exists" for t in tested)
            domains[name] = domain_of(q, name, spec, consts, exists)
        # Enumerations and booleans first: numeric fields last, so that gaps are seen along a number line.
        numeric = [n for n, d in domains.items() if d.kind in ("int", "number", "date")]
        order = [n for n in domains if n not in numeric] + numeric
        # Overlaps and undecided cases are defects only where one rule decides (the default first_match);
        # other questions combine several matching rules on purpose.
        unique = q.hit_policy == "unique" and q.combine is first_match
        try:
            reached = [find([c], domains, order, _holds_somewhere) is not None for c in conds]
            if unique:
                self._first_match(src, q, regular, otherwise, conds, domains, order)
            elif otherwise and find(list(conds), domains, order, _none_holds) is None:
                self._otherwise_unreachable(src, q, otherwise)
            for name in numeric:
                self._gaps(src, q, regular, conds, domains, order, name)
        except _TooMany:
            self.add(
                loc,
                pack.file,
                ("rules",),
                "warning",
                "incomplete",
                f"问题 {q.name} 的组合超过 {MAX_REGIONS} 个，检查未完成 more than {MAX_REGIONS} regions: "
                "checks of this question stopped early",
            )
            return
        for i, cr in enumerate(regular):
            if not reached[i]:
                self.add(
                    loc,
                    pack.file,
                    self._rule_path(src, cr, "when"),
                    "error",
                    "unreachable",
                    f"规则 {cr.rule.id} 的条件在任何事实下都不成立 rule {cr.rule.id} can never match: its "
                    "conditions contradict each other or the bounds of the facts",
                )

    def _otherwise_unreachable(self, src: _PackSource, q: Question, otherwise: list[CompiledRule]) -> None:
        assert src.pack is not None
        for cr in otherwise:
            self.add(
                src.loc,
                src.pack.file,
                self._rule_path(src, cr),
                "warning",
                "unreachable",
                f"otherwise 规则 {cr.rule.id} 永远不会适用：每种情况都已有规则决定 otherwise rule "
                f"{cr.rule.id} never applies: every case of {q.name} is decided by another rule",
            )

    def _first_match(
        self,
        src: _PackSource,
        q: Question,
        regular: list[CompiledRule],
        otherwise: list[CompiledRule],
        conds: list[Residual],
        domains: dict[str, FieldDomain],
        order: list[str],
    ) -> None:
        pack, loc = src.pack, src.loc
        assert pack is not None and loc is not None
        otherwise_reached = False
        overlaps: set[tuple[int, int]] = set()
        undecided_reported = False
        for assignment, holds in regions(conds, domains, order):
            fired = [i for i, h in enumerate(holds) if h]
            if not fired:
                otherwise_reached = True
                if not otherwise and not undecided_reported:
                    undecided_reported = True
                    first = regular[0] if regular else None
                    self.add(
                        loc,
                        pack.file,
                        self._rule_path(src, first) if first else ("rules",),
                        "error",
                        "undecided",
                        f"问题 {q.name} 在这些事实下没有规则适用，且本包没有记录 not_covered 的 otherwise 规则 "
                        f"no rule of {q.name} decides this case and the pack records no `otherwise` not_covered",
                        self._example(assignment, domains),
                    )
            if len(fired) > 1:
                self._overlaps(src, q, regular, fired, assignment, domains, overlaps)
        if otherwise and not otherwise_reached:
            self._otherwise_unreachable(src, q, otherwise)

    def _overlaps(
        self,
        src: _PackSource,
        q: Question,
        regular: list[CompiledRule],
        fired: list[int],
        assignment: dict[str, Any],
        domains: dict[str, FieldDomain],
        seen: set[tuple[int, int]],
    ) -> None:
        pack, loc = src.pack, src.loc
        assert pack is not None and loc is not None
        for a_i, a in enumerate(fired):
            for b in fired[a_i + 1 :]:
                if (a, b) in seen:
                    continue
                ra, rb = regular[a], regular[b]
                if ra.effect_json == rb.effect_json:
                    continue
                seen.add((a, b))
                self.add(
                    loc,
                    pack.file,
                    self._rule_path(src, rb, "when"),
                    "error",
                    "overlap",
                    f"规则 {ra.rule.id}（第 {ra.line} 行）与 {rb.rule.id} 对同一事实给出不同结论 rules "
                    f"{ra.rule.id} (line {ra.line}) and {rb.rule.id} give different `then` for the same case",
                    self._example(assignment, domains),
                )

    def _gaps(
        self,
        src: _PackSource,
        q: Question,
        regular: list[CompiledRule],
        conds: list[Residual],
        domains: dict[str, FieldDomain],
        order: list[str],
        name: str,
    ) -> None:
        pack, loc = src.pack, src.loc
        assert pack is not None and loc is not None
        # Only the rules that test `name` can open or close a gap along it: split on the other fields
        # they test, then walk `name`'s values in order. A gap found there is real when the remaining
        # rules (which do not test `name`) can all be false in that slice.
        testing = [i for i, c in enumerate(conds) if not isinstance(c, bool) and name in _fields([c])]
        if not testing:
            return
        rest = [c for i, c in enumerate(conds) if i not in testing]
        others = [f for f in order if f != name]
        line_values = [v for v in domains[name].values if v is not None]
        reported = False
        count = 0

        def walk(cs: list[Residual], assignment: dict[str, Any]) -> None:
            nonlocal reported, count
            count += 1
            if count > MAX_REGIONS:
                raise _TooMany
            if reported or all(isinstance(c, bool) for c in cs):
                return
            live = _fields(cs) - {name}
            if live:
                f = next(x for x in others if x in live)
                for v in domains[f].values:
                    walk([restrict(c, f, v) for c in cs], {**assignment, f: v})
                return
            deciders = [[testing[i] for i, c in enumerate(cs) if restrict(c, name, v) is True] for v in line_values]
            decided = [bool(d) for d in deciders]
            if True not in decided:
                return
            first, last = decided.index(True), len(decided) - 1 - decided[::-1].index(True)
            for k in range(first + 1, last):
                if decided[k]:
                    continue
                others_false = find([_restrict_all(c, assignment) for c in rest], domains, order, _none_holds)
                if others_false is None:
                    return  # a rule that does not test `name` decides this whole slice
                below = next(deciders[j] for j in range(k - 1, -1, -1) if decided[j])
                above = next(deciders[j] for j in range(k + 1, last + 1) if decided[j])
                ra, rb = regular[below[0]], regular[above[0]]
                raw = src.raw.rules[src.rule_index[rb.rule.id]].when if src.raw else None
                path = _when_path(raw, name, self._rule_path(src, rb, "when")) or self._rule_path(src, rb, "when")
                value = line_values[k]
                self.add(
                    loc,
                    pack.file,
                    path,
                    "error",
                    "gap",
                    f"{name}={_show(value)} 没有规则决定（介于规则 {ra.rule.id} 与 {rb.rule.id} 之间） "
                    f"no rule of {q.name} decides {name}={_show(value)}, between rules {ra.rule.id} and {rb.rule.id}",
                    self._example({**assignment, **others_false, name: value}, domains),
                )
                reported = True
                return

        walk([conds[i] for i in testing], {})

    @staticmethod
    def _example(assignment: dict[str, Any], domains: dict[str, FieldDomain]) -> dict[str, Any]:
        return {k: assignment[k] for k in domains if k in assignment}

    # jurisdictions

    def lint_jurisdiction(
        self, path: Path, packs: dict[str, LoadedPack], broken: frozenset[str] | set[str] = frozenset()
    ) -> None:
        try:
            jf, loc = load_jurisdiction(path)
        except PackError as e:
            self._load_problems(e.problems)
            return
        if any(ref.pack in broken for ref in jf.packs):
            return  # a pack it names did not load (already reported): what it answers is unknown
        self._load_problems(check_authorities(loc, jf, packs))
        for i, ref in enumerate(jf.packs):
            if ref.pack not in packs:
                self.add(
                    loc,
                    str(path),
                    ("packs", i, "pack"),
                    "error",
                    "load",
                    f"未知的规则包 unknown pack {ref.pack!r}; 已知 known: {', '.join(sorted(packs))}",
                )
        refs = [(i, r) for i, r in enumerate(jf.packs) if r.pack in packs]
        for qname in QUESTIONS:
            answering = [(i, r) for i, r in refs if qname in packs[r.pack].questions()]
            if not answering:
                self.add(
                    loc,
                    str(path),
                    ("packs",),
                    "warning",
                    "unanswered",
                    f"辖区 {jf.id} 的规则包都不回答问题 {qname} no pack of {jf.id} answers {qname} "
                    "(decide raises UnknownQuestion)",
                    at_key=True,
                )
                continue
            day = _uncovered_day(packs, [r for _, r in refs], [r for _, r in answering])
            if day is not None:
                self.add(
                    loc,
                    str(path),
                    ("packs",),
                    "error",
                    "undecided",
                    f"{day} 辖区 {jf.id} 有规则包生效，但没有一个回答问题 {qname}，也没有记录 not_covered "
                    f"on {day} packs of {jf.id} are in force but none answers {qname} or records not_covered",
                    {"on": day.isoformat()},
                    at_key=True,
                )


def _window(ref: Any, packs: dict[str, LoadedPack]) -> tuple[dt.date, dt.date | None]:
    meta = packs[ref.pack].meta
    start = max(d for d in (meta.effective_from, ref.from_) if d is not None)
    ends = [d for d in (meta.effective_to, ref.until) if d is not None]
    return start, (min(ends) if ends else None)


def _uncovered_day(packs: dict[str, LoadedPack], refs: list[Any], answering: list[Any]) -> dt.date | None:
    """The first day on which some pack of the jurisdiction is in force but none answering the question is."""
    windows = [_window(r, packs) for r in refs]
    answer_windows = [_window(r, packs) for r in answering]
    points = sorted(
        {s for s, _ in windows}
        | {e + dt.timedelta(days=1) for _, e in windows if e is not None}
        | {e + dt.timedelta(days=1) for _, e in answer_windows if e is not None}
    )

    def live(ws: list[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
        return any(s <= day and (e is None or day <= e) for s, e in ws)

    for day in points:
        if live(windows, day) and not live(answer_windows, day):
            return day
    return None


def _show(v: Any) -> str:
    return "缺失 absent" if v is None else json.dumps(v, ensure_ascii=False)


@dataclass
class LintReport:
    findings: list[LintFinding]

    def errors(self, strict: bool = False) -> list[LintFinding]:
        return [f for f in self.findings if f.level == "error" or strict]


def lint_tree(roots: list[Path], report_under: list[Path] | None = None) -> LintReport:
    """Lint rules/*.yaml and jurisdictions/*.yaml under each root (a later root's pack replaces an
    earlier one of the same id). Only files under `report_under` (default: all roots) are reported."""
    linter = Linter()
    sources: dict[str, _PackSource] = {}
    jur_paths: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            linter.findings.append(LintFinding(str(root), 1, 1, "error", "load", "目录不存在 not a directory"))
            continue
        for p in sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []:
            if p.stem in sources:
                _replaces(linter, p, sources[p.stem].path)
            sources[p.stem] = linter.read_pack(p)
        for p in sorted((root / "jurisdictions").glob("*.yaml")) if (root / "jurisdictions").is_dir() else []:
            if p.stem in jur_paths:
                _replaces(linter, p, jur_paths[p.stem])
            jur_paths[p.stem] = p
    for src in sources.values():
        linter.lint_pack(src)
    packs = {src.pack.id: src.pack for src in sources.values() if src.pack is not None}
    broken = {stem for stem, src in sources.items() if src.pack is None}
    for p in jur_paths.values():
        linter.lint_jurisdiction(p, packs, broken)
    _check_parents(linter, jur_paths)
    findings = linter.findings
    if report_under:
        bases = [b.resolve() for b in report_under]
        # A file is where it is listed, not where its link points: rules/x.yaml -> /dev/zero is reported.
        findings = [f for f in findings if any(_under(_listed(f.file), b) for b in bases)]
    findings.sort(key=lambda f: (f.file, f.line, f.col, f.check))
    return LintReport(findings)


def lint_pack_file(path: Path) -> LintReport:
    linter = Linter()
    src = linter.read_pack(path)
    linter.lint_pack(src)
    linter.findings.sort(key=lambda f: (f.file, f.line, f.col, f.check))
    return LintReport(linter.findings)


def _listed(file: str) -> Path:
    p = Path(file)
    return p.parent.resolve() / p.name


def _replaces(linter: Linter, path: Path, earlier: Path) -> None:
    """Issue 16 item 8: a user's jurisdictions/tongwei.yaml silently replaced the shipped tongwei."""
    linter.findings.append(
        LintFinding(str(path), 1, 1, "warning", "load", f"替换了同名文件 replaces {earlier} (same name)")
    )


def _check_parents(linter: Linter, jur_paths: dict[str, Path]) -> None:
    """A jurisdiction's `parent` names a jurisdiction of the tree (issue 16 item 8: `parent: nowhere`)."""
    loaded = {}
    for p in jur_paths.values():
        try:
            jf, loc = load_jurisdiction(p)
        except PackError:
            continue  # reported by lint_jurisdiction
        loaded[jf.id] = (p, jf, loc)
    for p, jf, loc in loaded.values():
        if jf.parent is not None and jf.parent not in loaded:
            text = f"未知的上级辖区 {jf.parent!r} unknown parent; 已知 known: {', '.join(sorted(loaded))}"
            linter.add(loc, str(p), ("parent",), "error", "load", text)


def _under(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


__all__ = ["LintFinding", "LintReport", "Linter", "lint_pack_file", "lint_tree", "regions", "restrict"]

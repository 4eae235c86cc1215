"""A loaded pack: its clauses, interpretations, compiled rules and matchers (what a question decides with).

Kept apart from the loader, which needs the questions to type-check rules: the questions need this module's
types, so this module imports no question (no import circle).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from ..conditions import Cond
from ..decision import Citation
from ..engine import Matcher, compile_matcher
from ..engine.reference import ReferenceMatcher
from .parameters import Parameter
from .schema import Clause, Interpretation, PackMeta, Requirement, Rule

__all__ = ["CompiledRequirement", "CompiledRule", "LoadedPack"]


@dataclass
class CompiledRule:
    rule: Rule
    cond: Cond
    effect: BaseModel
    line: int = 0

    @cached_property
    def effect_json(self) -> str:
        """The effect as canonical JSON: rules that match together must agree on it."""
        return self.effect.model_dump_json()


@dataclass
class CompiledRequirement:
    req: Requirement
    cond: Cond

    @cached_property
    def matcher(self) -> ReferenceMatcher:
        return ReferenceMatcher([self.cond])


@dataclass
class LoadedPack:
    meta: PackMeta
    file: str
    clauses: dict[str, Clause]
    interpretations: dict[str, Interpretation]
    rules: list[CompiledRule]
    by_question: dict[str, list[CompiledRule]] = field(default_factory=dict)
    requires: list[CompiledRequirement] = field(default_factory=list)
    otherwise: dict[str, list[CompiledRule]] = field(default_factory=dict)
    _matchers: dict[tuple[str, str], Matcher] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _citations: dict[tuple, tuple[Citation, ...]] = field(default_factory=dict, repr=False)
    _renamed: dict[str, str] = field(default_factory=dict, repr=False)  # former rule id -> today's
    parameters: dict[str, Parameter] = field(default_factory=dict)  # each number written once (issue 17)
    # ids the pack declares, {kind: {id: {zh, en, …}}}: visible to its rules and its jurisdictions' facts
    vocabulary: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # questions the pack declares in YAML (its `questions:`), built into Question objects, and their specs
    declared_questions: dict[str, Any] = field(default_factory=dict)
    question_specs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._renamed = {old: cr.rule.id for cr in self.rules for old in cr.rule.was}
        for cr in self.rules:
            target = self.otherwise if cr.rule.otherwise else self.by_question
            target.setdefault(cr.rule.question, []).append(cr)
            self.by_question.setdefault(cr.rule.question, [])

    @property
    def id(self) -> str:
        return self.meta.id

    def rule_id(self, name: str) -> str | None:
        """The rule's id today, given it or one of its former ids (`was:`); None when no rule has it."""
        if any(cr.rule.id == name for cr in self.rules):
            return name
        return self._renamed.get(name)

    def questions(self) -> list[str]:
        return sorted(set(self.by_question) | set(self.otherwise))

    def in_force(self, on: dt.date) -> bool:
        return self.meta.effective_from <= on and (self.meta.effective_to is None or on <= self.meta.effective_to)

    def matcher(self, question: str, engine: str) -> Matcher:
        key = (question, engine)
        m = self._matchers.get(key)
        if m is None:
            with self._lock:
                m = self._matchers.get(key)
                if m is None:
                    conds = [cr.cond for cr in self.by_question.get(question, [])]
                    m = compile_matcher(engine, f"{self.meta.id}_{question}", conds)
                    self._matchers[key] = m
        return m

    def match(self, question: str, case: dict[str, Any], engine: str) -> list[CompiledRule]:
        rules = self.by_question.get(question, [])
        hits = [rules[i] for i in self.matcher(question, engine).match(case)]
        return hits or list(self.otherwise.get(question, []))

    def missing(self, question: str, case: dict[str, Any]) -> list[tuple[str, str]]:
        """The facts this pack's `requires` asks for that `case` lacks, as (field, message) problems."""
        out = []
        for cr in self.requires:
            if cr.req.question != question:
                continue
            lacking = [f for f in cr.req.facts if f not in case]
            if lacking and cr.matcher.match(case):
                clauses = "、".join(cr.req.cites)
                out += [
                    (f, f"缺少 missing: {self.meta.id} 第{clauses}条需要此事实 the pack needs it (clause {clauses})")
                    for f in lacking
                ]
        return out

    def cite(self, rule: Rule) -> list[Citation]:
        # Citations are frozen and a loaded pack never changes, so each list is built once. The key is what
        # is cited, not the rule id: callers may cite a copy of a rule with fewer clauses (one item of its `then`).
        key = (tuple(rule.cites), tuple(rule.interpretations))
        cached = self._citations.get(key)
        if cached is None:
            cached = self._citations[key] = tuple(self._cite(rule))
        return list(cached)

    def _cite(self, rule: Rule) -> list[Citation]:
        out = []
        for cid in rule.cites:
            c = self.clauses[cid]
            out.append(Citation(pack=self.meta.id, clause=cid, text_zh=c.text_zh, summary_en=c.summary_en))
        for iid in rule.interpretations:
            it = self.interpretations[iid]
            for cid in it.clauses:
                c = self.clauses[cid]
                out.append(
                    Citation(
                        pack=self.meta.id,
                        clause=cid,
                        text_zh=c.text_zh,
                        summary_en=c.summary_en,
                        interpretation=iid,
                        reading_en=it.reading_en,
                        reading_zh=it.reading_zh,
                    )
                )
        return out

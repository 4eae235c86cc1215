"""What a question is: its facts, the flat case its rules see, what a rule may set, and how matches combine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError

from ..conditions import FieldSpec, field_specs
from ..decision import Citation, Decision
from ..errors import EngineError, FactError

if TYPE_CHECKING:
    from ..packs.pack import CompiledRule, LoadedPack


@dataclass
class Match:
    """The rules of one pack that matched one case, plus what the question needs to shape a decision."""

    pack: LoadedPack
    rules: list[CompiledRule]
    facts: BaseModel
    case: dict[str, Any]
    on: dt.date
    jurisdiction: str
    question: Question
    # Decide another question for the same jurisdiction, date and engine (e.g. appraisal asks escalation).
    subdecide: Callable[[str, Any], Decision] | None = None

    def citations(self, rules: list[CompiledRule] | None = None) -> list[Citation]:
        out: list[Citation] = []
        seen: set[Citation] = set()
        for r in self.rules if rules is None else rules:
            for c in self.pack.cite(r.rule):
                if c not in seen:
                    seen.add(c)
                    out.append(c)
        return out

    def base(self, outcome: str, rules: list[CompiledRule] | None = None, **fields: Any) -> Decision:
        chosen = self.rules if rules is None else rules
        # A rule's note_en reaches the decision (once: some questions already put it in their own notes).
        said = [r.rule.note_en for r in chosen if r.rule.note_en]
        if said:
            notes = list(fields.get("notes") or [])
            notes += [n for n in dict.fromkeys(said) if not any(n in x for x in notes)]
            fields["notes"] = notes
        return self.question.decision_model(
            jurisdiction=self.jurisdiction,
            question=self.question.name,
            outcome=outcome,
            on=self.on,
            citations=self.citations(chosen),
            trace=[r.rule.id for r in chosen],
            packs=[self.pack.meta.id],
            **fields,
        )


def first_match(m: Match) -> Decision:
    """Hit policy `unique`: one rule decides; rules that match together must agree."""
    if not m.rules:
        return m.base(
            "not_covered",
            notes=[f"{m.pack.meta.id}: 没有规则适用于这些事实 no rule of this pack decides these facts"],
        )
    if len(m.rules) > 1 and len({r.effect_json for r in m.rules}) > 1:
        ids = ", ".join(r.rule.id for r in m.rules)
        raise EngineError(f"{m.pack.meta.id}: rules {ids} match the same facts with different outcomes")
    return m.base(**m.rules[0].effect.model_dump())


@dataclass
class Question:
    name: str
    title_zh: str
    facts_model: type[BaseModel]
    case_model: type[BaseModel]
    effect_model: type[BaseModel]
    hit_policy: Literal["unique", "collect"] = "unique"
    decision_model: type[Decision] = Decision
    # Facts -> the flat case the rules see (derived values such as ages are computed here).
    to_case: Callable[[Any, dt.date], dict[str, Any]] | None = None
    combine: Callable[[Match], Decision] = first_match
    outcome_labels: dict[str, str] = field(default_factory=dict)
    # Conduct judged by the document in force when it happened (不溯及既往), for questions about dated conduct:
    # the dates of the conduct in the facts, and the facts keeping only the conduct whose date passes a test.
    conduct_dates: Callable[[Any], list[dt.date]] | None = None
    restrict: Callable[[Any, Callable[[dt.date], bool]], Any] | None = None
    # Fallback per part of the facts (a kind of conduct, a requirement): the part the deciding packs left
    # unaddressed (None: nothing), and how a later pack's decision on it joins the decision (residual=True), or
    # how a decision on earlier conduct does (residual=False). Both get the packs that have decided so far.
    # Without them fallback is per question.
    residual: Callable[[Decision, Any, list[Any]], Any] | None = None
    absorb: Callable[[Decision, Decision, bool, list[Any]], None] | None = None
    # A question a pack declares in YAML keeps its declaration (questions/declared.QuestionSpec) here.
    declared_spec: Any = None
    specs: dict[str, FieldSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.specs = field_specs(self.case_model)

    def validate(self, facts: Any, on: dt.date) -> BaseModel:
        if isinstance(facts, self.facts_model):
            return facts
        if not isinstance(facts, dict):
            raise FactError([("", f"事实必须是映射 facts must be a mapping, not {type(facts).__name__}")])
        try:
            return self.facts_model.model_validate(facts, context={"on": on})
        except ValidationError as e:
            raise FactError(fact_problems(e, self.facts_model)) from None

    def case(self, facts: BaseModel, on: dt.date) -> dict[str, Any]:
        if self.to_case is not None:
            return self.to_case(facts, on)
        return {k: getattr(facts, k) for k in self.specs if hasattr(facts, k)}


def fact_problems(e: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[str, str]]:
    """pydantic's errors as (field, Chinese-first message) pairs; unknown fields get "did you mean"."""
    from ..packs.messages import translate

    out = []
    for err in e.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "missing":
            out.append((loc, "缺少 missing"))
        elif err["type"] == "extra_forbidden":
            out.append((loc, translate(err, model).replace("未知的键 unknown key", "未知字段 unknown field", 1)))
        else:
            out.append((loc, translate(err, model)))
    return out

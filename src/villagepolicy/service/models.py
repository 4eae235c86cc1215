"""What the service takes and gives, as pydantic models: they name the schemas of the OpenAPI document.

Facts stay a JSON object here: each question validates its own facts (with the decision date as
context), so a bad fact gets the library's own problem list, and GET /v1/questions/{question}/facts-schema
gives the JSON Schema of each question's facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..decision import Decision
from ..engine import ENGINES

Engine = Literal[ENGINES]  # the engines the library has, named once in villagepolicy.engine


class _Request(BaseModel):
    # Unknown keys are refused: a misspelt "date" for "on" must not silently mean today.
    model_config = ConfigDict(extra="forbid")


class DecideRequest(_Request):
    """One case: the facts of the question, the decision date and the engine."""

    facts: dict[str, Any] = Field(description="the question's facts; schema at /v1/questions/{question}/facts-schema")
    on: dt.date | None = Field(default=None, description="decision date YYYY-MM-DD (default: the server's today)")
    engine: Engine = "durable"


class DecideManyRequest(_Request):
    """Many cases of one question, decided as vp.decide_many decides them (same answers, in order)."""

    cases: list[dict[str, Any]] = Field(description="a list of facts mappings, one per case")
    on: dt.date | None = Field(default=None, description="decision date YYYY-MM-DD for every case (default: today)")
    engine: Engine = "durable"


class DecideManyResponse(BaseModel):
    decisions: list[Decision]


class ExplainedRule(BaseModel):
    id: str
    fired: bool
    otherwise: bool
    when: Any = None
    then: dict[str, Any]
    cites: list[dict[str, Any]]
    interpretations: list[str]


class ExplainedPack(BaseModel):
    pack: str
    title_zh: str
    status: Literal["decided", "not_covered", "not_in_force", "not_consulted"]
    rules: list[ExplainedRule]


class ExplainResponse(BaseModel):
    """Every rule of the question pack by pack: which fired, what it sets, the clauses it cites; then the decision."""

    jurisdiction: str
    question: str
    on: dt.date
    case: dict[str, Any] = Field(description="the derived case the rules see")
    packs: list[ExplainedPack]
    decision: Decision


class PackRefInfo(BaseModel):
    pack: str
    role: str
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None


class JurisdictionInfo(BaseModel):
    id: str
    name_zh: str
    level: str
    packs: list[PackRefInfo] = Field(description="packs in precedence order")
    questions: list[str]


class JurisdictionList(BaseModel):
    jurisdictions: list[JurisdictionInfo]


class PackInfo(BaseModel):
    id: str
    title_zh: str
    questions: list[str]
    clauses: int
    rules: int


class PackList(BaseModel):
    packs: list[PackInfo]


class QuestionInfo(BaseModel):
    name: str
    title_zh: str
    facts_schema: str = Field(description="path of the JSON Schema of the question's facts")


class QuestionList(BaseModel):
    questions: list[QuestionInfo]


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class ProblemItem(BaseModel):
    """One fault, as FactError states it: the field (dotted path; [row] in batches) and the message."""

    field: str
    message: str = Field(description="the library's message as it is (Chinese first, then English)")
    message_zh: str
    message_en: str


class ErrorBody(BaseModel):
    """Every error answer: a stable code, a message in Chinese and English, and the faults when there are any."""

    error: str = Field(description="unauthorized, not_found, unknown_jurisdiction, unknown_question, bad_facts, "
                       "bad_roster, too_large, timeout, internal_error, …")  # fmt: skip
    message_zh: str
    message_en: str
    problems: list[ProblemItem] = Field(default_factory=list)
    known: list[str] | None = Field(default=None, description="the known ids, on unknown_jurisdiction/question")
    error_id: str | None = Field(default=None, description="internal_error only: the id under which it was logged")


class JobAccepted(BaseModel):
    job: str
    status: Literal["queued", "running", "done", "failed"]
    status_url: str
    result_url: str


class JobStatus(BaseModel):
    job: str
    status: Literal["queued", "running", "done", "failed"]
    created: dt.datetime
    finished: dt.datetime | None = None
    error: ErrorBody | None = None
    result_url: str


class CheckReportBody(BaseModel):
    """The JSON report of `villagepolicy check --format json` (docs/rosters.md, format_version 2)."""

    model_config = ConfigDict(extra="allow")

    format_version: int
    roster: str
    as_of: dt.date
    period_from: dt.date
    people: int
    villages: int
    jurisdictions: list[str]
    counts: dict[str, int]
    fail_on: str
    exit_code: int
    clauses: dict[str, dict[str, Any]] = Field(description="each cited clause once, keyed 'pack clause'")
    interpretations: dict[str, dict[str, Any]] = Field(description="each cited interpretation once")
    findings: list[dict[str, Any]] = Field(description="each distinct finding once; results refer by position")
    decided: list[dict[str, Any]] = Field(description="each distinct decision detail once")
    subjects: list[dict[str, Any]] = Field(description="per person, village or county: its results")

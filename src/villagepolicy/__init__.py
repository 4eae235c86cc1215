"""villagepolicy: Chinese village work-team and first-secretary policies as cited, machine-applicable rules.

import villagepolicy as vp
d = vp.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 7})
d.outcome, d.approvers, d.citations
"""

from __future__ import annotations

from typing import Any

from .calendar import CalendarError, CalendarMissing
from .decision import CalendarYear, Citation, Decision, Finding
from .errors import (
    BadArgument,
    EngineError,
    FactError,
    FutureDateWarning,
    PackError,
    Problem,
    UnknownJurisdiction,
    UnknownQuestion,
    VillagePolicyError,
    WorkerError,
)
from .library import Jurisdiction, Library, default_library, load
from .questions import QUESTIONS
from .vocabulary import ACTIONS, AUTHORITIES, ROLES

__version__ = "0.1.0"


def jurisdiction(jurisdiction_id: str) -> Jurisdiction:
    """A shipped jurisdiction; unknown ids raise UnknownJurisdiction listing the known ones."""
    return default_library().jurisdiction(jurisdiction_id)


def jurisdictions() -> list[str]:
    return default_library().jurisdictions()


def decide(jurisdiction_id: str, question: str, facts: Any, on: Any = None, *, engine: str = "durable") -> Decision:
    """Decide `question` for `facts` under the packs of `jurisdiction_id` in force on `on` (today if omitted)."""
    return default_library().decide(jurisdiction_id, question, facts, on, engine=engine)


def decide_many(
    jurisdiction_id: str, question: str, cases: Any, on: Any = None, *, engine: str = "durable"
) -> list[Decision]:
    """Decide `question` for many cases (a list of fact mappings, or a mapping of columns), in order."""
    return default_library().decide_many(jurisdiction_id, question, cases, on, engine=engine)


__all__ = [
    "ACTIONS",
    "AUTHORITIES",
    "QUESTIONS",
    "ROLES",
    "BadArgument",
    "CalendarError",
    "CalendarMissing",
    "CalendarYear",
    "Citation",
    "Decision",
    "EngineError",
    "FactError",
    "Finding",
    "FutureDateWarning",
    "Jurisdiction",
    "Library",
    "PackError",
    "Problem",
    "UnknownJurisdiction",
    "UnknownQuestion",
    "VillagePolicyError",
    "WorkerError",
    "decide",
    "default_library",
    "jurisdiction",
    "jurisdictions",
    "load",
    "decide_many",
]

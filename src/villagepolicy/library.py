"""A loaded set of packs and jurisdictions, and the decide() entry point."""

from __future__ import annotations

import datetime as dt
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from .decision import Decision
from .errors import FactError, UnknownJurisdiction, UnknownQuestion
from .packs.loader import LoadedPack, load_tree
from .packs.schema import JurisdictionFile, PackRef
from .questions import QUESTIONS, Match


def shipped_root() -> Path:
    """Where the shipped rules/ and jurisdictions/ are: inside the wheel, or the source checkout."""
    data = resources.files("villagepolicy") / "_data"
    if data.is_dir():
        return Path(str(data))
    return Path(__file__).resolve().parents[2]


def as_date(on: Any) -> dt.date:
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    if isinstance(on, str):
        try:
            return dt.date.fromisoformat(on)
        except ValueError:
            pass
    raise FactError([("on", f"不是日期 not a date (YYYY-MM-DD): {on!r}")])


class Jurisdiction:
    def __init__(self, library: Library, spec: JurisdictionFile) -> None:
        self.library = library
        self.spec = spec
        self.id = spec.id
        self.name_zh = spec.name_zh

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.id} {self.name_zh}>"

    def packs(self) -> list[LoadedPack]:
        return [self.library.packs[ref.pack] for ref in self.spec.packs]

    def questions(self) -> list[str]:
        return sorted({q for p in self.packs() for q in p.questions()})

    def authority_name(self, authority: str) -> str:
        from .vocabulary import AUTHORITIES

        return self.spec.authorities.get(authority, AUTHORITIES.get(authority, authority))

    def _in_force(self, ref: PackRef, on: dt.date) -> bool:
        if ref.from_ is not None and on < ref.from_:
            return False
        if ref.until is not None and on > ref.until:
            return False
        return self.library.packs[ref.pack].in_force(on)

    def decide(self, question: str, facts: Any, on: Any = None, *, engine: str = "durable") -> Decision:
        q = QUESTIONS.get(question)
        known = self.questions()
        if q is None or question not in known:
            raise UnknownQuestion(question, known, self.id)
        day = as_date(on)
        parsed = q.validate(facts, day)
        case = q.case(parsed, day)
        consulted: list[Decision] = []

        def subdecide(other: str, other_facts: Any) -> Decision:
            return self.decide(other, other_facts, day, engine=engine)

        for ref in self.spec.packs:
            pack = self.library.packs[ref.pack]
            if question not in pack.questions() or not self._in_force(ref, day):
                continue
            rules = pack.match(question, case, engine)
            d = q.combine(Match(pack, rules, parsed, case, day, self.id, q, subdecide))
            if d.outcome != "not_covered":
                if consulted:
                    d.packs = [p for c in consulted for p in c.packs] + d.packs
                return d
            consulted.append(d)
        if not consulted:
            return q.decision_model(
                jurisdiction=self.id,
                question=question,
                outcome="not_covered",
                on=day,
                notes=[f"{day} 没有有效的规则包 no pack of {self.id} is in force on {day}"],
            )
        first = consulted[0]
        for other in consulted[1:]:
            first.citations += [c for c in other.citations if c not in first.citations]
            first.trace += other.trace
            first.packs += other.packs
            first.notes += other.notes
        return first


class Library:
    """Packs and jurisdictions loaded from one or more folders holding rules/ and jurisdictions/."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.packs, self._jurisdictions = load_tree(roots)
        self._cache: dict[str, Jurisdiction] = {}

    def jurisdictions(self) -> list[str]:
        return sorted(self._jurisdictions)

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        j = self._cache.get(jurisdiction_id)
        if j is None:
            spec = self._jurisdictions.get(jurisdiction_id)
            if spec is None:
                raise UnknownJurisdiction(jurisdiction_id, self.jurisdictions())
            j = self._cache[jurisdiction_id] = Jurisdiction(self, spec)
        return j

    def decide(
        self, jurisdiction: str, question: str, facts: Any, on: Any = None, *, engine: str = "durable"
    ) -> Decision:
        return self.jurisdiction(jurisdiction).decide(question, facts, on, engine=engine)


_default: Library | None = None
_default_lock = threading.Lock()


def default_library() -> Library:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Library([shipped_root()])
    return _default


def load(path: str | Path | None = None, *, include_shipped: bool = True) -> Library:
    """Load a folder holding rules/ and jurisdictions/; its packs extend or replace the shipped ones."""
    roots = [shipped_root()] if include_shipped else []
    if path is not None:
        roots.append(Path(path))
    return Library(roots)

"""The JSON roster report, format version 2: each clause, finding and decided detail stated once.

A 20,000-person check repeated the same clause text, the same manual-check finding and the same
per-month decision detail hundreds of thousands of times (339 MB). Version 2 keeps the same
information in tables, referred to by key or position (docs/rosters.md, "The JSON report"):

    clauses          {"pack clause": {pack, clause, text_zh, summary_en}}
    interpretations  {"pack interpretation": {pack, interpretation, reading_en, …}}
    findings         [{severity, message_zh, message_en, rule, citations: [{clause, interpretation?}]}]
    decided          [{…what a decision said beyond its outcome…}]
    subjects         [{jurisdiction, village, subject, name, results: [{question, period?, outcome,
                       rules, decided?: index, findings?: [index]}]}]

`expand()` turns a version 2 report back into version 1's flat `results` (one mapping per result,
citations written out), for readers written against version 1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from ..decision import Citation
from .check import CheckReport

FORMAT_VERSION = 2

# Fields of a citation that belong to the interpretation it cites, not to the clause (reading_zh too, when given).
_INTERPRETATION = "interpretation"


def clause_key(pack: str, clause: str) -> str:
    """The key of a clause in the report's `clauses` table: pack ids hold no space, so the first space splits."""
    return f"{pack} {clause}"


def _split(c: Citation) -> tuple[str, dict[str, Any], str | None, dict[str, Any] | None]:
    d = c.model_dump(mode="json")
    interp = {k: v for k, v in d.items() if k == _INTERPRETATION or k.startswith("reading_")}
    clause = {k: v for k, v in d.items() if k not in interp}
    ck = clause_key(c.pack, c.clause)
    if not c.interpretation:
        return ck, clause, None, None
    it = {"pack": c.pack, **{k: v for k, v in interp.items() if v is not None}}
    return ck, clause, clause_key(c.pack, c.interpretation), it


class _Tables:
    """What results share, each stated once: clauses, interpretations, findings, decided details."""

    def __init__(self) -> None:
        self.clauses: dict[str, dict[str, Any]] = {}
        self.interpretations: dict[str, dict[str, Any]] = {}
        self.findings: list[bytes] = []
        self.decided: list[bytes] = []
        self._finding_ix: dict[bytes, int] = {}
        # Digests, not the encoded details, key the table: a province's details would be a second copy.
        self._decided_ix: dict[bytes, int] = {}
        self._cites: dict[int, dict[str, str]] = {}

    def cite(self, c: Citation) -> dict[str, str]:
        ref = self._cites.get(id(c))  # the report holds every citation, so an id is not reused meanwhile
        if ref is None:
            ck, clause, ik, interp = _split(c)
            self.clauses.setdefault(ck, clause)
            ref = {"clause": ck}
            if ik is not None and interp is not None:
                self.interpretations.setdefault(ik, interp)
                ref["interpretation"] = ik
            self._cites[id(c)] = ref
        return ref

    def finding(self, encoded: bytes) -> int:
        i = self._finding_ix.get(encoded)
        if i is None:
            i = self._finding_ix[encoded] = len(self.findings)
            self.findings.append(encoded)
        return i

    def detail(self, encoded: bytes) -> int:
        key = hashlib.blake2b(encoded, digest_size=16).digest()
        i = self._decided_ix.get(key)
        if i is None:
            i = self._decided_ix[key] = len(self.decided)
            self.decided.append(encoded)
        return i


def json_chunks(report: CheckReport, fail_on: str = "violation") -> Iterator[bytes]:
    """The version 2 JSON report in pieces (UTF-8), the tables first; one line per table row and subject.

    Two passes over the results: the first fills the tables (holding only small indexes per result),
    the second writes the subjects. Encoded by orjson (json's indenting encoder took half of a
    province's check).
    """
    import orjson

    opt = orjson.OPT_NON_STR_KEYS
    dumps = orjson.dumps
    t = _Tables()
    refs: list[tuple[int | None, list[int]]] = []
    subjects: dict[tuple[str, str, str, str], list[int]] = {}
    for n, r in enumerate(report.results):
        found = [t.finding(dumps(i.to_dict(t.cite), option=opt)) for i in r.items]
        refs.append((t.detail(dumps(r.decided, option=opt)) if r.decided else None, found))
        subjects.setdefault((r.jurisdiction, r.village, r.subject, r.name), []).append(n)

    head = report.to_dict(results=False)
    head = {"format_version": FORMAT_VERSION, **head, "fail_on": fail_on, "exit_code": report.exit_code(fail_on)}
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2].encode()  # without the closing "\n}"

    def table(name: str, rows: list[bytes]) -> Iterator[bytes]:
        yield f',\n  "{name}": ['.encode()
        sep = b"\n    "
        for row in rows:
            yield sep + row
            sep = b",\n    "
        yield b"\n  ]" if rows else b"]"

    def mapping(name: str, rows: dict[str, dict[str, Any]]) -> Iterator[bytes]:
        yield f',\n  "{name}": {{'.encode()
        sep = b"\n    "
        for k, v in rows.items():
            yield sep + dumps(k) + b": " + dumps(v)
            sep = b",\n    "
        yield b"\n  }" if rows else b"}"

    yield from mapping("clauses", t.clauses)
    yield from mapping("interpretations", t.interpretations)
    yield from table("findings", t.findings)
    yield from table("decided", t.decided)
    t.findings = t.decided = []  # written: let them go before the subjects are encoded

    def subject_rows() -> Iterator[bytes]:
        results = report.results
        for (jid, village, subject, name), ns in subjects.items():
            rows = []
            for n in ns:
                r = results[n]
                row: dict[str, Any] = {"question": r.question}
                if r.period is not None:
                    row["period"] = r.period
                row["outcome"] = r.outcome
                row["rules"] = r.rules
                detail, found = refs[n]
                if detail is not None:
                    row["decided"] = detail
                if found:
                    row["findings"] = found
                rows.append(row)
            yield dumps(
                {"jurisdiction": jid, "village": village, "subject": subject, "name": name, "results": rows},
                option=opt,
            )

    yield b',\n  "subjects": ['
    sep = b"\n    "
    for row in subject_rows():
        yield sep + row
        sep = b",\n    "
    yield b"\n  ]\n}" if subjects else b"]\n}"


def to_json(report: CheckReport, fail_on: str = "violation") -> str:
    return b"".join(json_chunks(report, fail_on)).decode()


def expand(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A version 2 report's results as version 1 wrote them: one flat mapping per result, tables resolved.

    Results come subject by subject (version 1 listed them question by question); each holds the
    same fields and values as in version 1.
    """
    clauses, interps = data["clauses"], data["interpretations"]

    def citation(ref: dict[str, str]) -> dict[str, Any]:
        c = dict(clauses[ref["clause"]])
        if "interpretation" in ref:
            it = dict(interps[ref["interpretation"]])
            it.pop("pack", None)
            c.update(it)
        for k in Citation.model_fields:  # what an interpretation adds is null on a clause's own citation
            if k == _INTERPRETATION or k.startswith("reading_"):
                c.setdefault(k, None)
        return c

    findings = [{**f, "citations": [citation(x) for x in f["citations"]]} for f in data["findings"]]
    out = []
    for s in data["subjects"]:
        for r in s["results"]:
            decided = dict(data["decided"][r["decided"]]) if "decided" in r else {}
            out.append(
                {
                    "jurisdiction": s["jurisdiction"],
                    "village": s["village"],
                    "subject": s["subject"],
                    "name": s["name"],
                    "question": r["question"],
                    "period": r.get("period"),
                    "outcome": r["outcome"],
                    "rules": r["rules"],
                    "decided": decided,
                    "findings": [findings[i] for i in r.get("findings", [])],
                }
            )
    return out


__all__ = ["FORMAT_VERSION", "clause_key", "expand", "json_chunks", "to_json"]

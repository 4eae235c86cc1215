"""Clause coverage: is every clause of every document cited by a rule, or marked not encodable?

docs/coverage.md is generated from the packs by `villagepolicy coverage` (never written by hand).
A clause is *cited* when a rule cites it or uses an interpretation of it; *not encodable* when its
pack marks it (`not_encodable: {reason, note_en}`); *pending* when docs/coverage-pending.yaml lists
it as awaiting another issue's rules; otherwise *uncovered*, which the check refuses. A pending entry
for a clause that is now cited or marked is stale, and refused too, so the list only shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import PackError
from .library import Library
from .packs.yamlread import YamlError, read_yaml

Status = Literal["cited", "not_encodable", "pending", "uncovered"]
STATUS_ZH = {"cited": "已编码", "not_encodable": "不可编码", "pending": "待编码", "uncovered": "未覆盖"}


class PendingEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    issues: list[int] = Field(min_length=1, description="the issues whose rules will cite the clause")
    question: str = Field(min_length=1)


class PendingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pending: dict[str, dict[str, PendingEntry]] = Field(default_factory=dict)

    @field_validator("pending", mode="before")
    @classmethod
    def _empty(cls, v: object) -> object:
        return {} if v is None else v  # `pending:` with nothing under it reads as null


@dataclass
class ClauseCoverage:
    pack: str
    clause: str
    title_zh: str | None
    summary_en: str
    status: Status
    rules: list[tuple[str, str]] = field(default_factory=list)  # (question, rule id)
    reason: str | None = None
    note: str | None = None
    pending: PendingEntry | None = None


def load_pending(path: Path | None) -> PendingFile:
    if path is None or not path.exists():
        return PendingFile()
    try:
        loc = read_yaml(path.read_bytes(), str(path))
    except YamlError as e:
        raise PackError(e.problems) from None
    try:
        return PendingFile.model_validate(loc.data or {})
    except ValidationError as e:
        raise PackError(
            [
                loc.problem(tuple(err["loc"]), f"{'.'.join(map(str, err['loc']))}: {err['msg']}")
                for err in e.errors(include_url=False)
            ]
        ) from None


def clause_coverage(lib: Library, pending: PendingFile) -> list[ClauseCoverage]:
    out: list[ClauseCoverage] = []
    for pid in sorted(lib.packs):
        pack = lib.packs[pid]
        citing: dict[str, list[tuple[str, str]]] = {}
        for cr in pack.rules:
            r = cr.rule
            clauses = list(r.cites) + [c for i in r.interpretations for c in pack.interpretations[i].clauses]
            for cid in dict.fromkeys(clauses):
                citing.setdefault(cid, []).append((r.question, r.id))
        waiting = pending.pending.get(pid, {})
        for cid, clause in pack.clauses.items():
            item = ClauseCoverage(pid, cid, clause.title_zh, clause.summary_en, "uncovered")
            if cid in citing:
                item.status, item.rules = "cited", citing[cid]
            elif clause.not_encodable is not None:
                item.status = "not_encodable"
                item.reason, item.note = clause.not_encodable.reason, clause.not_encodable.note_en
            elif cid in waiting:
                item.status, item.pending = "pending", waiting[cid]
            out.append(item)
    return out


def coverage_problems(lib: Library, pending: PendingFile, items: list[ClauseCoverage]) -> list[str]:
    """Uncovered clauses, and pending entries that name no clause or a clause already cited or marked."""
    out = [
        f"{i.pack} {i.clause}: 既未编码也未标注 neither cited by a rule nor marked not_encodable "
        f"(cite it, mark it, or list it in docs/coverage-pending.yaml)"
        for i in items
        if i.status == "uncovered"
    ]
    out += [
        f"{i.pack} {i.clause}: 已被规则引用 cited by {', '.join(r for _, r in i.rules)} but marked not_encodable; "
        "remove the mark from the pack"
        for i in items
        if i.status == "cited" and lib.packs[i.pack].clauses[i.clause].not_encodable is not None
    ]
    status = {(i.pack, i.clause): i.status for i in items}
    for pid, entries in sorted(pending.pending.items()):
        if pid not in lib.packs:
            out.append(f"coverage-pending: unknown pack {pid!r}")
            continue
        for cid in entries:
            s = status.get((pid, cid))
            if s is None:
                out.append(f"coverage-pending: {pid} has no clause {cid!r}")
            elif s != "pending":
                out.append(f"coverage-pending: {pid} {cid} is now {s}; remove it from docs/coverage-pending.yaml")
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(lib: Library, items: list[ClauseCoverage]) -> str:
    lines = [
        "# 条款覆盖 Clause coverage",
        "",
        "<!-- Generated by `villagepolicy coverage` from rules/*.yaml and docs/coverage-pending.yaml. "
        "Do not edit by hand: tests/test_coverage.py fails when this file is stale. -->",
        "",
        "Every clause of the encoded documents is either **cited** by a pack rule (directly or through an",
        "interpretation a rule uses), **not encodable** (marked in its pack with the reason: qualitative,",
        "delegated to a document not encoded, declaratory, or out of scope), or **pending**: listed in",
        "`docs/coverage-pending.yaml` as awaiting the rules of another issue. **Uncovered** clauses fail the check.",
        "",
        "| 规则包 pack | 条款 clauses | 已编码 cited | 不可编码 not encodable | 待编码 pending | 未覆盖 uncovered |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    by_pack: dict[str, list[ClauseCoverage]] = {}
    for i in items:
        by_pack.setdefault(i.pack, []).append(i)
    for pid, rows in by_pack.items():
        counts = [sum(r.status == s for r in rows) for s in ("cited", "not_encodable", "pending", "uncovered")]
        lines.append(f"| {pid} | {len(rows)} | " + " | ".join(map(str, counts)) + " |")
    for pid, rows in by_pack.items():
        meta = lib.packs[pid].meta
        doc_no = f" {meta.doc_no}" if meta.doc_no else ""
        lines += [
            "",
            f"## 《{meta.title_zh}》{doc_no} — `{pid}`",
            "",
            "| 条款 clause | 内容 summary | 状态 status | 规则或理由 rules or reason |",
            "|---|---|---|---|",
        ]
        for r in rows:
            summary = (f"{r.title_zh}: " if r.title_zh else "") + r.summary_en
            if r.status == "cited":
                qs: dict[str, list[str]] = {}
                for q, rid in r.rules:
                    qs.setdefault(q, []).append(rid)
                detail = "; ".join(f"{q}: {', '.join(ids)}" for q, ids in qs.items())
            elif r.status == "not_encodable":
                detail = f"{r.reason}: {r.note}"
            elif r.status == "pending" and r.pending is not None:
                detail = f"{r.pending.question} (issue {', '.join(f'#{n}' for n in r.pending.issues)})"
            else:
                detail = "—"
            status = f"{STATUS_ZH[r.status]} {r.status.replace('_', ' ')}"
            lines.append(f"| {_cell(r.clause)} | {_cell(summary)} | {status} | {_cell(detail)} |")
    return "\n".join(lines) + "\n"


PENDING_HEADER = """\
# 待编码条款 Clauses awaiting the rules of another issue (read by `villagepolicy coverage`).
#
# Each entry names a clause that another issue's question will cite. It is NOT a mark that the clause
# cannot be encoded: once that issue's branch is merged and its rules cite the clause, the check fails
# with "... is now cited; remove it" until the entry is deleted here (`villagepolicy coverage --prune`
# does it). When every branch is merged this file should be empty (`pending: {}`), and every clause is
# then cited or marked not_encodable in its pack.
"""


def prune_pending(pending: PendingFile, items: list[ClauseCoverage]) -> tuple[str, list[str]]:
    """The pending file without the entries whose clause is now cited or marked, and the entries removed."""
    status = {(i.pack, i.clause): i.status for i in items}
    removed: list[str] = []
    lines = [PENDING_HEADER.rstrip("\n"), "pending:"]
    kept_any = False
    for pid, entries in pending.pending.items():
        keep = []
        for cid, e in entries.items():
            if status.get((pid, cid)) == "pending":
                keep.append((cid, e))
            else:
                removed.append(f"{pid} {cid}")
        if keep:
            kept_any = True
            lines.append(f"  {pid}:")
            for cid, e in keep:
                issues = ", ".join(map(str, e.issues))
                lines.append(f'    "{cid}": {{issues: [{issues}], question: {e.question}}}')
    if not kept_any:
        lines[-1] = "pending: {}"
    return "\n".join(lines) + "\n", removed

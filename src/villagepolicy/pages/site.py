"""The static pack site (`villagepolicy site -o DIR`): each document's clauses beside the rules that encode them.

In the spirit of Catala's literate output and OpenFisca's explorer: one page per pack (clause text,
then the rules citing it, with each question's rules as a table of conditions and conclusions), one
per jurisdiction, an index with the pack tests' results and the clause coverage, and a search box
(inline script over an index embedded in the page; no network).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..coverage import clause_coverage, load_pending
from ..library import Library
from .env import render


@dataclass
class RuleView:
    id: str
    question: str
    when: str
    then: str
    interpretations: list[str]
    note: str


@dataclass
class ClauseView:
    id: str
    anchor: str
    title: str
    text: str
    summary: str
    rules: list[RuleView] = field(default_factory=list)
    not_encodable: tuple[str, str] | None = None


def _yamlish(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str) if v is not None else "—"


def _anchor(clause: str) -> str:
    return "c-" + "".join(ch if ch.isalnum() else "-" for ch in clause)


def _pack_view(lib: Library, pid: str) -> dict[str, Any]:
    pack = lib.packs[pid]
    rules_by_clause: dict[str, list[RuleView]] = {}
    tables: dict[str, list[RuleView]] = {}
    for cr in pack.rules:
        r = cr.rule
        view = RuleView(r.id, r.question, "（其他情况 otherwise）" if r.otherwise else _yamlish(r.when),
                        _yamlish(r.then), list(r.interpretations), r.note_en or "")  # fmt: skip
        tables.setdefault(r.question, []).append(view)
        cited = list(r.cites) + [c for i in r.interpretations for c in pack.interpretations[i].clauses]
        for cid in dict.fromkeys(cited):
            rules_by_clause.setdefault(cid, []).append(view)
    clauses = []
    for cid, c in pack.clauses.items():
        ne = (c.not_encodable.reason, c.not_encodable.note_en) if c.not_encodable else None
        clauses.append(ClauseView(cid, _anchor(cid), c.title_zh or "", c.text_zh, c.summary_en,
                                  rules_by_clause.get(cid, []), ne))  # fmt: skip
    interps = [
        {"id": i.id, "clauses": [(c, _anchor(c)) for c in i.clauses], "reading_zh": i.reading_zh,
         "reading_en": i.reading_en, "ambiguity_en": i.ambiguity_en, "why_en": i.why_en}
        for i in pack.interpretations.values()
    ]  # fmt: skip
    return {"pack": pack, "clauses": clauses, "tables": tables, "interpretations": interps}


def _tests(lib: Library, tests: Path | None) -> dict[str, Any] | None:
    from ..packtest import PackTestError, coverage, find_test_files, read_cases, run_case

    if tests is None or not tests.exists():
        return None
    try:
        cases = [c for f in find_test_files([tests]) for c in read_cases(f)]
    except PackTestError:
        return None
    runs = [run_case(lib, c) for c in cases]
    cov = coverage(lib, runs)
    by_file: dict[str, list[Any]] = {}
    for r in runs:
        by_file.setdefault(Path(r.case.file).name, []).append(r)
    return {"runs": by_file, "passed": sum(r.passed for r in runs), "total": len(runs),
            "rule_percent": cov.percent, "clause_percent": cov.clause_percent}  # fmt: skip


def build_site(lib: Library, out: Path, lang: str = "zh", tests: Path | None = None) -> list[Path]:
    """Write the site's pages into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    coverage = clause_coverage(lib, load_pending(None))
    packs = {pid: _pack_view(lib, pid) for pid in sorted(lib.packs)}
    jurisdictions = [lib.jurisdiction(j) for j in lib.jurisdictions()]
    index: list[dict[str, str]] = []
    for pid, view in packs.items():
        title = view["pack"].meta.title_zh
        for c in view["clauses"]:
            index.append({"u": f"pack-{pid}.html#{c.anchor}", "t": f"{title} {c.id}", "x": f"{c.text} {c.summary}"})
            for r in c.rules:
                index.append({"u": f"pack-{pid}.html#{c.anchor}", "t": f"{pid} {r.id}", "x": f"{r.question} {r.when}"})
        for i in view["interpretations"]:
            text = f"{i['reading_zh'] or ''} {i['reading_en']}"
            index.append({"u": f"pack-{pid}.html#i-{i['id']}", "t": f"解释 {i['id']}", "x": text})
    # The index is data in the page; "</" is escaped so that no text can end the script element.
    data = Markup(json.dumps(index, ensure_ascii=False).replace("</", "<\\/"))
    common = {"packs": packs, "jurisdictions": jurisdictions, "search_index": data}
    written = []
    pages = {"index.html": render("site_index.html.j2", lang, coverage=coverage, tests=_tests(lib, tests), **common)}
    for pid, view in packs.items():
        pages[f"pack-{pid}.html"] = render("site_pack.html.j2", lang, view=view, **common)
    for j in jurisdictions:
        pages[f"jurisdiction-{j.id}.html"] = render("site_jurisdiction.html.j2", lang, j=j, **common)
    for name, html in pages.items():
        (out / name).write_text(html, encoding="utf-8")
        written.append(out / name)
    return written

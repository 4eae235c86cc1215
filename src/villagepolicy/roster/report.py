"""Reports of a roster check: terminal text (Chinese, or English), JSON, JUnit XML, Markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..decision import Citation
from ..library import Library
from .check import SEVERITY_ZH, CaseResult, CheckReport, Item, failing

MARK = {"violation": "✗", "warning": "△", "manual_check": "?"}
MARKDOWN_MAX_ROWS = 200


def _title(c: Citation, library: Library | None, lang: str) -> str:
    pack = library.packs.get(c.pack) if library else None
    if pack is None:
        return f"{c.pack} {c.clause}"
    return f"《{pack.meta.title_zh}》{c.clause}" if lang == "zh" else f"{c.pack} {c.clause}"


def citation_line(c: Citation, library: Library | None, lang: str = "zh") -> str:
    if c.interpretation:
        head = "解释" if lang == "zh" else "interpretation"
        return f"{head} {c.interpretation} ({c.pack} {c.clause}): {c.reading(lang)}"
    text = c.text_zh if lang == "zh" or not c.summary_en else c.summary_en
    return f"{_title(c, library, lang)}: {text}"


def _message(i: Item, lang: str) -> str:
    return i.message_en or i.message_zh if lang == "en" else i.message_zh


def _sev(s: str, lang: str) -> str:
    return SEVERITY_ZH[s] if lang == "zh" else s.replace("_", " ")


def _grouped(report: CheckReport) -> dict[tuple[str, str], list[CaseResult]]:
    groups: dict[tuple[str, str], list[CaseResult]] = {}
    for r in report.results:
        groups.setdefault((r.jurisdiction, r.village), []).append(r)
    return groups


def text(report: CheckReport, library: Library | None = None, lang: str = "zh", fail_on: str = "violation") -> str:
    zh = lang == "zh"
    c = report.counts()
    lines = [
        (f"驻村名册核查 {report.roster} · 截至 {report.as_of} (考勤期间 {report.period_from} 至 {report.as_of})")
        if zh
        else f"Roster check {report.roster} · as of {report.as_of} (attendance from {report.period_from})",
        (f"人员 {report.people} 人 · 村 {report.villages} 个 · 辖区 {', '.join(report.jurisdictions)}")
        if zh
        else f"{report.people} people · {report.villages} villages · {', '.join(report.jurisdictions)}",
        "",
    ]
    for (jid, village), results in _grouped(report).items():
        flagged = [(r, i) for r in results for i in r.items if i.severity != "manual_check"]
        if not flagged:
            continue
        name = library.jurisdiction(jid).name_zh if library and zh else jid
        lines.append(f"{name} ({jid}) · {village}" if zh else f"{jid} · {village}")
        # One heading per person (or team) and question: a year of short months reads as one block,
        # each clause quoted once.
        blocks: dict[tuple[str, str, str], list[tuple[CaseResult, Item]]] = {}
        for r, i in flagged:
            blocks.setdefault((r.subject, r.question, i.severity), []).append((r, i))
        for (_, _, sev), items in blocks.items():
            first = items[0][0]
            periods = [r.period for r, _ in items if r.period]
            span = ""
            if len(set(periods)) > 1:
                span = f" {periods[0]} … {periods[-1]} ({len(set(periods))})"
            elif periods:
                span = f" {periods[0]}"
            who = f"{first.subject} {first.name}".strip()
            lines.append(f"  {MARK[sev]} {_sev(sev, lang)} {who} · {first.question}{span}")
            cited: list[Citation] = []
            seen: set[str] = set()  # an interpretation cites several clauses; read it once
            for _, i in items:
                lines.append(f"      {_message(i, lang)}")
                for x in i.citations:
                    key = f"i:{x.interpretation}" if x.interpretation else f"c:{x.pack}:{x.clause}"
                    if key not in seen:
                        seen.add(key)
                        cited.append(x)
            for cit in cited:
                lines.append(f"      {'依据' if zh else 'cites'} {citation_line(cit, library, lang)}")
        lines.append("")
    manual = Counter(
        (
            r.question,
            _message(i, lang),
            i.citations[0].clause if i.citations else "",
            i.citations[0].pack if i.citations else "",
        )
        for r in report.results
        for i in r.items
        if i.severity == "manual_check"
    )
    if manual:
        lines.append("人工核查（按条款汇总）manual checks, by clause:" if zh else "Manual checks, by clause:")
        for (q, msg, clause, pack), n in sorted(manual.items()):
            lines.append(f"  ? {n} × {q}: {msg} [{pack} {clause}]")
        lines.append("")
    unjudged = Counter(
        (r.question, (r.decided.get("not_judged") or {}).get("message_zh" if zh else "message_en", ""))
        for r in report.results
        if r.outcome == "not_judged"
    )
    if unjudged:
        lines.append("未能判定的核查 checks not judged:" if zh else "Checks not judged:")
        lines.extend(f"  - {n} × {q}: {why}" for (q, why), n in sorted(unjudged.items()))
    skipped = Counter(r.question for r in report.results if r.outcome == "not_covered")
    if skipped:
        shown = ", ".join(f"{q} {n}" for q, n in sorted(skipped.items()))
        lines.append(
            ("文件未规定（未判定）not covered by the documents: " if zh else "Not covered by the documents: ") + shown
        )
    if report.skipped_questions:
        shown = "; ".join(f"{j}: {', '.join(qs)}" for j, qs in report.skipped_questions.items())
        lines.append(
            ("名册不涉及的问题 questions a roster does not answer: " if zh else "Questions not checked: ") + shown
        )
    checked = len(report.results)
    code = report.exit_code(fail_on)
    if zh:
        lines.append(
            f"合计 {checked} 项核查：违规 {c['violation']} · 警示 {c['warning']} · 人工核查 {c['manual_check']}"
            f" → {'不通过' if code else '通过'}"
        )
    else:
        lines.append(
            f"{checked} checks: {c['violation']} violation(s) · {c['warning']} warning(s) · "
            f"{c['manual_check']} manual check(s) → {'FAIL' if code else 'PASS'}"
        )
    return "\n".join(lines)


_RESULTS = "\x00results\x00"


def json_chunks(report: CheckReport, fail_on: str = "violation") -> Iterator[bytes]:
    """The JSON report in pieces (UTF-8): a province's report is written without a second copy in memory.

    The head is indented; each result is one line, encoded by orjson (a province's report is ~750 MB:
    json's indenting encoder is pure Python and took half the check, and its C encoder still 2.4x
    orjson's time). Citations repeat across results: each is turned into its mapping once.
    """
    import orjson

    data = report.to_dict(results=False)
    data["results"] = _RESULTS
    data["fail_on"] = fail_on
    data["exit_code"] = report.exit_code(fail_on)
    head, tail = json.dumps(data, ensure_ascii=False, indent=2).split(json.dumps(_RESULTS), 1)
    yield head.encode()
    if not report.results:
        yield b"[]"
    else:
        dumped: dict[int, dict[str, Any]] = {}

        def cite(c: Citation) -> dict[str, Any]:
            d = dumped.get(id(c))  # the report holds every citation, so an id is not reused meanwhile
            if d is None:
                d = dumped[id(c)] = c.model_dump(mode="json")
            return d

        dumps = orjson.dumps
        sep = b"[\n    "
        for r in report.results:
            yield sep + dumps(r.to_dict(cite), option=orjson.OPT_NON_STR_KEYS)
            sep = b",\n    "
        yield b"\n  ]"
    yield tail.encode()


def to_json(report: CheckReport, fail_on: str = "violation") -> str:
    return b"".join(json_chunks(report, fail_on)).decode()


def _detail(i: Item, library: Library | None) -> str:
    lines = [f"[{i.severity}] {i.message_zh}"]
    if i.message_en:
        lines.append(i.message_en)
    if i.rule:
        lines.append(f"rule: {i.rule}")
    lines += [citation_line(c, library, "zh") for c in i.citations]
    return "\n".join(lines)


def junit(report: CheckReport, library: Library | None = None, fail_on: str = "violation") -> str:
    """One test suite per village, one test case per subject and question (and period); failures carry the clauses."""
    failing_ = failing(fail_on)
    root = ET.Element("testsuites", name="villagepolicy check")
    totals: Counter[str] = Counter()
    for (jid, village), results in _grouped(report).items():
        suite = ET.SubElement(root, "testsuite", name=f"{jid}/{village}")
        counts: Counter[str] = Counter()
        for r in results:
            case = ET.SubElement(suite, "testcase", classname=f"{jid}.{village}", name=r.label(), file=report.roster)
            counts["tests"] += 1
            if r.skipped:
                why = (r.decided.get("not_judged") or {}).get("message_zh") or ", ".join(c.clause for c in r.citations)
                ET.SubElement(case, "skipped", message=f"{r.outcome}: {why}")
                counts["skipped"] += 1
                continue
            bad = [i for i in r.items if i.severity in failing_]
            rest = [i for i in r.items if i.severity not in failing_]
            if bad:
                f = ET.SubElement(case, "failure", message=bad[0].message_zh, type=bad[0].severity)
                f.text = "\n\n".join(_detail(i, library) for i in bad)
                counts["failures"] += 1
            if rest:
                ET.SubElement(case, "system-out").text = "\n\n".join(_detail(i, library) for i in rest)
        for k in ("tests", "failures", "skipped"):
            suite.set(k, str(counts[k]))
        suite.set("errors", "0")
        totals.update(counts)
    for k in ("tests", "failures", "skipped"):
        root.set(k, str(totals[k]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def markdown(report: CheckReport, library: Library | None = None, lang: str = "zh", fail_on: str = "violation") -> str:
    zh = lang == "zh"
    c = report.counts()
    code = report.exit_code(fail_on)
    icon = "❌" if code else "✅"
    out = [
        f"### {icon} villagepolicy check · `{report.roster}` · {'截至' if zh else 'as of'} {report.as_of}",
        "",
        "| 违规 violations | 警示 warnings | 人工核查 manual checks | 核查项 checks | 人员 people | 村 villages |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {c['violation']} | {c['warning']} | {c['manual_check']} | {len(report.results)} | {report.people} "
        f"| {report.villages} |",
        "",
    ]
    unjudged = [r for r in report.results if r.outcome == "not_judged"]
    if unjudged:
        key = "message_zh" if zh else "message_en"
        whys = Counter(f"{r.question}: {(r.decided.get('not_judged') or {}).get(key, '')}" for r in unjudged)
        out += [f"未能判定的核查 checks not judged: {len(unjudged)}", ""]
        out += [f"- {n} × {_md(why)}" for why, n in sorted(whys.items())] + [""]
    rows = [(r, i) for r in report.results for i in r.items if i.severity != "manual_check"]
    if rows:
        out += [
            "| | 村 village | 人员 person | 问题 question | 说明 finding | 依据 clause |",
            "|---|---|---|---|---|---|",
        ]
        for r, i in rows[:MARKDOWN_MAX_ROWS]:
            cites = "; ".join(f"{x.pack} {x.clause}" for x in i.citations if not x.interpretation)
            who = f"{r.subject} {r.name}".strip()
            q = f"{r.question} {r.period or ''}".strip()
            out.append(
                f"| {MARK[i.severity]} {_sev(i.severity, lang)} | {_md(r.village)} | {_md(who)} | {_md(q)} "
                f"| {_md(_message(i, lang))} | {_md(cites)} |"
            )
        if len(rows) > MARKDOWN_MAX_ROWS:
            out.append(f"\n… {len(rows) - MARKDOWN_MAX_ROWS} more; see the JUnit or JSON report.")
        cited: dict[tuple[str, str], Citation] = {}
        for _, i in rows:
            for x in i.citations:
                if not x.interpretation:
                    cited.setdefault((x.pack, x.clause), x)
        out += ["", "<details><summary>条款原文 clause text</summary>", ""]
        for x in cited.values():
            out.append(f"- **{x.pack} {x.clause}**: {_md(x.text_zh)}")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def render(report: CheckReport, fmt: str, library: Library | None, lang: str, fail_on: str) -> str:
    if fmt == "json":
        return to_json(report, fail_on)
    if fmt == "junit":
        return junit(report, library, fail_on)
    if fmt == "markdown":
        return markdown(report, library, lang, fail_on)
    return text(report, library, lang, fail_on)


__all__ = ["citation_line", "json_chunks", "junit", "markdown", "render", "text", "to_json"]

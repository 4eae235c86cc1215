"""Reports of a roster check: terminal text (Chinese, or English), JSON, JUnit XML, Markdown."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from ..decision import Citation
from ..library import Library
from .check import CALENDAR_MISSING, SEVERITY_ZH, CaseResult, CheckReport, Item, failing
from .deductions import lines as deduction_lines
from .report_json import json_chunks, to_json

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


# Control characters a roster cell may carry (a name with \x07 in it) are shown as \xNN in every report
# but JSON (which escapes them itself): raw, they made the JUnit report ill-formed XML that CI servers drop,
# and in a terminal they act instead of showing (issue 16 item 9). Newline and tab lay the reports out.
_VISIBLE = {cp: f"\\x{cp:02x}" for cp in (*range(0x20), *range(0x7F, 0xA0)) if cp not in (0x09, 0x0A)}


def visible(s: str) -> str:
    """`s` with control characters (but newline and tab) written as \\xNN."""
    return s.translate(_VISIBLE)


def _grouped(report: CheckReport) -> dict[tuple[str, str], list[CaseResult]]:
    groups: dict[tuple[str, str], list[CaseResult]] = {}
    for r in report.results:
        groups.setdefault((r.jurisdiction, r.village), []).append(r)
    return groups


def text(report: CheckReport, library: Library | None = None, lang: str = "zh", fail_on: str = "violation") -> str:
    zh = lang == "zh"
    lines = [*_heading(report, lang), ""]
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
    lines += deduction_lines(report.deductions, lang)
    lines += calendar_lines(report, lang)
    lines.append(_totals(report, lang, fail_on))
    return "\n".join(lines)


def _heading(report: CheckReport, lang: str) -> list[str]:
    from ..render import calendar_words

    own = [c for c in report.calendar if c.origin != "shipped"]  # the shipped years go without saying
    cal = [calendar_words(own, zh=lang == "zh")] if own else []
    if lang == "zh":
        return [
            f"驻村名册核查 {report.roster} · 截至 {report.as_of} (考勤期间 {report.period_from} 至 {report.as_of})",
            f"人员 {report.people} 人 · 村 {report.villages} 个 · 辖区 {', '.join(report.jurisdictions)}",
            *cal,
        ]
    return [
        f"Roster check {report.roster} · as of {report.as_of} (attendance from {report.period_from})",
        f"{report.people} people · {report.villages} villages · {', '.join(report.jurisdictions)}",
        *cal,
    ]


def calendar_lines(report: CheckReport, lang: str) -> list[str]:
    """The years of the working-day calendar the check lacked, how many checks that left unjudged, and the fix."""
    missing = report.calendar_missing()
    if not missing:
        return []
    from ..calendar import IMPORT_COMMAND, IMPORT_COMMAND_EN

    years = "、".join(str(y) for y in missing)
    n = sum(missing.values())
    who = [
        f"{r.subject} {r.name} {r.question}".replace("  ", " ")
        for r in report.results
        if r.outcome == "not_judged" and (r.decided.get("not_judged") or {}).get("reason") == CALENDAR_MISSING
    ]
    eg = "、".join(who[:3]) + (f" 等 {len(who)} 项" if len(who) > 3 else "")
    if lang == "zh":
        return [
            f"缺少工作日历 {years} 年：{n} 项核查未能判定（{eg}；其余已核查）。"
            f"国务院办公厅发布当年节假日安排通知后，用 `{IMPORT_COMMAND}` 加入，再核查一次。"
        ]
    return [
        f"No working-day calendar for {', '.join(map(str, missing))}: {n} check(s) not judged ({eg}; the rest were "
        f"checked). Once the State Council's notice is out, add it with `{IMPORT_COMMAND_EN}` and check again."
    ]


def _totals(report: CheckReport, lang: str, fail_on: str) -> str:
    c = report.counts()
    checked = len(report.results)
    code = report.exit_code(fail_on)
    if lang == "zh":
        return (
            f"合计 {checked} 项核查：违规 {c['violation']} · 警示 {c['warning']} · 人工核查 {c['manual_check']}"
            f" → {'不通过' if code == 1 else '未完成 incomplete' if code else '通过'}"
        )
    return (
        f"{checked} checks: {c['violation']} violation(s) · {c['warning']} warning(s) · "
        f"{c['manual_check']} manual check(s) → {'FAIL' if code == 1 else 'INCOMPLETE' if code else 'PASS'}"
    )


SUMMARY_FINDINGS = 10


def summary(
    report: CheckReport,
    output: str,
    library: Library | None = None,
    lang: str = "zh",
    fail_on: str = "violation",
    limit: int = SUMMARY_FINDINGS,
) -> str:
    """What the log gets when the report went to a file: totals and the first few violations and warnings.

    A 20,000-person check wrote 7 MB of text to the CI log; the whole report is in `output`.
    """
    zh = lang == "zh"
    flagged = [(r, i) for r in report.results for i in r.items if i.severity != "manual_check"]
    flagged.sort(key=lambda ri: ri[1].severity != "violation")  # violations first, each kind in report order
    lines = _heading(report, lang)
    for r, i in flagged[:limit]:
        cites = ", ".join(dict.fromkeys(f"{c.pack} {c.clause}" for c in i.citations if not c.interpretation))
        where = f"{r.village} · {r.subject} {r.name}".rstrip()
        period = f" {r.period}" if r.period else ""
        head = f"{MARK[i.severity]} {_sev(i.severity, lang)} {where} · {r.question}{period}"
        lines.append(f"  {head}: {_message(i, lang)}")
        if cites:
            lines.append(f"      {'依据' if zh else 'cites'} {cites}")
    if len(flagged) > limit:
        more = len(flagged) - limit
        lines.append(f"  … 另有 {more} 项，见 {output}" if zh else f"  … {more} more in {output}")
    lines += deduction_lines(report.deductions, lang)
    lines += calendar_lines(report, lang)
    lines.append(_totals(report, lang, fail_on))
    lines.append(f"完整报告 full report: {output}" if zh else f"Full report: {output}")
    return visible("\n".join(lines))


CLAUSES_SUITE = "clauses 条款原文"


def _interpretation_key(c: Citation) -> str:
    return f"interpretation {c.pack} {c.interpretation}"  # never a clause key: those start with the pack id


def _reference(c: Citation, library: Library | None) -> str:
    """A citation named, not quoted: its text is in the report's clauses suite under the key in brackets."""
    from .report_json import clause_key

    key = clause_key(c.pack, c.clause)
    if c.interpretation:
        return f"解释 [{_interpretation_key(c)}] of [{key}]"
    return f"{_title(c, library, 'zh')} [{key}]"


def _detail(i: Item, library: Library | None, cited: dict[str, Citation]) -> str:
    from .report_json import clause_key

    lines = [f"[{i.severity}] {i.message_zh}"]
    if i.message_en:
        lines.append(i.message_en)
    if i.rule:
        lines.append(f"rule: {i.rule}")
    for c in i.citations:
        cited.setdefault(clause_key(c.pack, c.clause), c)
        if c.interpretation:
            cited.setdefault(_interpretation_key(c), c)
        lines.append(f"依据 cites {_reference(c, library)}")
    return "\n".join(lines)


def junit(report: CheckReport, library: Library | None = None, fail_on: str = "violation") -> str:
    """One test suite per village, one test case per subject and question (and period); failures name the clauses.

    Each clause's text (and each interpretation's reading) is stated once, as a property of the first
    suite, `clauses 条款原文`, keyed as the failures name it (`pack clause`): a 20,000-person check
    quoted the same few clauses half a million times.
    """

    failing_ = failing(fail_on)
    root = ET.Element("testsuites", name="villagepolicy check")
    clauses = ET.SubElement(root, "testsuite", name=CLAUSES_SUITE, tests="0", failures="0", errors="0", skipped="0")
    props = ET.SubElement(clauses, "properties")
    cited: dict[str, Citation] = {}
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
                f.text = "\n\n".join(_detail(i, library, cited) for i in bad)
                counts["failures"] += 1
            if rest:
                ET.SubElement(case, "system-out").text = "\n\n".join(_detail(i, library, cited) for i in rest)
        for k in ("tests", "failures", "skipped"):
            suite.set(k, str(counts[k]))
        suite.set("errors", "0")
        totals.update(counts)
    for key, c in cited.items():
        if c.interpretation and key == _interpretation_key(c):
            value = getattr(c, "reading_zh", None) or c.reading_en or ""
        else:
            value = c.text_zh
        ET.SubElement(props, "property", name=key, value=value)
    for k in ("tests", "failures", "skipped"):
        root.set(k, str(totals[k]))
    root.set("errors", "0")
    ET.indent(root)
    # XML 1.0 forbids most control characters even as references: write them visibly (see _VISIBLE).
    return visible('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")


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
    out += [*calendar_lines(report, lang), ""] if report.calendar_missing() else []
    unjudged = [r for r in report.results if r.outcome == "not_judged"]
    if unjudged:
        key = "message_zh" if zh else "message_en"
        whys = Counter(f"{r.question}: {(r.decided.get('not_judged') or {}).get(key, '')}" for r in unjudged)
        out += [f"未能判定的核查 checks not judged: {len(unjudged)}", ""]
        out += [f"- {n} × {_md(why)}" for why, n in sorted(whys.items())] + [""]
    if report.deductions:
        head, *body = deduction_lines(report.deductions, lang)
        out += [f"**{head}**", "", *(f"- {_md(x.strip().lstrip('- '))}" for x in body), ""]
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
        return visible(junit(report, library, fail_on))
    if fmt == "markdown":
        return visible(markdown(report, library, lang, fail_on))
    return visible(text(report, library, lang, fail_on))


__all__ = ["citation_line", "json_chunks", "junit", "markdown", "render", "summary", "text", "to_json"]

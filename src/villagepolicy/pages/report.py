"""The HTML roster report: one self-contained page (inline style, no network), Chinese by default.

Violations come first, grouped by village and person; each finding links to its clause, whose text
is stated once at the end of the page; everyone with a stay question gets a month-by-month picture
of days present against the requirement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..decision import Citation
from ..library import Library
from ..roster.check import SEVERITIES, SEVERITY_ZH, CaseResult, CheckReport, Item
from ..roster.report import calendar_lines
from ..roster.schema import ATTENDANCE_KINDS
from .env import render

# Above this many people with a stay question, only those with a stay finding get a chart (file size).
MAX_CHARTS = 3000
MONTH_DAYS = 31  # the height of a month's bar
LEAVE = ("leave_approved", "leave_unapproved", "absent")


@dataclass
class ClauseNote:
    """A clause (or an interpretation) as the report states it once: its anchor, heading and text."""

    anchor: str
    heading: str
    text: str
    note: str = ""
    short: str = ""  # the link's label beside a finding


@dataclass
class Finding:
    severity: str
    mark: str
    question: str
    period: str
    message: str
    cites: list[ClauseNote]


@dataclass
class Person:
    subject: str
    name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def worst(self) -> str:
        return next(s for s in SEVERITIES if any(f.severity == s for f in self.findings))


@dataclass
class Village:
    jurisdiction: str
    name: str
    people: list[Person] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for p in self.people for f in p.findings)


@dataclass
class Month:
    month: str
    label: str
    counted: int  # days that count towards the monthly requirement (or in the village when none is set)
    other: int  # other days of attendance (trips, meetings … not counted; leave and absence left out)
    required: int | None
    status: str  # met, not_met, hedged, none
    title: str


@dataclass
class YearBar:
    label: str
    counted: int
    required: int
    status: str
    percent: float


@dataclass
class Chart:
    village: str
    subject: str
    name: str
    months: list[Month]
    years: list[YearBar]
    flagged: bool


class _Clauses:
    """Each clause cited once, numbered in the order the report first cites it."""

    def __init__(self, library: Library | None, lang: str) -> None:
        self.library = library
        self.lang = lang
        self.notes: dict[tuple[str, str, str | None], ClauseNote] = {}

    def note(self, c: Citation) -> ClauseNote:
        # An interpretation covering several clauses is one note, read once.
        key = (c.pack, "" if c.interpretation else c.clause, c.interpretation)
        n = self.notes.get(key)
        if n is None:
            pack = self.library.packs.get(c.pack) if self.library else None
            title = f"《{pack.meta.title_zh}》" if pack else c.pack
            if c.interpretation:
                it = pack.interpretations.get(c.interpretation) if pack else None
                reading = (getattr(it, "reading_zh", None) if it else None) or c.reading_en or ""
                if self.lang == "en":
                    reading = c.reading_en or reading
                word = "解释" if self.lang == "zh" else "Interpretation"
                n = ClauseNote(f"i{len(self.notes) + 1}", f"{word} {c.interpretation} · {title}", reading, "",
                               f"{word} {c.interpretation}")  # fmt: skip
            else:
                n = ClauseNote(f"c{len(self.notes) + 1}", f"{title}{c.clause}", c.text_zh, c.summary_en, c.clause)
            self.notes[key] = n
        return n


def _finding(r: CaseResult, i: Item, clauses: _Clauses, lang: str) -> Finding:
    message = (i.message_en or i.message_zh) if lang == "en" else i.message_zh
    sev = SEVERITY_ZH[i.severity] if lang == "zh" else i.severity.replace("_", " ")
    notes = list({id(n): n for n in map(clauses.note, i.citations)}.values())  # each clause linked once
    return Finding(i.severity, sev, r.question, r.period or "", message, notes)


def _villages(report: CheckReport, clauses: _Clauses, lang: str, library: Library | None) -> list[Village]:
    villages: dict[tuple[str, str], Village] = {}
    people: dict[tuple[str, str, str], Person] = {}
    for r in report.results:
        for i in r.items:
            if i.severity == "manual_check":
                continue
            jid = r.jurisdiction
            jname = library.jurisdiction(jid).name_zh if library and lang == "zh" else jid
            v = villages.setdefault((jid, r.village), Village(jname, r.village))
            p = people.get((jid, r.village, r.subject))
            if p is None:
                p = people[(jid, r.village, r.subject)] = Person(r.subject, r.name)
                v.people.append(p)
            p.findings.append(_finding(r, i, clauses, lang))
    for p in people.values():
        p.findings.sort(key=lambda f: SEVERITIES.index(f.severity))  # stable: report order within a severity
    for v in villages.values():
        v.people.sort(key=lambda p: SEVERITIES.index(p.worst))
    # Villages with violations first, the most first; then those with warnings only.
    return sorted(villages.values(), key=lambda v: (-v.count("violation"), -v.count("warning")))


def _kind(kind: str, lang: str) -> str:
    return ATTENDANCE_KINDS.get(kind, kind) if lang == "zh" else kind


def _charts(report: CheckReport, lang: str) -> tuple[list[Chart], int]:
    t_req, t_cnt = ("要求", "计") if lang == "zh" else ("required", "counted")
    by_person: dict[tuple[str, str, str, str], list[CaseResult]] = {}
    for r in report.results:
        if r.question == "stay_compliance":
            by_person.setdefault((r.jurisdiction, r.village, r.subject, r.name), []).append(r)
    charts: list[Chart] = []
    omitted = 0
    for (_, village, subject, name), results in by_person.items():
        flagged = any(i.severity != "manual_check" for r in results for i in r.items)
        if len(by_person) > MAX_CHARTS and not flagged:
            omitted += 1
            continue
        attendance = dict(report.attendance_months.get(subject, {}))
        judged: dict[str, dict[str, Any]] = {}
        years: list[YearBar] = []
        for r in results:
            counts = r.decided.get("counts") or {}
            if r.period and len(r.period) == 7:  # a month
                judged[r.period] = counts.get("min_days_per_month") or {}
                attendance.setdefault(r.period, r.decided.get("days_by_kind") or {})
            elif r.period:
                for req, c in counts.items():
                    if not isinstance(c, dict) or c.get("required") is None:
                        continue
                    unit = {"working_day": "工作日", "day": "天"}.get(c.get("unit", ""), "") if lang == "zh" else ""
                    label = f"{r.period} {req.replace('_', ' ')}" if lang == "en" else f"{r.period} 年度要求{unit}"
                    if lang == "zh" and c.get("kinds"):
                        label += f"（{'、'.join(_kind(k, lang) for k in c['kinds'])}）"
                    required = int(c["required"])
                    counted = int(c.get("counted") or 0)
                    status = "met" if c.get("status") == "met" else "hedged" if c.get("hedged") else "not_met"
                    pct = min(100.0, 100.0 * counted / required) if required else 100.0
                    years.append(YearBar(label, counted, required, status, pct))
        months = []
        for month, kinds in sorted(attendance.items()):
            req = judged.get(month) or {}
            counted_kinds = req.get("kinds") or ["in_village"]
            counted = int(req["counted"]) if "counted" in req else sum(kinds.get(k, 0) for k in counted_kinds)
            present = sum(n for k, n in kinds.items() if k not in LEAVE)
            required = int(req["required"]) if req.get("required") is not None else None
            if required is None:
                status = "none"
            elif req.get("status") == "met":
                status = "met"
            else:
                status = "hedged" if req.get("hedged") else "not_met"
            parts = ", ".join(f"{_kind(k, lang)} {n}" for k, n in kinds.items())
            title = f"{month}: {parts}" + (f"; {t_req} {required}, {t_cnt} {counted}" if required is not None else "")
            months.append(
                Month(month, str(int(month[5:])), min(counted, MONTH_DAYS), max(0, min(present, MONTH_DAYS) - counted),
                      required, status, title)
            )  # fmt: skip
        charts.append(Chart(village, subject, name, months, years, flagged))
    charts.sort(key=lambda c: not c.flagged)  # people with a stay finding first
    return charts, omitted


def html_report(
    report: CheckReport, library: Library | None = None, lang: str = "zh", fail_on: str = "violation"
) -> str:
    """The whole report as one HTML page (UTF-8 text)."""
    clauses = _Clauses(library, lang)
    villages = _villages(report, clauses, lang, library)
    charts, omitted = _charts(report, lang)
    manual = Counter(
        (
            r.question,
            (i.message_en or i.message_zh) if lang == "en" else i.message_zh,
            clauses.note(i.citations[0]).anchor if i.citations else "",
        )
        for r in report.results
        for i in r.items
        if i.severity == "manual_check"
    )
    anchors = {n.anchor: n for n in clauses.notes.values()}
    not_covered = Counter(r.question for r in report.results if r.skipped)
    names = {}
    for jid in report.jurisdictions:
        names[jid] = library.jurisdiction(jid).name_zh if library and jid in library.jurisdictions() else jid
    from ..roster.report import visible

    return visible(
        render(
            "report.html.j2",
            lang,
            report=report,
            counts=report.counts(),
            code=report.exit_code(fail_on),
            fail_on=fail_on,
            villages=villages,
            charts=charts,
            omitted=omitted,
            month_days=MONTH_DAYS,
            manual=sorted(manual.items(), key=lambda kv: -kv[1]),
            anchors=anchors,
            clauses=list(clauses.notes.values()),
            not_covered=sorted(not_covered.items()),
            names=names,
            calendar_missing=calendar_lines(report, lang),
        )
    )

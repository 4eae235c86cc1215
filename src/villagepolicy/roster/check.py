"""Run every question a person's jurisdiction answers over a roster and collect findings.

The check is two-phase: every decision is made first, and any fact a question rejects is mapped
back to its roster cell; only a roster with no such problem is reported (exit 2 otherwise).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import calendar as workdays
from ..decision import Citation, Decision
from ..errors import FactError, UnknownQuestion, VillagePolicyError
from ..exitcodes import CALENDAR_MISSING as CALENDAR_MISSING_EXIT
from ..gcpause import gc_paused
from ..library import Jurisdiction, Library
from ..vocabulary import declared_by_label
from .deductions import add_up
from .parallel import jobs_for, run_shares
from .read import Roster, RosterError, Row

SEVERITIES = ("violation", "warning", "manual_check")
FAIL_ON = (*SEVERITIES, "never")  # --fail-on's choices, the CLI's and the service's
CALENDAR_MISSING = "calendar_year_missing"  # the not_judged reason of a check that needs a year the calendar lacks
SEVERITY_ZH = {"violation": "违规", "warning": "警示", "manual_check": "人工核查"}


@dataclass(slots=True)
class Item:
    """One finding of the check: what is wrong, how serious, and the clauses that say so."""

    severity: str
    message_zh: str
    message_en: str = ""
    citations: list[Citation] = field(default_factory=list)
    rule: str | None = None

    def to_dict(self, cite: Callable[[Citation], dict[str, Any]] | None = None) -> dict[str, Any]:
        """As JSON-ready data; `cite` turns a citation into its mapping (a report reuses them)."""
        return {
            "severity": self.severity,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "rule": self.rule,
            "citations": [cite(c) if cite else c.model_dump(mode="json") for c in self.citations],
        }


@dataclass(slots=True)
class CaseResult:
    """One question asked about one subject (a person, a village's team, or a county) for one period."""

    jurisdiction: str
    village: str
    subject: str
    name: str
    question: str
    outcome: str
    period: str | None = None
    items: list[Item] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # What the decision said beyond its outcome (approvers, actions, counts, grade …), for impact reports.
    decided: dict[str, Any] = field(default_factory=dict)

    @property
    def skipped(self) -> bool:
        """Not covered by the documents, or not judged (the roster gives nothing to judge; `decided` says why)."""
        return self.outcome in ("not_covered", "not_judged")

    def worst(self) -> str | None:
        for s in SEVERITIES:
            if any(i.severity == s for i in self.items):
                return s
        return None

    def label(self) -> str:
        p = f" {self.period}" if self.period else ""
        return (
            f"{self.subject} {self.name} · {self.question}{p}" if self.name else f"{self.subject} · {self.question}{p}"
        )

    def to_dict(self, cite: Callable[[Citation], dict[str, Any]] | None = None) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "village": self.village,
            "subject": self.subject,
            "name": self.name,
            "question": self.question,
            "period": self.period,
            "outcome": self.outcome,
            "rules": self.rules,
            "decided": self.decided,
            "findings": [i.to_dict(cite) for i in self.items],
        }


@dataclass
class CheckReport:
    roster: str
    as_of: dt.date
    period_from: dt.date
    results: list[CaseResult]
    people: int
    villages: int
    jurisdictions: list[str]
    skipped_questions: dict[str, list[str]] = field(default_factory=dict)
    # the working-day calendar years of the period checked, with their source (a county override shows)
    calendar: list[Any] = field(default_factory=list)
    # person id -> month -> kind -> days, for people with a stay question; only when check() is asked for it
    # (check(..., attendance_months=True), as the HTML report does). Not part of the JSON report.
    attendance_months: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    # points organisations lose, added up per body and year (deductions.py); consequences, not findings
    deductions: list[Any] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = dict.fromkeys(SEVERITIES, 0)
        for r in self.results:
            for i in r.items:
                c[i.severity] += 1
        return c

    def calendar_missing(self) -> dict[int, int]:
        """Years of the working-day calendar the check needed but lacks -> how many checks were not judged."""
        out: dict[int, int] = {}
        for r in self.results:
            nj = r.decided.get("not_judged") if r.outcome == "not_judged" else None
            if nj and nj.get("reason") == CALENDAR_MISSING:
                out[nj["year"]] = out.get(nj["year"], 0) + 1
        return dict(sorted(out.items()))

    def exit_code(self, fail_on: str = "violation") -> int:
        """1 when findings at or above `fail_on`; else 4 when checks went unjudged for want of a calendar year
        (a CI job must notice that they were not performed); else 0."""
        c = self.counts()
        if any(c[s] for s in failing(fail_on)):
            return 1
        return CALENDAR_MISSING_EXIT if self.calendar_missing() else 0

    def to_dict(self, results: bool = True) -> dict[str, Any]:
        return {
            "roster": self.roster,
            "as_of": self.as_of.isoformat(),
            "period_from": self.period_from.isoformat(),
            "people": self.people,
            "villages": self.villages,
            "jurisdictions": self.jurisdictions,
            "counts": self.counts(),
            "questions_not_checked": self.skipped_questions,
            "calendar_missing": [{"year": y, "checks": n} for y, n in self.calendar_missing().items()],
            "calendar": [c.model_dump(mode="json") for c in self.calendar],
            "deductions": [d.model_dump(mode="json") for d in self.deductions],
            **({"results": [r.to_dict() for r in self.results]} if results else {}),
        }


class Context:
    """What an adapter needs: the roster, the date, the period, and a decide() that locates bad facts."""

    def __init__(
        self,
        roster: Roster,
        library: Library,
        as_of: dt.date,
        period_from: dt.date,
        engine: str,
        release_rows: bool = False,
    ) -> None:
        self.roster = roster
        self.release_rows = release_rows
        self.library = library
        self.as_of = as_of
        self.period_from = period_from
        self.engine = engine
        self.problems: list[str] = []

    def decide(
        self, j: Jurisdiction, question: str, facts: dict[str, Any], on: dt.date, where: Callable[[str], str]
    ) -> Decision | None:
        """Decide, or record each rejected fact at its roster cell (`where(field path)`) and return None."""
        try:
            return j.decide(question, facts, on, engine=self.engine)
        except FactError as e:
            for fld, msg in e.problems:
                self.problems.append(
                    f"{where(fld)}: {question}: {fld}: {msg}" if fld else f"{where(fld)}: {question}: {msg}"
                )
            return None

    def prepare(self) -> None:
        """Build now what the adapters build on first use (aggregates, indexes), e.g. before forking."""
        self.attendance_summary()
        self.appraisals_of("")
        self.events_of("")

    def attendance_summary(self) -> Any:
        """The column-wise aggregates of a Parquet attendance (columnar.Summary), or None for records."""
        if hasattr(self, "_summary"):
            return self._summary
        if self.roster.attendance_frame is None:
            return None
        from .columnar import records_of, summarize

        self._summary, rest = summarize(self.roster.attendance_frame, self.period_from, self.as_of)
        # People the aggregates cannot stand for are decided from their records, as before.
        self._fallback = records_of(rest)
        if self.release_rows:
            # Nothing reads the rows again in this check; a province's take a gigabyte with polars' buffers.
            self.roster.attendance_frame = None
            self.roster.attendance = {}
            self.roster.rows_released = True
        return self._summary

    def records(self, pid: str) -> list[tuple[dt.date, str, int]]:
        """A person's attendance records (date, kind, row), in file order."""
        if self.attendance_summary() is not None:
            return self._fallback.get(pid, [])
        return self.roster.attendance.get(pid, [])

    def columnar(self, pid: str) -> Any:
        """The aggregates to decide this person from, or None when their records are to be used."""
        s = self.attendance_summary()
        return s if s is not None and pid not in s.fallback else None

    def appraisals_of(self, pid: str) -> list[Row]:
        if not hasattr(self, "_appraisals"):
            self._appraisals: dict[str, list[Row]] = {}
            for a in self.roster.appraisals:
                if a.values.get("subject") != "team":  # a team's row is the county's (appraisal_roster)
                    self._appraisals.setdefault(a.values["person_id"], []).append(a)
        return self._appraisals.get(pid, [])

    def events_of(self, pid: str) -> list[Row]:
        if not hasattr(self, "_events"):
            self._events: dict[str, list[Row]] = {}
            for ev in self.roster.events:
                self._events.setdefault(ev.values["person_id"], []).append(ev)
            for evs in self._events.values():
                evs.sort(key=lambda e: e.values["date"])
        return self._events.get(pid, [])


def failing(fail_on: str) -> tuple[str, ...]:
    """The severities that fail a check under --fail-on: that one and the more serious ones (none: never)."""
    return () if fail_on == "never" else SEVERITIES[: SEVERITIES.index(fail_on) + 1]


Scope = str  # "person" | "village" | "county"


@dataclass
class Adapter:
    """Turns roster rows into one question's facts and its decisions into findings."""

    question: str
    scope: Scope
    run: Callable[[Context, Jurisdiction, list[Row]], list[CaseResult]]
    title_zh: str = ""


ADAPTERS: dict[str, Adapter] = {}
# Questions that adapters ask on the way (stay_requirement tells stay_compliance which periods to judge).
CONSULTED = {"stay_requirement"}


def adapter(question: str, scope: Scope, title_zh: str = "") -> Callable[[Callable[..., list[CaseResult]]], Any]:
    def register(fn: Callable[[Context, Jurisdiction, list[Row]], list[CaseResult]]) -> Any:
        ADAPTERS[question] = Adapter(question, scope, fn, title_zh)
        return fn

    return register


def _units(people: list[Row], scope: Scope) -> Iterator[list[Row]]:
    if scope == "person":
        for p in people:
            yield [p]
    elif scope == "village":
        villages: dict[str, list[Row]] = {}
        for p in people:
            villages.setdefault(p.values["village"], []).append(p)
        yield from villages.values()
    else:
        yield people


PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal (a CI log)


class _Progress:
    """Progress of a check: a bar on a terminal, or a line every PROGRESS_EVERY seconds in a log (`lines`).

    Either starts only once the check has taken more than a second.
    """

    def __init__(self, total: int, mode: str | None) -> None:
        self.total = total
        self.mode = mode  # "bar", "lines" or None
        self.start = time.monotonic()
        self.last_line = self.start
        self.done = 0
        self.bar: Any = None
        self.task: Any = None
        self.lines = 0

    def advance(self, done: int | None = None) -> None:
        """One more unit done, or `done` units in all (when other processes share the work)."""
        self.done = self.done + 1 if done is None else done
        if self.mode == "lines":
            now = time.monotonic()
            if now - self.last_line >= (PROGRESS_EVERY if self.lines else 1.0) and now - self.start > 1.0:
                self.last_line = now
                self.lines += 1
                self._line(now)
            return
        if self.mode != "bar":
            return
        if self.bar is None and time.monotonic() - self.start > 1.0:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("核查 checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("check", total=self.total, completed=self.done)
        elif self.bar is not None:
            self.bar.update(self.task, completed=self.done)

    def _line(self, now: float) -> None:
        took = now - self.start
        pct = 100 * self.done / self.total if self.total else 100.0
        # No estimate from the first few units (workers report theirs in chunks).
        left = f" · 约剩 about {took * (self.total - self.done) / self.done:.0f} s left" if pct >= 1 else ""
        print(f"核查 checking {self.done}/{self.total} ({pct:.0f}%) · {took:.0f} s{left}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
        if self.lines:  # the log says the work ended, not only how far it got
            took = time.monotonic() - self.start
            print(f"核查完成 checked {self.done}/{self.total} in {took:.0f} s", file=sys.stderr, flush=True)


def _progress_mode(progress: bool | str | None) -> str | None:
    if progress is None:  # a library call: a bar on a terminal, silence otherwise
        return "bar" if sys.stderr.isatty() else None
    if progress == "auto":  # the command line: a bar on a terminal, lines in a log
        return "bar" if sys.stderr.isatty() else "lines"
    if progress in ("bar", "lines"):
        return str(progress)
    return "bar" if progress else None


def resolve_jurisdictions(roster: Roster, library: Library) -> dict[str, list[Row]]:
    """Group people by jurisdiction id; a jurisdiction may be written as its id or its Chinese name."""
    by_name = {library.jurisdiction(j).name_zh: j for j in library.jurisdictions()}
    # A county may be written by its own name (石泉县) when that ends exactly one full name.
    fulls = list(by_name)
    for j in library.jurisdictions():
        full = library.jurisdiction(j).name_zh
        for cut in range(1, len(full)):
            short = full[cut:]
            if len(short) >= 2 and sum(n.endswith(short) for n in fulls) == 1:
                by_name.setdefault(short, j)
    known = set(library.jurisdictions())
    groups: dict[str, list[Row]] = {}
    problems = []
    for p in roster.people:
        jid = p.values["jurisdiction"]
        jid = jid if jid in known else by_name.get(jid)
        if jid is None:
            problems.append(
                f"{p.at('jurisdiction')}: 未知的辖区 unknown jurisdiction {p.values['jurisdiction']!r}; "
                f"已知 known: {', '.join(sorted(known))}"
            )
            continue
        p.values["jurisdiction"] = jid
        # A role label two counties declared stayed a label when read (roster.schema._role): now the county is known.
        several = declared_by_label("role", p.values.get("role") or "")
        if len(several) > 1:
            role = p.values["role"]
            own = [i for i in several if i in library.jurisdiction(jid).declared.get("role", ())]
            if len(own) != 1:
                problems.append(f"{p.at('role')}: {jid} 没有名为 {role!r} 的角色 declares no role labelled {role!r}")
                continue
            p.values["role"] = own[0]
        groups.setdefault(jid, []).append(p)
    if problems:
        raise RosterError(problems)
    return groups


def check(
    roster: Roster,
    library: Library,
    as_of: dt.date,
    *,
    period_from: dt.date | None = None,
    engine: str = "durable",
    questions: list[str] | None = None,
    progress: bool | str | None = None,
    jobs: int | None = None,
    release_rows: bool = False,
    attendance_months: bool = False,
) -> CheckReport:
    """Check every person and team of `roster` against the packs of their jurisdiction in force on `as_of`.

    Raises RosterError listing every cell whose value a question rejects; nothing is reported then.
    `jobs` processes decide (default: one per core for a large roster, where fork is available; see
    roster.parallel); the report is the same for any number. `release_rows` lets go of a Parquet
    attendance's rows once they are aggregated, for a roster checked once (as the command line does):
    the roster cannot be checked again, and says so. `attendance_months` also counts the days of each
    kind per month of everyone with a stay question (CheckReport.attendance_months, for the HTML report).
    """
    if roster.rows_released:
        raise VillagePolicyError(
            "名册的考勤行已在上次核查后释放 this roster's attendance rows were released by an earlier "
            "check(release_rows=True); read the roster again to check it again"
        )
    from . import adapters  # registers the shipped adapters

    if period_from is None:
        period_from = _year_before(as_of)
    if period_from > as_of:
        raise FactError([("--from", f"{period_from} 晚于 is after --as-of {as_of}")])
    groups = resolve_jurisdictions(roster, library)
    ctx = Context(roster, library, as_of, period_from, engine, release_rows)
    plan: list[tuple[Jurisdiction, Adapter, list[Row]]] = []
    skipped: dict[str, list[str]] = {}
    unread: list[str] = []  # records rows no question reads
    for jid, people in sorted(groups.items()):
        j = library.jurisdiction(jid)
        answered = j.questions()
        skipped[jid] = [q for q in answered if q not in ADAPTERS and q not in CONSULTED]
        for q in ADAPTERS:  # in the order they were registered
            if q not in answered or (questions is not None and q not in questions):
                continue
            ad = ADAPTERS[q]
            plan.extend((j, ad, unit) for unit in _units(people, ad.scope))
        for ad in _declared_adapters(j, questions):  # questions the jurisdiction's packs declare, with `roster:`
            skipped[jid].remove(ad.question)
            plan.extend((j, ad, unit) for unit in _units(people, ad.scope))
        unread += _unknown_records(roster, j, people)
    if unread:
        raise RosterError(unread)
    if any(_reads_attendance(j, ad.question) for j, ad, _ in plan if ad.question not in ADAPTERS):
        ctx.release_rows = False  # a declared question reads the attendance rows themselves
    workers = jobs_for(len(plan), jobs)
    if workers > 1:
        # What every unit reads is prepared before the workers fork, so that it is done once.
        ctx.prepare()

    def decide_share(indices: Iterable[int]) -> list[tuple[list[CaseResult], list[str]]]:
        out = []
        for i in indices:
            j, ad, unit = plan[i]
            before = len(ctx.problems)
            try:
                got = ad.run(ctx, j, unit)
            except UnknownQuestion:
                got = []  # a question an adapter consults (e.g. stay_requirement) that this jurisdiction lacks
            except workdays.CalendarMissing as e:
                # Never abort the report for it: this check is listed as not judged, the rest is checked.
                got = [_calendar_not_judged(adapters, j, ad, unit, e)]
            out.append((got, ctx.problems[before:]))
        return out

    bar = _Progress(len(plan), _progress_mode(progress))
    try:
        with gc_paused(), workdays.using(library.calendar):
            # County-wide units first: one holds every person's decision for a while, best while little else is held.
            first = [i for i, (_, ad, _) in enumerate(plan) if ad.scope == "county"]
            decided = run_shares(len(plan), workers, decide_share, bar.advance, first)
    finally:
        bar.close()
    results = [r for got, _ in decided for r in got]
    problems = [p for _, found in decided for p in found]
    if problems:
        raise RosterError(problems)
    months = {}
    if attendance_months:
        from .monthly import monthly_attendance

        stay = {r.subject for r in results if r.question == "stay_compliance"}
        months = monthly_attendance(ctx, [p.values["id"] for p in roster.people if p.values["id"] in stay])
    return CheckReport(
        roster=roster.path,
        as_of=as_of,
        period_from=period_from,
        results=results,
        people=len(roster.people),
        villages=len({(p.values["jurisdiction"], p.values["village"]) for p in roster.people}),
        jurisdictions=sorted(groups),
        skipped_questions={k: v for k, v in skipped.items() if v},
        attendance_months=months,
        calendar=library.calendar_years(range(period_from.year, as_of.year + 1)),
        deductions=add_up(results, roster.people, library),
    )


def _declared_adapters(j: Jurisdiction, questions: list[str] | None) -> list[Adapter]:
    from functools import partial

    from .adapters import declared_question

    out = []
    for name in j.questions():
        spec = getattr(j.question(name), "declared_spec", None)
        if spec is None or spec.roster is None or (questions is not None and name not in questions):
            continue
        out.append(Adapter(name, spec.roster.scope, partial(declared_question, name=name), spec.title_zh))
    return out


def _record_sources(spec: Any) -> dict[str, str]:
    """A declared question's records facts -> the sheet each is read from (records or attendance)."""
    given = spec.roster.facts if spec.roster is not None else {}
    return {n: given.get(n, "records") for n, f in spec.facts.items() if f.of_type == "records"}


def _reads_attendance(j: Jurisdiction, name: str) -> bool:
    spec = getattr(j.question(name), "declared_spec", None)
    return spec is not None and "attendance" in _record_sources(spec).values()


def _unknown_records(roster: Roster, j: Jurisdiction, people: list[Row]) -> list[str]:
    """A records row that no declared question of the person's jurisdiction reads: said, never skipped."""
    if not roster.records:
        return []
    kinds: dict[str, set[str]] = {}
    for ad in _declared_adapters(j, None):
        spec = j.question(ad.question).declared_spec
        for fname, sheet in _record_sources(spec).items():
            f = spec.facts[fname]
            if sheet == "records":
                kinds.setdefault(ad.question, set()).update([*f.kinds, *f.kinds.values()])
    ids = {p.values["id"] for p in people}
    out = []
    for r in roster.records:
        if r.values["person_id"] not in ids:
            continue
        asked = r.values.get("question")
        if asked is not None and asked not in kinds:
            out.append(f"{r.at('question')}: 未知的问题 unknown question {asked!r}; 可用 known: {', '.join(kinds)}")
        elif not any(r.values["kind"] in k for q, k in kinds.items() if asked in (None, q)):
            known = sorted({x for k in kinds.values() for x in k})
            text = f"没有问题读取此类别 no question reads kind {r.values['kind']!r}; 可用 known: {', '.join(known)}"
            out.append(f"{r.at('kind')}: {text}")
    return out


def _calendar_not_judged(
    adapters: Any, j: Jurisdiction, ad: Adapter, unit: list[Row], e: workdays.CalendarMissing
) -> CaseResult:
    if ad.scope == "person":
        subject: Row | str = unit[0]
        kw: dict[str, Any] = {}
    elif ad.scope == "village":
        subject, kw = unit[0].values["village"], {}
    else:
        subject, kw = j.id, {"village": j.spec.whole_zh or j.name_zh}
    zh = (
        f"缺少 {e.year} 年工作日历（计算 {e.what} 时需要），未判定；国务院办公厅通知发布后用 "
        f"`{workdays.IMPORT_COMMAND}` 加入"
    )
    en = (
        f"no working-day calendar for {e.year} (needed for {e.what}): not judged; once the State Council's "
        f"notice is out, add it with `{workdays.IMPORT_COMMAND_EN}`"
    )
    r = adapters.not_judged(j, subject, ad.question, CALENDAR_MISSING, zh, en, **kw)
    r.decided["not_judged"]["year"] = e.year
    return r


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)

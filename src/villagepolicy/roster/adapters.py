"""Roster adapters: roster rows -> a question's facts -> vp.decide -> findings.

One adapter per question, registered by name; `check` runs the adapters of the questions each
jurisdiction answers. Adapters hold no policy: thresholds, tiers and consequences come from the
packs through the decisions; an adapter only says which outcome ids of its question are a
violation or a warning for a roster report, and where each fact came from.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable
from typing import Any

from ..calendar import is_working_day, working_days_between
from ..decision import Decision
from ..library import Jurisdiction
from ..questions.appraisal import SCALES
from ..questions.escalation import OPTIONAL_FIELDS
from ..vocabulary import ACTIONS, AUTHORITIES
from ..words import label
from .check import SEVERITIES, CaseResult, Context, Item, Row, adapter
from .columnar import LEAVE_KINDS
from .schema import GRADES, PEOPLE, VILLAGE_TAGS

# Person facts read from the people table for eligibility (issue 3's contract); absent cells are left out.
ELIGIBILITY_FIELDS = (
    "role",
    "birth_date",
    "full_member_since",
    "clerk_since",
    "party_status",
    "employment",
    "education",
    "rank",
    "unit_level",
    "unit_leadership_member",
    "fit_for_duty",
    "village_tags",
)


def items_from(d: Decision, bad: dict[str, str], headline: tuple[str, str]) -> list[Item]:
    """Failed findings and manual checks of a decision, plus a headline item when the outcome itself is bad."""
    items: list[Item] = []
    for f in d.findings:
        if f.passed:
            continue
        # A hedged condition (原则上, 一般) that fails is a warning; otherwise the finding's own severity.
        sev = "warning" if f.hedged else f.severity if f.severity in SEVERITIES else "violation"
        items.append(Item(sev, f.message_zh, f.message_en, [f.citation] if f.citation else list(d.citations), f.rule))
    for f in d.manual_checks:
        if not f.passed:
            cites = [f.citation] if f.citation else list(d.citations)
            items.append(Item("manual_check", f.message_zh, f.message_en, cites, f.rule))
    sev = bad.get(d.outcome)
    # The outcome itself is reported only when no failed finding already says why.
    if sev and not any(i.severity in ("violation", "warning") for i in items):
        items.append(Item(sev, headline[0], headline[1], list(d.citations), d.trace[0] if d.trace else None))
    return items


def result(
    j: Jurisdiction, subject: Row | str, question: str, d: Decision | None, items: list[Item], **kw: Any
) -> CaseResult:
    if isinstance(subject, Row):
        village, sid, name = subject.values["village"], subject.values["id"], subject.values["name"]
    else:
        village, sid, name = kw.pop("village", subject), subject, ""
    return CaseResult(
        jurisdiction=j.id,
        village=village,
        subject=sid,
        name=name,
        question=question,
        outcome=kw.pop("outcome", d.outcome if d else "none"),
        items=items,
        rules=list(d.trace) if d else [],
        citations=list(d.citations) if d else [],
        decided=_decided(d, kw.pop("exclude", None), kw.pop("dumped", None)),
        **kw,
    )


def not_judged(
    j: Jurisdiction, subject: Row | str, question: str, reason: str, zh: str, en: str, **kw: Any
) -> CaseResult:
    """A check that could not be judged, and why: listed in the report, never silently dropped."""
    r = result(j, subject, question, None, [], outcome="not_judged", **kw)
    r.decided = {"not_judged": {"reason": reason, "message_zh": zh, "message_en": en}}
    return r


# `calendar` is reported once for the whole check (CheckReport.calendar): attendance aggregated column-wise
# counts working days before deciding, so a decision's own list would differ between the two paths.
_NOT_DECIDED = {
    "jurisdiction",
    "question",
    "on",
    "citations",
    "trace",
    "packs",
    "notes",
    "findings",
    "manual_checks",
    "calendar",
}


def _decided(
    d: Decision | None, exclude: dict[str, Any] | None = None, dumped: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the decision said beyond its outcome; `dumped` is d.to_dict() when the caller has it already."""
    if d is None:
        return {}
    data = (
        dumped if dumped is not None else d.to_dict() if exclude is None else d.model_dump(mode="json", exclude=exclude)
    )
    return {k: v for k, v in data.items() if k not in _NOT_DECIDED and v not in ([], {}, None)}


# Each person's grade decision is reported as their own appraisal_grade result: the county's result
# keeps each person's entry (outcome, grade, score, rank, over the quota or not) without repeating it.
ROSTER_ENTRY_DECISIONS = {"people": {"__all__": {"decision"}}}


def person_where(p: Row) -> Callable[[str], str]:
    def where(fld: str) -> str:
        top = fld.split(".")[0]
        if top in p.source.columns:
            return p.at(top)
        # The column is not in the table at all: say which one the question needs.
        return p.at() + (f" (缺少列 no column {top})" if top and top in PEOPLE.by_header else "")

    return where


def stationed_on(p: Row, day: dt.date) -> bool:
    start, end = p.get("stationed_from"), p.get("stationed_until")
    return (start is None or start <= day) and (end is None or day <= end)


def outcome_text(d: Decision) -> tuple[str, str]:
    zh = f"{label(d.outcome, d.question)} ({d.outcome})"
    return zh, d.outcome.replace("_", " ")


# ── eligibility (issue 3) ──
@adapter("eligibility", "person", "人选条件")
def eligibility(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    p = unit[0]
    facts = {k: p.values[k] for k in ELIGIBILITY_FIELDS if k in p.values}
    # Eligibility is judged at selection: the day the person was stationed, when the roster gives it.
    on = p.get("stationed_from") or ctx.as_of
    d = ctx.decide(j, "eligibility", facts, on, person_where(p))
    if d is None:
        return []
    zh, en = outcome_text(d)
    items = items_from(
        d,
        {"ineligible": "violation", "needs_approval": "warning"},
        (f"不符合{label(p.values['role'])}人选条件 {zh}", f"not eligible as {p.values['role']}: {en}"),
    )
    out = [result(j, p, "eligibility", d, items)]
    if p.values["role"] == "first_secretary" and p.get("leads_team"):
        # A first secretary who also leads the team (兼任队长) holds the leader's post too: the leader's
        # conditions (Tongwei 4: 必须为科级领导干部或科级后备干部) apply to whoever leads.
        lead = ctx.decide(j, "eligibility", {**facts, "role": "team_leader"}, on, person_where(p))
        if lead is not None and lead.outcome != "not_covered":
            zh, en = outcome_text(lead)
            seen = {(i.severity, i.message_zh) for i in items}
            extra = items_from(
                lead,
                {"ineligible": "violation", "needs_approval": "warning"},
                (f"兼任队长，不符合工作队长人选条件 {zh}", f"leads the team, not eligible as team_leader: {en}"),
            )
            extra = [i for i in extra if (i.severity, i.message_zh) not in seen]
            out.append(result(j, p, "eligibility", lead, extra, period="兼任队长 as team_leader"))
    return out


# ── team_composition (issue 3) ──
@adapter("team_composition", "village", "工作队组成")
def team_composition(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    present = [p for p in unit if stationed_on(p, ctx.as_of)]
    if not present:
        village = unit[0].values["village"]
        return [
            not_judged(j, village, "team_composition", "nobody_stationed",
                       f"{ctx.as_of} 无人在该村驻村（驻村开始/结束日期），未判定工作队组成",
                       f"nobody is stationed in {village} on {ctx.as_of} (stationed_from/until)", village=village)
        ]  # fmt: skip
    village = present[0].values["village"]
    tags: set[str] = set()
    for p in present:
        tags.update(p.get("village_tags") or [])
    members = []
    for p in present:
        m: dict[str, Any] = {"role": p.values["role"]}
        if "dispatched_by_town" in p.values:
            m["dispatched_by_town"] = p.values["dispatched_by_town"]
        members.append(m)
    facts: dict[str, Any] = {"village_tags": [t for t in VILLAGE_TAGS if t in tags], "members": members}
    secretaries = [p for p in present if p.values["role"] == "first_secretary"]
    sized = [p for p in secretaries + present if p.get("unit_staff_size") is not None]
    if sized:
        facts["unit_staff_size"] = sized[0].values["unit_staff_size"]
    # The leader is the first secretary when a first secretary row says it leads the team (任队长);
    # a separate team_leader row, or a first secretary marked 否, means it is not.
    leads = [p.values["leads_team"] for p in secretaries if "leads_team" in p.values]
    if any(leads):
        facts["leader_is_first_secretary"] = True
    elif leads or any(p.values["role"] == "team_leader" for p in present):
        facts["leader_is_first_secretary"] = False
    elif not secretaries:
        # A vacant first secretary's post: nobody can be the first secretary leading the team. The vacancy
        # is the question's finding about the village (没有第一书记), not a bad cell of someone else's row.
        facts["leader_is_first_secretary"] = False
    vacant = [r for r, held in (("first_secretary", secretaries), ("team_leader", _leaders(present))) if not held]

    def where(fld: str) -> str:
        parts = fld.split(".")
        if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(present):
            return person_where(present[int(parts[1])])(".".join(parts[2:]) or "role")
        if parts[0] == "leader_is_first_secretary":
            if not secretaries:  # never blame another person's 任队长 cell: the village has no first secretary
                return present[0].at("village")
            row = secretaries[0]
            return row.at("leads_team") if "leads_team" in row.source.columns else row.at()
        return person_where(present[0])(parts[0])

    d = ctx.decide(j, "team_composition", facts, ctx.as_of, where)
    if d is None:
        return []
    zh, en = outcome_text(d)
    items = items_from(
        d,
        {"non_compliant": "violation", "compliant_with_warnings": "warning"},
        (f"{village}工作队组成不符合规定 {zh}", f"team of {village}: {en}"),
    )
    if vacant:
        shown = "、".join(label(r) for r in vacant)
        for i in items:
            if i.severity in ("violation", "warning"):
                i.message_zh = f"{village}岗位空缺 vacant: {shown}；{i.message_zh}"
                i.message_en = f"{village}: vacant post ({', '.join(vacant)}); {i.message_en}"
                break
    return [result(j, village, "team_composition", d, items, village=village)]


def _leaders(present: list[Row]) -> list[Row]:
    """Who leads the team: a team_leader row, or a first secretary marked 任队长 (or not marked 否)."""
    return [
        p
        for p in present
        if p.values["role"] == "team_leader" or (p.values["role"] == "first_secretary" and p.get("leads_team", True))
    ]


# ── stay_requirement + stay_compliance (issue 4) ──
def _months(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first, last = dt.date(y, m, 1), dt.date(y, m, monthrange(y, m)[1])
        if first >= start and last <= end:
            out.append((f"{y:04d}-{m:02d}", first, last))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _years(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    return [
        (f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31))
        for y in range(start.year, end.year + 1)
        if dt.date(y, 1, 1) >= start and dt.date(y, 12, 31) <= end
    ]


def _stay_requirement(ctx: Context, j: Jurisdiction, p: Row) -> Decision | None:
    """stay_requirement's answer for this person (None where the jurisdiction has no such question)."""
    if "stay_requirement" not in j.questions():
        return None
    facts: dict[str, Any] = {"role": p.values["role"]}
    for k in ("in_county_town_planning_area", "km_from_town_seat", "village_within_3km"):
        if k in p.values:
            facts[k] = p.values[k]
    # The answer depends on these facts alone: asked once per jurisdiction and distinct facts.
    key = (j.id, tuple(sorted(facts.items())))
    memo = ctx.__dict__.setdefault("_stay_requirements", {})
    d = memo.get(key)
    if d is None:
        d = ctx.decide(j, "stay_requirement", facts, ctx.as_of, person_where(p))
        if d is not None:  # a rejected fact is recorded at each person's own cell
            memo[key] = d
    return d


def _period_kinds(ctx: Context, j: Jurisdiction, p: Row) -> tuple[bool, bool]:
    """Whether this person's stay is judged per month, per year, or both, from stay_requirement's answer."""
    d = _stay_requirement(ctx, j, p)
    req = getattr(d, "requirement", None) if d is not None else None
    if req is None:
        return True, True
    req = req if isinstance(req, dict) else req.model_dump() if hasattr(req, "model_dump") else dict(req)
    monthly = req.get("min_days_per_month") is not None
    yearly = req.get("min_working_days_per_year") is not None or req.get("min_in_village_days_per_year") is not None
    # A document that sets no day count (the central guideline) is still asked, per year, and says so.
    return (monthly, yearly) if (monthly or yearly) else (False, True)


def _extras(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    """`k=value` of these keys of a decision's to_dict(), where given."""
    parts = [f"{k}={data[k]}" for k in keys if data.get(k) not in (None, [], {})]
    return "; ".join(parts)


@adapter("stay_compliance", "person", "驻村天数")
def stay_compliance(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    p = unit[0]
    monthly, yearly = _period_kinds(ctx, j, p)
    start = max(ctx.period_from, p.get("stationed_from") or ctx.period_from)
    end = min(ctx.as_of, p.get("stationed_until") or ctx.as_of)
    periods = (_months(start, end) if monthly else []) + (_years(start, end) if yearly else [])
    if not periods:
        whole = "月或年" if monthly and yearly else "月" if monthly else "年"
        since, until = p.get("stationed_from") or "—", p.get("stationed_until") or "—"
        zh = f"核查期间 {ctx.period_from} 至 {ctx.as_of} 内驻村期间（{since} 至 {until}）"
        zh += f"没有完整的{whole}，未判定驻村天数"
        en = f"no whole {'month' if monthly else 'year'} of the period {ctx.period_from}..{ctx.as_of} while stationed"
        return [not_judged(j, p, "stay_compliance", "no_whole_period", zh, en)]
    columns = ctx.columnar(p.values["id"])
    records = [] if columns is not None else sorted(ctx.records(p.values["id"]))
    out = []
    for period, first, last in periods:
        chosen = [r for r in records if first <= r[0] <= last]
        facts: dict[str, Any] = {"role": p.values["role"], "period": period}
        if columns is not None:
            # Day counts per month and kind, aggregated column-wise: the same decision as from the records.
            facts["counts"] = columns.counts(p.values["id"], first, last)
        else:
            facts["records"] = [{"date": r[0], "kind": r[1]} for r in chosen]

        def where(fld: str, chosen: list[tuple[dt.date, str, int]] = chosen) -> str:
            parts = fld.split(".")
            if parts[0] == "records" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(chosen):
                return ctx.roster.attendance_at(chosen[int(parts[1])][2], parts[2] if len(parts) > 2 else "date")
            return person_where(p)(parts[0])

        d = ctx.decide(j, "stay_compliance", facts, ctx.as_of, where)
        if d is None:
            continue
        dumped = d.to_dict()
        detail = _extras(dumped, ("counts", "shortfall"))
        items = items_from(
            d,
            {"non_compliant": "violation"},
            (f"{period} 驻村时间不达标 stay requirement not met: {detail}", f"{period}: stay requirement not met"),
        )
        out.append(result(j, p, "stay_compliance", d, items, period=period, dumped=dumped))
    return out


# ── lodging and night duty: stay_requirement's lodging (Shiquan 12, Tongwei 13) ──
LODGING_COLUMNS = ("lodges_in_village", "night_duty")


def _first(d: Decision) -> str | None:
    return d.trace[0] if d.trace else None


def _basis_cites(d: Decision, fld: str) -> list[Any]:
    refs = set(getattr(d, "basis", {}).get(fld) or [])
    return [c for c in d.citations if f"{c.pack}:{c.clause}" in refs] or list(d.citations)


@adapter("stay_requirement", "village", "吃住在村与夜间值班")
def lodging(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    """Where the roster records lodging (吃住在村) or night duty (夜间值班), each is checked against the
    lodging the jurisdiction requires: living in the village, or, where the document allows it (Shiquan 12,
    villages within 3 km), a night rota of at least N members. A roster without these columns is not asked."""
    present = [p for p in unit if stationed_on(p, ctx.as_of) and any(c in p.values for c in LODGING_COLUMNS)]
    out: list[CaseResult] = []
    rota: list[tuple[Row, Decision, int]] = []
    for p in present:
        d = _stay_requirement(ctx, j, p)
        req = getattr(d, "requirement", None) if d is not None else None
        kind = getattr(req, "lodging", None)
        if kind == "depends_on_village_location":
            zh = "吃住要求取决于村的位置：未填“县城规划区内”和“距镇政府驻地公里数”，未判定吃住在村"
            en = (
                "the lodging rule depends on the village's location: in_county_town_planning_area and "
                "km_from_town_seat are not given"
            )
            out.append(not_judged(j, p, "stay_requirement", "village_location_unknown", zh, en,
                                  period="吃住在村 lodging"))  # fmt: skip
        if d is None or req is None or kind not in ("eat_and_live_in_village", "night_duty_rota"):
            continue
        items: list[Item] = []
        if kind == "eat_and_live_in_village" and p.get("lodges_in_village") is False:
            items.append(Item("violation", "未按要求吃住在村 does not eat and live in the village",
                              "must eat and live in the village", _basis_cites(d, "lodging"), _first(d)))  # fmt: skip
        if kind == "night_duty_rota":
            rota.append((p, d, req.night_duty_min_members or 1))
        if kind == "eat_and_live_in_village" and "lodges_in_village" in p.values:
            out.append(result(j, p, "stay_requirement", d, items, period="吃住在村 lodging",
                              outcome="non_compliant" if items else "compliant"))  # fmt: skip
    if rota:
        p0, d, need = rota[0]
        village = p0.values["village"]
        # Members who do not live in the village: the team answers for the night with a rota of `need`.
        away = [p for p, _, _ in rota if p.get("lodges_in_village") is not True]
        on_duty = [p for p, _, _ in rota if p.get("night_duty") is True]
        items = []
        if away and len(on_duty) < need:
            zh = f"{village}夜间值班{len(on_duty)}人，少于{need}人（不吃住在村的队员{len(away)}人）"
            en = f"{village}: {len(on_duty)} on night duty, fewer than {need}"
            items.append(Item("violation", zh, en, _basis_cites(d, "night_duty_min_members"), _first(d)))
        out.append(result(j, village, "stay_requirement", d, items, village=village, period="夜间值班 night duty",
                          outcome="non_compliant" if items else "compliant"))  # fmt: skip
    return out


# ── escalation (issue 5) ──
EVENT_FIELDS = OPTIONAL_FIELDS  # what an event of some kind carries besides its date and kind


def _history(events: list[Row]) -> list[dict[str, Any]]:
    history = []
    for e in events:
        ev = {"date": e.values["date"], "kind": e.values["kind"]}
        ev.update({k: e.values[k] for k in EVENT_FIELDS if k in e.values})
        history.append(ev)
    return history


@adapter("escalation", "person", "违规处理")
def escalation(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    p = unit[0]
    # Events after the as-of date have not happened yet from the check's point of view.
    events = [e for e in ctx.events_of(p.values["id"]) if e.values["date"] <= ctx.as_of]
    history = _history(events)
    sources: list[tuple[Row | int, str]] = [(e, "kind") for e in events]
    # A grade given in the appraisals table is also an annual_grade event of that year (dated its last
    # day), unless the events table already records one: the roster need not say it twice.
    graded = {e.values["date"].year for e in events if e.values["kind"] == "annual_grade"}
    for a in ctx.appraisals_of(p.values["id"]):
        year, grade = a.values["year"], a.get("grade")
        if grade is None or year in graded:
            continue
        if a.get("subject", "individual") != "individual" or dt.date(year, 12, 31) > ctx.as_of:
            continue
        history.append({"date": dt.date(year, 12, 31), "kind": "annual_grade", "grade": grade})
        sources.append((a, "grade"))
    for ev, row in unapproved_leave_events(ctx, p.values["id"], events):
        history.append(ev)
        sources.append((row, "kind"))
    derived, disagree = shortfall_months(ctx, p, events)
    for ev in derived:
        history.append(ev)
        sources.append((p, "id"))
    order = sorted(range(len(history)), key=lambda i: history[i]["date"])
    history, sources = [history[i] for i in order], [sources[i] for i in order]

    def where(fld: str) -> str:
        parts = fld.split(".")
        if parts[0] == "history" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(sources):
            row, default = sources[int(parts[1])]
            if isinstance(row, int):  # an attendance record
                return ctx.roster.attendance_at(row, default)
            col = parts[2] if len(parts) > 2 and row.source.file and parts[2] in row.source.columns else default
            return row.at(col) if col in row.source.columns else row.at()
        return person_where(p)(parts[0])

    facts: dict[str, Any] = {"role": p.values["role"], "history": history}
    out = []
    for year in _appraisal_years(ctx) if _takes("escalation", "appraisal_year") else [None]:
        if year is not None:
            facts["appraisal_year"] = year
        d = ctx.decide(j, "escalation", facts, ctx.as_of, where)
        if d is None:
            continue
        if derived and not any(e.values["kind"] == "stay_shortfall_month" for e in events):
            # Months derived from the attendance restate what stay_compliance judges: a document with no rule
            # on shortfall months is not asked to judge them again.
            d.manual_checks = [f for f in d.manual_checks if f.id != "unaddressed.stay_shortfall_month"]
        items = _escalation_items(d) + [
            Item("manual_check", zh, en, list(d.citations), "stay_shortfall_month") for zh, en in disagree
        ]
        prev = out[-1] if out else None
        r = result(j, p, "escalation", d, items, period=str(year) if year else None)
        if prev is not None and items and (prev.outcome, prev.rules) == (r.outcome, r.rules):
            # The same rules on the same events again (a whole-history ladder, e.g. one old grade): one
            # consequence, reported once, in the first year it shows; this year's result points there.
            r.items = []
            r.decided["same_as"] = prev.decided.get("same_as") or prev.period
        out.append(r)
    return out


def unapproved_runs(ctx: Context, pid: str) -> list[tuple[dt.date, dt.date, int, int]]:
    """Runs of consecutive days recorded as leave_unapproved in the period: (first, last, days, first row)."""
    columns = ctx.columnar(pid)
    if columns is not None:
        return list(columns.unapproved_runs.get(pid, []))
    records = [r for r in ctx.records(pid) if r[1] == "leave_unapproved" and ctx.period_from <= r[0] <= ctx.as_of]
    return [(run[0][0], run[-1][0], len(run), run[0][2]) for run in leave_runs(records)]


def unapproved_leave_events(ctx: Context, pid: str, events: list[Row]) -> list[tuple[dict[str, Any], int]]:
    """Each run of days the attendance records as unapproved leave is an `unapproved_leave` event (Shiquan
    13(2): 未履行请销假手续的按违纪论处), dated its first day, unless the events table already records one
    within the run: the same absence is one violation, however the roster writes it."""
    recorded = [e.values["date"] for e in events if e.values["kind"] == "unapproved_leave"]
    out = []
    for first, last, _, row in unapproved_runs(ctx, pid):
        if not any(first <= d <= last for d in recorded):
            out.append(({"date": first, "kind": "unapproved_leave"}, row))
    return out


def _month_kinds(ctx: Context, pid: str, first: dt.date, last: dt.date) -> dict[str, dict[str, tuple[int, int]]]:
    """Days and working days per attendance kind in each month of first..last: month -> kind -> (days, wd)."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    columns = ctx.columnar(pid)
    if columns is not None:
        for c in columns.counts(pid, first, last):
            out.setdefault(c["month"], {})[c["kind"]] = (c["days"], c["working_days"])
        return out
    seen: set[dt.date] = set()
    for day, kind, _ in sorted(ctx.records(pid)):
        if first <= day <= last and day not in seen:  # one kind per day (a second kind is stay_compliance's error)
            seen.add(day)
            month = out.setdefault(f"{day.year:04d}-{day.month:02d}", {})
            n, wd = month.get(kind, (0, 0))
            month[kind] = (n + 1, wd + is_working_day(day))
    return out


# Attendance kinds that record an absence without a reason or approval: a month holding one is not justified.
UNJUSTIFIED_KINDS = ("absent", "leave_unapproved")


def _justified(kinds: dict[str, tuple[int, int]], first: dt.date, last: dt.date) -> bool | None:
    """A month is justified (有正当理由或已履行请假手续) when no day is recorded absent or as unapproved leave and
    every working day is recorded: in the village, or away for a recorded reason (a trip, a meeting, training,
    project work, approved leave). A month the calendar lacks raises CalendarMissing: the check it belongs
    to is then reported as not judged, never judged with a month silently left out."""
    if any(kinds.get(k, (0, 0))[0] for k in UNJUSTIFIED_KINDS):
        return False
    return sum(wd for _, wd in kinds.values()) >= working_days_between(first, last)


def shortfall_months(ctx: Context, p: Row, events: list[Row]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The stay_shortfall_month records the attendance shows, and where the events table says otherwise.

    Each whole month of the period while stationed that has attendance records and is not justified (an
    absence recorded, or a working day with no record) is a month of `days` in the village: the
    ladders that count such months (Tongwei 39.3, Guizhou II.4) see it without the roster writing it twice.
    A month the events table records too is taken from the events table; where its days or its
    justification disagree with the attendance, the disagreement is listed for a person to settle.
    """
    pid = p.values["id"]
    start = max(ctx.period_from, p.get("stationed_from") or ctx.period_from)
    end = min(ctx.as_of, p.get("stationed_until") or ctx.as_of)
    months = _months(start, end)
    if not months:
        return [], []
    tallies = _month_kinds(ctx, pid, months[0][1], months[-1][2])
    recorded = {e.values.get("month"): e for e in events if e.values["kind"] == "stay_shortfall_month"}
    derived, disagree = [], []
    for month, first, last in months:
        kinds = tallies.get(month)
        justified = _justified(kinds, first, last) if kinds else None
        if justified is None:
            continue
        days = kinds.get("in_village", (0, 0))[0]
        e = recorded.get(month)
        if e is not None:
            if (e.values.get("days"), bool(e.values.get("justified"))) != (days, justified) and not (
                justified and e.values.get("justified")
            ):
                said, why = e.values.get("days"), e.values.get("justified")
                zh = f"{month} 事件表记录在村{said}天、正当理由 {why}，考勤显示在村{days}天、"
                zh += f"{'无' if justified else '有'}缺勤或未批准请假（{e.at('days')}）"
                en = f"{month}: events say {e.values.get('days')} days, attendance shows {days}"
                disagree.append((zh, en))
            continue
        if not justified:
            derived.append({"date": last, "kind": "stay_shortfall_month", "month": month, "days": days,
                            "justified": False})  # fmt: skip
    return derived, disagree


def _takes(question: str, fact: str) -> bool:
    from ..questions import QUESTIONS

    q = QUESTIONS.get(question)
    return q is not None and fact in q.facts_model.model_fields


def _appraisal_years(ctx: Context) -> list[int]:
    """The years the period covers more than a day of (so --from 2022-01-01 --as-of 2023-01-01 is 2022)."""
    one = dt.timedelta(days=1)
    first, last = (ctx.period_from + one).year, (ctx.as_of - one).year
    return list(range(min(first, last), last + 1))


def _escalation_items(d: Decision) -> list[Item]:
    items: list[Item] = []
    if d.outcome not in ("none", "not_covered"):
        acts = "、".join(label(a) for a in d.actions)  # label(): a county's own actions (口头警告) too
        dues = "; ".join(
            f"{label(x.get('action'))} {x.get('due') or '—'}"
            for x in (d.to_dict().get("deadlines") or [])
            if isinstance(x, dict)
        )
        zh = f"已触发 triggered: {label(d.outcome, 'escalation')}" + (f"；措施 {acts}" if acts else "")
        zh += f"；期限 deadlines: {dues}" if dues else ""
        set_to = getattr(d, "grade_set", None)
        zh += f"；年度考核直接确定为{label(set_to)}等次" if set_to else ""
        en = f"escalation reached {d.outcome}: {', '.join(d.actions) or 'no action listed'}"
        items = items_from(d, {d.outcome: "violation"}, (zh, en))
    return items


# ── appraisal_grade + appraisal_roster (issue 6) ──
APPRAISAL_FIELDS = ("subject", "score", "quarterly_points", "annual_score", "grade", "months_stationed")
# Consequences that sanction the person (or their unit): a roster finding. Rewards (priority promotion,
# commendation) are not findings. The consequences themselves, and whether they are hedged, come from the packs.
ADVERSE = {
    "recall",
    "accountability",
    "reassignment",
    "no_promotion",
    "unit_leaders_not_excellent",
    "education_rectification",
    "bonus_deduction",
    "admonishment_talk",
    "no_awards_this_year",
}


def _appraisal_facts(ctx: Context, j: Jurisdiction, p: Row | None, a: Row) -> dict[str, Any]:
    facts: dict[str, Any] = {"subject": "individual"}
    facts.update({k: a.values[k] for k in APPRAISAL_FIELDS if k in a.values})
    if p is None:  # a team's row: no one's escalation history caps it
        return facts
    year = a.values["year"]
    events = [e for e in ctx.events_of(p.values["id"]) if e.values["date"] <= min(ctx.as_of, dt.date(year, 12, 31))]
    if events and _takes("appraisal_grade", "escalation"):
        # The escalation history caps the grade (Shiquan 13(4): a second absence bars 优秀).
        esc: dict[str, Any] = {"role": p.values["role"], "history": _history(events)}
        if _takes("escalation", "appraisal_year"):
            esc["appraisal_year"] = year
        facts["escalation"] = esc
    return facts


def _appraisal_where(a: Row, p: Row | None, events: list[Row]) -> Callable[[str], str]:
    def where(fld: str) -> str:
        parts = fld.split(".")
        if parts[0] == "escalation" and len(parts) > 2 and parts[1] == "history" and parts[2].isdigit():
            e = events[int(parts[2])] if int(parts[2]) < len(events) else None
            if e is not None:
                col = parts[3] if len(parts) > 3 else "kind"
                return e.at(col) if col in e.source.columns else e.at()
        top = parts[-1] if parts[0] == "people" else parts[0]
        return a.at(top) if top in a.source.columns else a.at()

    return where


def _appraisal_items(d: Decision, year: int, data: dict[str, Any], cap_cites: list[Any] | None = None) -> list[Item]:
    """Findings of a grade decision (`data` is its to_dict()), and its adverse consequences as one item.

    A recorded grade is itself a fact to judge: one the score's band does not give (Tongwei 28, a band
    stated without 可) or one a 不得评为 cap forbids (Shiquan 13(4)) is a violation, not a grade to lower.
    """
    differs = {f.message_zh for f in d.manual_checks if f.id == "given_grade_differs" and not f.passed}
    items = [i for i in items_from(d, {}, ("", "")) if not (i.severity == "manual_check" and i.message_zh in differs)]
    items += _recorded_grade_items(d, year, data, cap_cites or [])
    cons = [c for c in data.get("consequences") or [] if isinstance(c, dict) and c.get("id") in ADVERSE]
    if cons:
        grade = data.get("grade")
        sev = "warning" if all(c.get("hedged") for c in cons) else "violation"
        shown = "、".join(_consequence(c) for c in cons)
        zh = f"{year}年度考核 {GRADES.get(grade, grade)} ({grade})；后果 consequences: {shown}"
        capped = data.get("capped_from")
        if capped:
            zh += f"；因违规处理由 {GRADES.get(capped, capped)} 降为 capped from {capped}"
        en = f"{year} appraisal graded {grade}: {', '.join(str(c.get('id')) for c in cons)}"
        items.append(Item(sev, zh, en, list(d.citations), d.trace[0] if d.trace else None))
    return items


def _recorded_grade_items(d: Decision, year: int, data: dict[str, Any], cap_cites: list[Any]) -> list[Item]:
    given, cap = data.get("given_grade"), data.get("grade_cap")
    out: list[Item] = []
    order = list(SCALES.get(data.get("scale") or "individual", GRADES))  # best first
    for f in d.manual_checks:
        if f.id != "given_grade_differs" or f.passed:
            continue
        band = data.get("capped_from") or data.get("grade")
        cites = [f.citation] if f.citation else list(d.citations)
        # A band the document states as 可评为 (hedged) may be given or not: a lower grade is a person's call.
        lower = given in order and band in order and order.index(given) > order.index(band)
        if f.hedged and lower:
            out.append(Item("manual_check", f.message_zh, f.message_en, cites, f.rule))
        else:
            zh = f"{year}年度记录等次 {GRADES.get(given, given)} 不在得分档次内：{f.message_zh}"
            out.append(Item("violation", zh, f"{year}: recorded grade outside the score's band. {f.message_en}",
                            cites, f.rule))  # fmt: skip
    if given in order and cap in order and order.index(given) < order.index(cap):
        zh = f"{year}年度记录等次 {GRADES[given]} ({given}) 违反“不得评为”：违规处理后最高为 {GRADES[cap]} ({cap})"
        en = f"{year}: recorded grade {given} is one the escalation history forbids (at most {cap})"
        out.append(Item("violation", zh, en, cap_cites or list(d.citations), "grade_cap"))
    return out


@adapter("appraisal_grade", "person", "年度考核")
def appraisal_grade(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    p = unit[0]
    out = []
    for a in ctx.appraisals_of(p.values["id"]):
        if a.values["year"] > ctx.as_of.year:
            continue
        year = a.values["year"]
        facts = _appraisal_facts(ctx, j, p, a)
        # The rules in force for a year's appraisal are those of its last day (or of the as-of date, if earlier).
        on = min(ctx.as_of, dt.date(year, 12, 31))
        events = [e for e in ctx.events_of(p.values["id"]) if e.values["date"] <= on]
        where = _appraisal_where(a, p, events)
        d = ctx.decide(j, "appraisal_grade", facts, on, where)
        if d is not None:
            data = d.to_dict()
            cap_cites = None
            if data.get("grade_cap") and data.get("given_grade") and "escalation" in facts:
                # The clauses of the cap itself (不得评为…), for a recorded grade that breaks it.
                esc = ctx.decide(j, "escalation", facts["escalation"], on, where)
                cap_cites = list(esc.citations) if esc is not None else None
            items = _appraisal_items(d, year, data, cap_cites)
            out.append(result(j, p, "appraisal_grade", d, items, period=str(year), dumped=data))
    return out


@adapter("appraisal_roster", "county", "考核等次比例")
def appraisal_roster(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    """Each year's results of the jurisdiction's people at once, where county-wide quotas apply."""
    by_id = {p.values["id"]: p for p in unit}
    villages = {p.values["village"] for p in unit}
    years: dict[int, list[Row]] = {}
    for a in ctx.roster.appraisals:
        team = a.values.get("subject") == "team"
        ours = a.values["village"] in villages if team else a.values["person_id"] in by_id
        if ours and a.values["year"] <= ctx.as_of.year:
            years.setdefault(a.values["year"], []).append(a)
    out = []
    for year, rows in sorted(years.items()):
        on = min(ctx.as_of, dt.date(year, 12, 31))
        people = []
        for a in rows:
            if a.values.get("subject") == "team":
                # A team's result (Tongwei 28: 优秀、良好、一般、较差, 30% excellent teams) is keyed by its village.
                out.append(_team_grade(ctx, j, a, on))
                people.append({"id": TEAM_ID + a.values["village"], **_appraisal_facts(ctx, j, None, a)})
                continue
            p = by_id[a.values["person_id"]]
            people.append({"id": p.values["id"], **_appraisal_facts(ctx, j, p, a)})

        def where(fld: str, rows: list[Row] = rows, on: dt.date = on) -> str:
            parts = fld.split(".")
            if parts[0] == "people" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                a = rows[int(parts[1])]
                rest = ".".join(parts[2:])
                if a.values.get("subject") == "team":
                    return _appraisal_where(a, None, [])(rest or "village")
                p = by_id[a.values["person_id"]]
                events = [e for e in ctx.events_of(p.values["id"]) if e.values["date"] <= on]
                return a.at("person_id") if rest in ("", "id") else _appraisal_where(a, p, events)(rest)
            return rows[0].at()

        d = ctx.decide(j, "appraisal_roster", {"people": people}, on, where)
        if d is None:
            continue
        summary = d.to_dict().get("summary") or {}
        exceeded = {q["rule"]: q for q in summary.get("quotas") or [] if q.get("exceeded")}
        items = []
        for f in d.manual_checks:
            q = exceeded.get(f.rule or "")
            if q is None:
                items.append(
                    Item("manual_check", f.message_zh, f.message_en, [f.citation] if f.citation else [], f.rule)
                )
                continue
            # A quota set 原则上 is flagged, never enforced (a warning); a hard quota is a violation.
            names = "、".join(
                f"{i} {by_id[i].values['name']}" if i in by_id else i.removeprefix(TEAM_ID) + "工作队"
                for i in q.get("over_quota", [])
            )
            zh = f"{year}年 {f.message_zh}" + (f"（{names}）" if names else "")
            cites = [f.citation] if f.citation else list(d.citations)
            items.append(Item("warning" if q.get("hedged") else "violation", zh, f.message_en, cites, f.rule))
        name = j.spec.whole_zh or j.name_zh
        out.append(
            result(
                j, j.id, "appraisal_roster", d, items, period=str(year), village=name, exclude=ROSTER_ENTRY_DECISIONS
            )
        )
    return out


TEAM_ID = "team:"  # a team's entry in the county's results: its village, so no person id can clash with it


def _team_grade(ctx: Context, j: Jurisdiction, a: Row, on: dt.date) -> CaseResult:
    """A team's own appraisal_grade result, reported under its village."""
    village, year = a.values["village"], a.values["year"]
    facts = _appraisal_facts(ctx, j, None, a)
    d = ctx.decide(j, "appraisal_grade", facts, on, _appraisal_where(a, None, []))
    if d is None:
        return result(j, village, "appraisal_grade", None, [], outcome="not_judged", village=village,
                      period=str(year))  # fmt: skip
    data = d.to_dict()
    items = _appraisal_items(d, year, data)
    return result(j, village, "appraisal_grade", d, items, village=village, period=f"{year} 工作队 team", dumped=data)


def _consequence(c: Any) -> str:
    if not isinstance(c, dict):
        return str(c)
    text = str(c.get("label_zh") or c.get("id") or c)
    return text + (f"({c['years']}年)" if c.get("years") else "")


# ── term_and_handover (issue 7) ──
@adapter("term_and_handover", "person", "任期与交接")
def term_and_handover(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    """A person whose stay ends (stationed_until) is asked whether the term and the handover allow it."""
    p = unit[0]
    start, end = p.get("stationed_from"), p.get("stationed_until")
    if start is None or end is None:
        missing = " ".join(c for c, v in (("stationed_from", start), ("stationed_until", end)) if v is None)
        zh = f"未给出驻村开始或结束日期（{missing}），未判定任期与交接"
        return [not_judged(j, p, "term_and_handover", "no_dates", zh, f"not judged: no {missing}")]
    facts: dict[str, Any] = {
        "role": p.values["role"],
        "start_date": start,
        # stationed_until is the last day in the village; the question takes the first day away.
        "departure_date": end + dt.timedelta(days=1),
    }
    for k in ("handover_start", "promoted_on", "exit_reason"):
        if k in p.values:
            facts[k] = p.values[k]

    def where(fld: str) -> str:
        col = {"start_date": "stationed_from", "departure_date": "stationed_until"}.get(fld, fld)
        return person_where(p)(col or "stationed_until")

    d = ctx.decide(j, "term_and_handover", facts, ctx.as_of, where)
    if d is None:
        return []
    zh, en = outcome_text(d)
    items = items_from(
        d,
        {"not_allowed": "violation", "exception_needed": "warning"},
        (f"驻村至 {end} 离村：{zh}", f"leaving after {end}: {en}"),
    )
    items += _early_exit_items(p, d, facts["departure_date"])
    return [result(j, p, "term_and_handover", d, items)]


def _early_exit_items(p: Row, d: Decision, departure: dt.date) -> list[Item]:
    """A term shortened by an exception needs the approval the pack names (Tongwei 24: 经市、县委组织部门批准后,
    可调整更换): departure_approved 否 is a violation, 是 passes, an empty cell is a warning (not recorded)."""
    term_end = getattr(d, "earliest_term_end", None)
    if not d.approvers or term_end is None or departure >= term_end:
        return []
    who = "、".join(label(a) for a in d.approvers)
    approved = p.get("departure_approved")
    if approved:
        return []
    if approved is None:
        zh = f"任期满（{term_end}）前离村须经{who}批准；名册未记录是否批准（离村经批准）"
        en = f"leaving before the term ends ({term_end}) needs the approval of {', '.join(d.approvers)}; not recorded"
        return [Item("warning", zh, en, list(d.citations), d.trace[0] if d.trace else None)]
    zh = f"任期满（{term_end}）前离村未经{who}批准"
    en = f"left before the term ends ({term_end}) without the approval of {', '.join(d.approvers)}"
    return [Item("violation", zh, en, list(d.citations), d.trace[0] if d.trace else None)]


# ── leave_approval (foundation) ──


def leave_runs(records: list[tuple[dt.date, str, int]]) -> list[list[tuple[dt.date, str, int]]]:
    """Runs of leave records on consecutive calendar days."""
    runs: list[list[tuple[dt.date, str, int]]] = []
    for r in sorted(x for x in records if x[1] in LEAVE_KINDS):
        if runs and (r[0] - runs[-1][-1][0]).days == 1:
            runs[-1].append(r)
        elif not runs or r[0] != runs[-1][-1][0]:
            runs.append([r])
    return runs


def _own_names(ctx: Context, jid: str, row: int, given: dict[str, Any]) -> dict[str, Any]:
    """Approver and filing cells with the jurisdiction's own names of authorities (its `authorities:`) read as ids;
    a name only another county uses is a problem of the roster, said at its cell."""
    j = ctx.library.jurisdiction(jid)
    local = {name: aid for aid, name in j.spec.authorities.items()}
    ids = set(AUTHORITIES) | set(j.declared.get("authority", ()))
    out: dict[str, Any] = {}
    for col, cells in given.items():
        out[col] = []
        for a in cells or []:
            if a in ids:
                out[col].append(a)
            elif a in local:
                out[col].append(local[a])
            else:
                at = ctx.roster.attendance_at(row, col)
                ctx.problems.append(f"{at}: {a!r} 不是 {jid} 的机关名称 is not a name {jid} gives an authority")
    return out


def _approval_items(ctx: Context, d: Decision, row: int, days: int) -> list[Item]:
    """Who approved the leave (approved_by on its first day) against the chain the pack names (Shiquan 13(2)'s
    5/10/30-day tiers, Tongwei 14's chain), and its filing (备案) where the roster has a filed_with column.
    Every authority of the chain must have signed; an unrecorded approver is not judged."""
    given = _own_names(ctx, d.jurisdiction, row, ctx.roster.attendance_extra.get(row, {}))
    src = ctx.roster.attendance_source
    out: list[Item] = []
    cites, rule = list(d.citations), d.trace[0] if d.trace else None
    approved = given.get("approved_by")
    # approver_one_of (报甲或者乙审批): any one of them is the approval. Reviewers (审核) sign before the approver;
    # a roster's 审批人 column records who approved, so a reviewer missing from it is not a finding.
    one_of = list(getattr(d, "approver_one_of", []) or [])
    if approved is not None and (d.approvers or one_of):
        either = ["或".join(label(a) for a in one_of)] if one_of else []
        missing = [label(a) for a in d.approvers if a not in approved]
        if one_of and not any(a in approved for a in one_of):
            missing += either
        if missing:
            need = "、".join(missing)
            chain = "→".join([*(label(a) for a in d.approvers), *either])
            shown = "、".join(label(a) for a in approved)
            at = ctx.roster.attendance_at(row, "approved_by")
            zh = f"连续请假{days}天应经{chain}审批，记录的审批人{shown}缺少{need}（{at}）"
            chain_en = [*d.approvers, *([" or ".join(one_of)] if one_of else [])]
            en = f"{days} days of leave need {' -> '.join(chain_en)}; recorded {', '.join(approved)}"
            out.append(Item("violation", zh, en, cites, rule))
    filed = list(d.filed_with)
    if filed and src is not None and "filed_with" in src.columns and (approved is not None or "filed_with" in given):
        missing = [a for a in filed if a not in (given.get("filed_with") or [])]
        if missing:
            zh = f"连续请假{days}天应报{'、'.join(label(a) for a in missing)}备案，未记录备案"
            out.append(Item("violation", zh, f"{days} days of leave not filed with {', '.join(missing)}", cites, rule))
    return out


@adapter("leave_approval", "person", "请假")
def leave_approval(ctx: Context, j: Jurisdiction, unit: list[Row]) -> list[CaseResult]:
    """Each run of consecutive leave days in the period is asked of leave_approval: over the limit, or recall."""
    p = unit[0]
    columns = ctx.columnar(p.values["id"])
    if columns is not None:
        runs = columns.leave_runs.get(p.values["id"], [])
    else:
        records = [r for r in ctx.records(p.values["id"]) if ctx.period_from <= r[0] <= ctx.as_of]
        runs = [(run[0][0], run[-1][0], len(run), run[0][2]) for run in leave_runs(records)]
    # A run wholly of unapproved leave was never a request to approve: it is the escalation's
    # unapproved_leave event (Shiquan 13(2)), not a leave_approval case.
    unapproved = {(r[0], r[1]) for r in unapproved_runs(ctx, p.values["id"])}
    out = []
    for first, last, days, first_row in runs:
        if (first, last) in unapproved:
            continue

        def where(fld: str, row: int = first_row) -> str:
            return ctx.roster.attendance_at(row, "kind") if fld == "days" else person_where(p)(fld)

        d = ctx.decide(j, "leave_approval", {"role": p.values["role"], "days": days}, first, where)
        if d is None:
            continue
        what = "、".join(ACTIONS.get(a, a) for a in d.actions) or label(d.outcome, "leave_approval")
        zh = f"连续请假{days}天 ({first}—{last})：{what}"
        items = items_from(
            d,
            # over_limit is a hedged cap (原则上不得超过): a warning; a recall is a violation.
            {"recall": "violation", "over_limit": "warning"},
            (
                zh,
                f"{days} consecutive days of leave ({first}..{last}): {d.outcome}"
                + (f" ({', '.join(d.actions)})" if d.actions else ""),
            ),
        )
        items += _approval_items(ctx, d, first_row, days)
        out.append(result(j, p, "leave_approval", d, items, period=f"{first}..{last}"))
    # One passing case for a person with no leave in the period, so the JUnit report lists everyone.
    return out or [result(j, p, "leave_approval", None, [], outcome="none")]


# ── questions a county's pack declares in YAML (issue 17 item 5) ──
def declared_question(ctx: Context, j: Jurisdiction, unit: list[Row], *, name: str) -> list[CaseResult]:
    """Ask a declared question of one person or one village: its facts come from people columns, the check's
    period and the records sheet, as the question's `roster:` section says."""
    q = j.question(name)
    spec = q.declared_spec
    rs = spec.roster
    p, village = unit[0], unit[0].values["village"]
    subject: Row | str = p if rs.scope == "person" else village
    where = person_where(p) if rs.scope == "person" else (lambda f: f"{village}:{name}:{f}")
    ids = {u.values["id"] for u in unit}
    facts: dict[str, Any] = {}
    for fname, f in spec.facts.items():
        source = rs.facts.get(fname) or ("records" if f.of_type == "records" else fname)
        if source == "records":
            kinds = {**{k: k for k in f.kinds}, **{zh: k for k, zh in f.kinds.items()}}
            facts[fname] = [
                {"date": r.values["date"], "kind": kinds[r.values["kind"]], "who": r.values["person_id"]}
                for r in ctx.roster.records
                if r.values["person_id"] in ids
                and r.values.get("question") in (None, name)
                and r.values["kind"] in kinds
                and ctx.period_from <= r.values["date"] <= ctx.as_of
            ]
        elif source == "attendance":
            # The attendance sheet's own days (in_village, meeting, …): a question reads them without a copy in
            # the records sheet. check() keeps a Parquet attendance's rows for this (no release_rows).
            if getattr(ctx.roster, "rows_released", False):
                return [
                    not_judged(j, subject, name, "attendance_released",
                               f"考勤明细已释放，{q.title_zh}未判定 the attendance rows were let go of",
                               f"the attendance rows were released; {name} not judged", village=village)
                ]  # fmt: skip
            facts[fname] = [
                {"date": d, "kind": k, "who": pid}
                for pid in sorted(ids)
                for d, k, _ in ctx.roster.attendance.get(pid, [])
                if k in f.kinds and ctx.period_from <= d <= ctx.as_of
            ]
        elif source == "period_start":
            facts[fname] = ctx.period_from
        elif source == "as_of":
            facts[fname] = ctx.as_of
        elif rs.scope == "person" and p.get(source) is not None:
            facts[fname] = p.values[source]
        elif f.required:
            return [
                not_judged(j, subject, name, "fact_missing",
                           f"名册没有 {source} 一列（{q.title_zh}需要事实 {fname}），未判定",
                           f"the roster has no {source} column ({name} needs {fname})", village=village)
            ]  # fmt: skip
    d = ctx.decide(j, name, facts, ctx.as_of, where)
    if d is None:
        return []
    failing = list(rs.violations) or ([spec.checks.fail] if spec.checks is not None else [])
    bad = {o: "violation" for o in failing} | {o: "warning" for o in rs.warnings}
    zh, en = outcome_text(d)
    said = getattr(d, "message_zh", None)
    items = items_from(d, bad, (f"{q.title_zh}：{zh}" + (f"，{said}" if said else ""), f"{name}: {en}"))
    if rs.scope == "village":
        return [result(j, village, name, d, items, village=village)]
    return [result(j, p, name, d, items)]

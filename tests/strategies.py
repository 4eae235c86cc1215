"""Hypothesis strategies of valid facts, one per question: the registry the differential and property tests use.

`STRATEGIES[question](jurisdiction, on)` is a strategy of facts dicts valid for that jurisdiction on
the decision date `on` (dates of birth, records and events are drawn relative to it; a few questions,
such as duty_compliance, need the jurisdiction to know which ids exist). Numbers are drawn both at random and at the
constants the shipped packs compare them with (and their neighbours), where tiers meet.
`ORDER_FREE[question]` names the list fields whose order must not change a decision, and
`NORMALISE[question]` (optional) puts a decision's own per-item lists in a canonical order before two
decisions are compared. Enumerations are read from the facts models, so a renamed value shows up as an
invalid draw (FactError) rather than silently shrinking the tested space.
tests/test_differential.py fails when a shipped question has no strategy here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
import json
import math
import pkgutil
import re
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, get_args, get_origin

from hypothesis import strategies as st
from pydantic import BaseModel

import villagepolicy as vp
from villagepolicy.conditions import tests_of
from villagepolicy.engine import ENGINES
from villagepolicy.vocabulary import Vocab

FactsStrategy = Callable[[str, dt.date], st.SearchStrategy[dict[str, Any]]]


class _Strategies(dict):
    """A question a pack declares in YAML (yangban's weekly_rest) gets facts drawn from its own declaration."""

    def __missing__(self, question: str) -> FactsStrategy:
        return lambda jid, on: declared_facts(jid, question, on)


STRATEGIES: dict[str, FactsStrategy] = _Strategies()
ORDER_FREE: dict[str, tuple[str, ...]] = {}
NORMALISE: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}

# The span of the shipped packs (2017–2021) with margins, inside the working-day calendar's years.
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2026, 12, 31)
DECISION_DATES = st.dates(FIRST_DAY, LAST_DAY)
ROLES = st.sampled_from(sorted(vp.ROLES))


def strategy(question: str, order_free: tuple[str, ...] = ()) -> Callable[[FactsStrategy], FactsStrategy]:
    def register(fn: FactsStrategy) -> FactsStrategy:
        STRATEGIES[question] = fn
        if order_free:
            ORDER_FREE[question] = order_free
        return fn

    return register


@cache
def pack_constants(field: str) -> tuple[float, ...]:
    """Every number a shipped pack compares case field `field` with."""
    found: set[float] = set()
    for pack in vp.default_library().packs.values():
        for cr in pack.rules:
            for t in tests_of(cr.cond):
                if t.field != field or t.op == "exists":
                    continue
                for v in t.value if isinstance(t.value, tuple) else (t.value,):
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        found.add(v)
    return tuple(sorted(found))


def boundary_ints(field: str, lo: int, hi: int) -> st.SearchStrategy[int]:
    """Integers in [lo, hi], half of them at a pack's constant for `field` or next to it."""
    edges = sorted({int(c) + d for c in pack_constants(field) for d in (-1, 0, 1) if lo <= int(c) + d <= hi})
    anywhere = st.integers(lo, hi)
    return st.one_of(st.sampled_from(edges), anywhere) if edges else anywhere


def boundary_floats(field: str, lo: float, hi: float, places: int = 2, fine: bool = True) -> st.SearchStrategy[float]:
    """Floats in [lo, hi] with at most `places` decimals, many of them at or next to a pack's constant.

    With `fine`, also floats a hair from each constant (±1e-10, the adjacent doubles): an engine that
    rounds its input would move them across the edge (issue 16 item 1)."""
    step = 10**-places
    edges = sorted({round(c + d, places) for c in pack_constants(field) for d in (-step, 0, step) if lo <= c + d <= hi})
    anywhere = st.integers(round(lo / step), round(hi / step)).map(lambda n: round(n * step, places))
    if not edges:
        return anywhere
    near = {
        x
        for c in pack_constants(field)
        for x in (c - 1e-10, c + 1e-10, math.nextafter(c, -math.inf), math.nextafter(c, math.inf))
    }
    hairs = sorted(x for x in near if lo <= x <= hi)
    if fine and hairs:
        return st.one_of(st.sampled_from(edges), anywhere, st.sampled_from(hairs))
    return st.one_of(st.sampled_from(edges), anywhere)


# Every shipped jurisdiction with each question it answers.
PAIRS = [(j, q) for j in vp.jurisdictions() for q in vp.jurisdiction(j).questions()]


def shown(facts: Any) -> str:
    """Facts as one line of JSON, for a failing example's message."""
    return json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True)


@st.composite
def decision_cases(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], dt.date, str]:
    """(jurisdiction, question, facts, on, engine) over every shipped jurisdiction and question it answers."""
    jid, question = draw(st.sampled_from(PAIRS))
    on = draw(DECISION_DATES)
    return jid, question, draw(STRATEGIES[question](jid, on)), on, draw(st.sampled_from(ENGINES))


def dates_before(on: dt.date, max_years: int) -> st.SearchStrategy[dt.date]:
    return st.dates(max(dt.date(1950, 1, 1), on - dt.timedelta(days=366 * max_years)), on)


# ── leave_approval (issue 2) ──


@strategy("leave_approval")
def leave_approval(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"role": ROLES, "days": boundary_ints("days", 1, 3660)})


# ── helpers for the other questions ──


def literal_choices(question: str, *path: str) -> tuple[Any, ...]:
    """The Literal values allowed at `path` of a question's facts model (through Optional, list, nested models)."""
    ann: Any = vp.QUESTIONS[question].facts_model
    marks: list[Any] = []
    for name in path:
        info = _model_of(ann).model_fields[name]
        ann, marks = info.annotation, list(info.metadata)
    shipped = [v for m in marks if isinstance(m, Vocab) for v in m.shipped]  # an open kind's shipped ids
    return tuple(dict.fromkeys(shipped + _literals(ann)))


def _model_of(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for a in get_args(ann):
        try:
            return _model_of(a)
        except TypeError:
            continue
    raise TypeError(f"no model in {ann!r}")


def _literals(ann: Any) -> list[Any]:
    if get_origin(ann) is Literal:
        return list(get_args(ann))
    for m in getattr(ann, "__metadata__", ()):
        if isinstance(m, Vocab):
            return list(m.shipped)
    return [v for a in get_args(ann) for v in _literals(a)]


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_before(on: dt.date, field: str, lo: int, hi: int) -> st.SearchStrategy[dt.date]:
    """A date about N full years before `on`, N drawn near a pack's bound for `field`, give or take a day."""
    offsets = st.sampled_from([-1, 0, 1]) | st.integers(-200, 200)
    return st.builds(
        lambda n, d: min(on, shift_years(on, -n) + dt.timedelta(days=d)), boundary_ints(field, lo, hi), offsets
    )


def month_of(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def near_months(on: dt.date) -> st.SearchStrategy[tuple[int, int]]:
    """(year, month) within a year either side of `on` (mostly the month of `on` and the ones before it)."""
    return (
        st.integers(-12, 3)
        .map(lambda k: divmod(on.year * 12 + on.month - 1 + k, 12))
        .map(lambda ym: (ym[0], ym[1] + 1))
    )


@cache
def _module_defining(question: str) -> Any:
    import villagepolicy.questions as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if any(getattr(q, "name", None) == question for q in getattr(module, "QUESTIONS", ())):
            return module
    raise LookupError(question)


# ── eligibility (issue 3) ──


@strategy("eligibility", order_free=("village_tags",))
def eligibility(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    q = "eligibility"

    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        # Each fact is given nine times in ten: a rule that needs a missing fact refuses the facts.
        def some(strategy: st.SearchStrategy[Any]) -> Any:
            return draw(strategy) if draw(st.integers(0, 9)) else None

        out: dict[str, Any] = {"role": draw(ROLES)}
        for name in ("party_status", "employment", "education", "rank", "unit_level"):
            out[name] = some(st.sampled_from(literal_choices(q, name)))
        for name in ("unit_leadership_member", "fit_for_duty"):
            out[name] = some(st.booleans())
        birth = some(years_before(on, "age", 18, 70))
        out["birth_date"] = birth
        if out["party_status"] in (None, "full_member"):
            since = some(years_before(on, "party_years", 0, 45))
            out["full_member_since"] = since if since is None or birth is None else max(since, birth)
        clerk = some(years_before(on, "clerk_years", 0, 40))
        out["clerk_since"] = clerk if clerk is None or birth is None else max(clerk, birth)
        out["village_tags"] = draw(st.lists(st.sampled_from(literal_choices(q, "village_tags")), unique=True))
        iso = draw(st.booleans())  # dates as ISO text or as dates: both are accepted
        return {k: (v.isoformat() if iso and isinstance(v, dt.date) else v) for k, v in out.items() if v is not None}

    return facts()


# ── team_composition (issue 3) ──


@strategy("team_composition", order_free=("members", "village_tags"))
def team_composition(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    q = "team_composition"

    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        roles = [r for r in literal_choices(q, "members", "role") if r != "team_leader"]
        members = draw(
            st.lists(
                st.fixed_dictionaries({"role": st.sampled_from(roles), "dispatched_by_town": st.booleans()}), max_size=7
            )
        )
        has_secretary = any(m["role"] == "first_secretary" for m in members)
        leader_is_fs = has_secretary and draw(st.booleans())
        if not leader_is_fs and draw(st.booleans()):
            members.insert(
                draw(st.integers(0, len(members))), {"role": "team_leader", "dispatched_by_town": draw(st.booleans())}
            )
        out: dict[str, Any] = {
            "village_tags": draw(st.lists(st.sampled_from(literal_choices(q, "village_tags")), unique=True)),
            "members": members,
            "leader_is_first_secretary": leader_is_fs,
        }
        size = draw(optional(boundary_ints("unit_staff_size", 0, 500)))
        if size is not None or draw(st.booleans()):
            out["unit_staff_size"] = size
        return out

    return facts()


# ── stay_requirement, stay_compliance (issue 4) ──


@strategy("stay_requirement")
def stay_requirement(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    # The deprecated name or the neutral facts that replace it (issue 17), never both (that is refused).
    old = st.fixed_dictionaries({"role": ROLES}, optional={"village_within_3km": optional(st.booleans())})
    km = boundary_floats("km_from_town_seat", 0, 50, 1)
    new = st.fixed_dictionaries(
        {"role": ROLES},
        optional={"in_county_town_planning_area": optional(st.booleans()), "km_from_town_seat": optional(km)},
    )
    return st.one_of(old, new)


@strategy("stay_compliance", order_free=("records", "counts"))
def stay_compliance(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    kinds = literal_choices("stay_compliance", "records", "kind")

    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        year, month = draw(near_months(on))
        rnd = draw(st.randoms(use_true_random=False))
        if draw(st.booleans()):  # a month, its days shared out between kinds
            period = f"{year}-{month:02d}"
            days = [dt.date(year, month, d) for d in range(1, month_length(year, month) + 1)]
            present = draw(st.integers(14, 24) | st.integers(0, len(days)))
        else:  # a year: most days of it, counts near the yearly figures
            period = str(year)
            start = dt.date(year, 1, 1)
            days = [start + dt.timedelta(days=i) for i in range(366 if calendar.isleap(year) else 365)]
            present = draw(st.sampled_from([150, 159, 160, 161, 200, 219, 220, 221]) | st.integers(0, 300))
        rnd.shuffle(days)
        present = min(present, len(days))
        chosen = days[: present + draw(st.integers(0, 40))]
        records = [
            {"date": d.isoformat(), "kind": "in_village" if i < present else rnd.choice(kinds)}
            for i, d in enumerate(chosen)
        ]
        if records and draw(st.booleans()):  # a repeated record of the same day and kind counts once
            records.append(dict(rnd.choice(records)))
        if draw(st.booleans()):  # a record outside the period
            records.append({"date": shift_years(on, -3).isoformat(), "kind": "in_village"})
        return {"role": draw(ROLES), "period": period, "records": records}

    return facts()


# ── escalation (issue 5) ──


@st.composite
def _history(draw: st.DrawFn, on: dt.date, max_size: int = 12) -> list[dict[str, Any]]:
    mod = _module_defining("escalation")
    kinds: tuple[str, ...] = mod.EVENT_KINDS
    fields: dict[str, tuple[str, ...]] = mod.KIND_FIELDS
    grades = literal_choices("escalation", "history", "grade")
    # Inspections weigh most in the ladders: half the events are inspections.
    kind_st = st.sampled_from(["absent_on_inspection", "present_on_inspection"]) | st.sampled_from(kinds)
    events: list[dict[str, Any]] = []
    months: set[str] = set()
    for _ in range(draw(st.integers(0, max_size))):
        kind = draw(kind_st)
        day = on - dt.timedelta(days=draw(st.integers(0, 900)))
        e: dict[str, Any] = {"date": day.isoformat(), "kind": kind}
        need = fields.get(kind, ())
        if "leave_procedure_followed" in need:
            e["leave_procedure_followed"] = draw(st.booleans())
        if "month" in need:
            m = month_of(day)
            if m in months:
                continue
            months.add(m)
            e["month"] = m
            e["days"] = draw(boundary_ints("shortfall_month_min_days", 0, month_length(day.year, day.month)))
            e["justified"] = draw(st.booleans())
        elif "days" in need:  # a leave taken: its length near the packs' thresholds
            e["days"] = draw(boundary_ints("leave_days_max", 1, 400))
        if "grade" in need:
            e["grade"] = draw(st.sampled_from(grades))
        if "rate" in need:
            e["rate"] = draw(boundary_floats("satisfaction_rate_min", 0, 1))
        events.append(e)
    return events


@strategy("escalation", order_free=("history",))
def escalation(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {"role": draw(ROLES), "history": draw(_history(on))}
        if draw(st.booleans()):
            out["appraisal_year"] = draw(st.integers(max(2000, on.year - 3), on.year))
        return out

    return facts()


# ── appraisal_grade, appraisal_roster (issue 6) ──


@st.composite
def _appraisal(draw: st.DrawFn, on: dt.date, quarters: bool = True) -> dict[str, Any]:
    scales = _module_defining("appraisal_grade").SCALES
    subject = draw(st.sampled_from(literal_choices("appraisal_grade", "subject")))
    # score refuses more than 6 decimals (appraisal.DECIMALS): a hair from an edge would only be refused.
    score = boundary_floats("score", 0, 100, fine=False)
    out: dict[str, Any] = {"subject": subject}
    if quarters and draw(st.integers(0, 5)) == 0:
        out["period"] = "quarter"
        out["score"] = draw(score)
        return out
    way = draw(st.sampled_from(["score", "points", "grade", "score+grade"]))
    if way in ("score", "score+grade"):
        out["score"] = draw(score)
    if way == "points":
        out["quarterly_points"] = draw(st.lists(score, min_size=1, max_size=4))
        out["annual_score"] = draw(score)
    if way in ("grade", "score+grade"):
        out["grade"] = draw(st.sampled_from(list(scales[subject])))
    if subject == "individual":
        out["months_stationed"] = draw(boundary_floats("months_stationed", 0, 24, 1))
        if draw(st.integers(0, 3)) == 0:
            out["escalation"] = {"role": draw(ROLES), "history": draw(_history(on, 6))}
    elif draw(st.booleans()):
        out["months_stationed"] = draw(boundary_floats("months_stationed", 0, 24, 1))
    return out


@strategy("appraisal_grade")
def appraisal_grade(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    return _appraisal(on)


@strategy("appraisal_roster", order_free=("people",))
def appraisal_roster(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        people = draw(st.lists(_appraisal(on, quarters=False), min_size=1, max_size=12))
        if draw(st.booleans()):  # ties at the top, where quotas bite
            for p in people[: draw(st.integers(0, len(people)))]:
                if p.get("period") != "quarter" and "score" in p:
                    p["score"] = 95.0
        return {"people": [{"id": f"p{i}", **p} for i, p in enumerate(people)]}

    return facts()


_ID_RUN = re.compile(r"p\d+(?:(?:、|, )p\d+)+")


def _roster_canonical(d: dict[str, Any]) -> dict[str, Any]:
    """Lists of person ids in id order, in data and in messages ("over the quota: p7, p3"): within a tie
    the roster names people in input order, which says nothing about the result."""

    def ids(m: re.Match[str]) -> str:
        sep = "、" if "、" in m.group(0) else ", "
        return sep.join(sorted(m.group(0).split(sep), key=lambda x: int(x[1:])))

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            items = [walk(x) for x in v]
            if items and all(isinstance(x, str) and re.fullmatch(r"p\d+", x) for x in items):
                return sorted(items, key=lambda x: int(x[1:]))
            return items
        if isinstance(v, str):
            return _ID_RUN.sub(ids, v)
        return v

    return walk(d)


NORMALISE["appraisal_roster"] = _roster_canonical


# ── duties, duty_compliance, term_and_handover, benefits, insurance_check (issue 7) ──


def _period_near(on: dt.date) -> st.SearchStrategy[str]:
    return st.builds(
        lambda ym, kind: {
            "year": str(ym[0]),
            "half": f"{ym[0]}-H{(ym[1] - 1) // 6 + 1}",
            "quarter": f"{ym[0]}-Q{(ym[1] - 1) // 3 + 1}",
            "month": f"{ym[0]}-{ym[1]:02d}",
        }[kind],
        near_months(on),
        st.sampled_from(["year", "half", "quarter", "month"]),
    )


def _responsible(question: str) -> st.SearchStrategy[Any]:
    return optional(st.lists(st.sampled_from(literal_choices(question, "responsible")), min_size=1, unique=True))


@strategy("duties", order_free=("responsible",))
def duties(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"role": ROLES, "stationed_since": dates_before(on, 3).map(str), "period": _period_near(on)},
        optional={"responsible": _responsible("duties")},
    ).map(lambda f: {k: v for k, v in f.items() if v is not None})


@strategy("duty_compliance", order_free=("records", "responsible"))
def duty_compliance(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        out = draw(duties(jid, on))
        listing = vp.decide(jid, "duties", out, on)
        ids = sorted({d.id for d in getattr(listing, "duties", [])})
        records = []
        if ids:
            for _ in range(draw(st.integers(0, 10))):
                rec = {"duty": draw(st.sampled_from(ids)), "date": draw(dates_before(on, 2)).isoformat()}
                if draw(st.booleans()):
                    rec["days"] = draw(st.integers(1, 10))
                records.append(rec)
        out["records"] = records
        return out

    return facts()


@strategy("term_and_handover")
def term_and_handover(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        start = draw(years_before(on, "term_years", 0, 5))
        out: dict[str, Any] = {"role": draw(ROLES), "start_date": start.isoformat()}
        # Later dates stay inside the working-day calendar (to 2026), where handovers are counted.
        after = st.integers(0, 4 * 366).map(
            lambda n: max(start, min(start + dt.timedelta(days=n), dt.date(2026, 9, 30)))
        )
        if draw(st.booleans()):
            out["promoted_on"] = draw(after).isoformat()
        handover = draw(optional(after))
        if handover is not None:
            out["handover_start"] = handover.isoformat()
        if draw(st.booleans()):
            base = handover or start
            out["departure_date"] = (
                base + dt.timedelta(days=draw(boundary_ints("handover_working_days", 0, 60)))
            ).isoformat()
        if draw(st.booleans()):
            out["exit_reason"] = draw(st.sampled_from(literal_choices("term_and_handover", "exit_reason")))
            if out["exit_reason"] == "annual_grade":  # the grade is the reason, so it comes with it
                out["annual_grade"] = draw(st.sampled_from(literal_choices("term_and_handover", "annual_grade")))
        if draw(st.booleans()):
            out["village_out_of_poverty_on"] = draw(after).isoformat()
        return out

    return facts()


def _yuan(lo: int, hi: int, edges: tuple[int, ...] = ()) -> st.SearchStrategy[str]:
    cents = st.integers(lo * 100, hi * 100) | st.sampled_from(
        [e * 100 + d for e in edges for d in (-1, 0, 1)] or [lo * 100]
    )
    return cents.map(lambda c: f"{c // 100}.{c % 100:02d}")


@strategy("benefits")
def benefits(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        year, month = draw(near_months(on))
        out: dict[str, Any] = {
            "role": draw(ROLES),
            "dispatched_by": draw(st.sampled_from(literal_choices("benefits", "dispatched_by"))),
            "month": f"{year}-{month:02d}",
            "days_in_village": draw(st.integers(0, month_length(year, month))),
        }
        trips = draw(boundary_ints("round_trips", 0, 8))
        if trips or draw(st.booleans()):
            out["round_trips"] = trips
            out["distance_km"] = draw(_yuan(0, 300))
        leave = draw(st.integers(0, 20))
        if leave or draw(st.booleans()):
            out["unused_leave_days"] = leave
            out["daily_wage"] = draw(_yuan(50, 800))
        if draw(st.booleans()):
            months = draw(boundary_ints("months_stationed", 0, 36))
            out["stationed_since"] = shift_years(dt.date(year, month, 1), 0) - dt.timedelta(days=30 * months)
            out["stationed_since"] = out["stationed_since"].isoformat()
        return out

    return facts()


@strategy("insurance_check")
def insurance_check(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    premium = _yuan(0, 2000, (500,))
    cover = _yuan(0, 1_000_000, (400_000, 500_000))
    both = st.fixed_dictionaries({"premium_yuan": premium, "cover_yuan": cover})
    one = st.fixed_dictionaries({"premium_yuan": premium}) | st.fixed_dictionaries({"cover_yuan": cover})
    return st.tuples(both | one, optional(ROLES)).map(lambda t: {**t[0], **({"role": t[1]} if t[1] else {})})


# ── supervision_plan (issue 7) ──


@strategy("supervision_plan", order_free=("roster", "checks_done"))
def supervision_plan(jid: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    kinds = literal_choices("supervision_plan", "checks_done", "kind")
    authorities = literal_choices("supervision_plan", "checks_done", "by")

    @st.composite
    def facts(draw: st.DrawFn) -> dict[str, Any]:
        year, month = draw(near_months(on))
        size = draw(st.sampled_from([0, 1, 3, 9, 10, 11, 99, 100, 101]) | st.integers(0, 150))
        roster = [{"id": f"r{i}"} for i in range(size)]
        for person in roster[: draw(st.integers(0, min(size, 5)))]:
            person["role"] = draw(ROLES)
        # Always seeded: without a seed the plan draws a fresh one (and reports it), so two calls differ by design.
        out: dict[str, Any] = {
            "month": f"{year}-{month:02d}",
            "roster": roster,
            "seed": draw(st.integers(0, 2**63 - 1)),
        }
        if draw(st.booleans()):
            checks = []
            last = month_length(year, month)
            for _ in range(draw(st.integers(0, 4))):
                check: dict[str, Any] = {
                    "kind": draw(st.sampled_from(kinds)),
                    "by": draw(st.sampled_from(authorities)),
                    "date": dt.date(year, month, draw(st.integers(1, last))).isoformat(),
                }
                if roster and draw(st.booleans()):
                    check["people"] = draw(st.lists(st.sampled_from([p["id"] for p in roster]), unique=True))
                else:
                    check["people_count"] = draw(st.integers(0, size + 5))
                checks.append(check)
            out["checks_done"] = checks
        return out

    return facts()


# ── questions a pack declares (issue 17 item 5) ──


def declared_facts(jid: str, question: str, on: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    """Facts of a declared question, drawn from its `facts:` section: records of its kinds in the year before `on`
    (a few people, so per-day counts vary), dates around it, numbers at random."""
    spec = vp.jurisdiction(jid).question(question).declared_spec
    days = st.dates(on - dt.timedelta(days=400), on).map(dt.date.isoformat)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, f in spec.facts.items():
        t = f.of_type
        if t == "records":
            rec = st.fixed_dictionaries(
                {"date": days, "kind": st.sampled_from(sorted(f.kinds)), "who": st.sampled_from(["a", "b", "c"])}
            )
            fields[name] = st.lists(rec, max_size=40)
        elif t == "date":
            fields[name] = days
        elif t == "bool":
            fields[name] = st.booleans()
        elif t in ("int", "number"):
            lo, hi = int(f.min if f.min is not None else 0), int(f.max if f.max is not None else 400)
            fields[name] = st.integers(lo, hi)
        elif t == "id":
            fields[name] = st.sampled_from(sorted(vp.vocabulary.ids(f.kind or "")))
        else:
            fields[name] = st.text(min_size=1, max_size=8)
    return st.fixed_dictionaries(fields)

"""Single decisions per second on one core: vp.decide("shiquan", "leave_approval", facts) against baselines.

    python benchmarks/single_decision.py [--cases 20000] [--repeats 5]

Each vp.decide call validates the facts, evaluates the pack and returns a Decision with its citations.
In the same run, the same Shiquan leave table (13(2)) is timed as:
- a plain Python function written by hand (the ratio to it is what policy-as-data costs),
- rule-engine (one Rule per pack rule, first match in pack order),
- zen-engine's Python binding (one decision table, hit policy `first`).
The competitors' tables are generated from the pack's own rules, and every one of them must give the
same outcome and approvers as vp.decide on every case before anything is timed.
Competitors need the bench extra: pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CLOCK_NOTE, machine, rate, table  # noqa: E402

import villagepolicy as vp  # noqa: E402
from villagepolicy.conditions import AllOf, Cond, Test  # noqa: E402

J, Q, PACK, ON = "shiquan", "leave_approval", "shiquan-2021", "2024-05-01"
ROLES = ("first_secretary", "team_leader", "team_member", "party_building_instructor")


def cases(n: int, seed: int = 10) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [{"role": rnd.choice(ROLES), "days": rnd.randint(1, 60)} for _ in range(n)]


def plain_python(facts: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Shiquan 13(2) as a programmer would hard-code it: no validation, no citations."""
    role, days = facts["role"], facts["days"]
    if role not in ("first_secretary", "team_leader", "team_member"):
        return "not_covered", ()
    if days > 30:
        return "recall", ()
    if days <= 5:
        return "approve", ("town_party_committee",)
    # A team leader who is not the first secretary is one of the 工作队员 (issue 14: the members' tier).
    county = "county_org_dept" if role == "first_secretary" else "county_rural_revitalization_bureau"
    if days <= 10:
        return "approve", (county,)
    return "approve", ("dispatching_unit", county)


def pack_rules() -> list[tuple[Cond | None, dict[str, Any]]]:
    """The pack's rules of the question in order, `otherwise` rules last with no condition."""
    pack = vp.default_library().packs[PACK]
    rules = [(cr.cond, cr.effect.model_dump()) for cr in pack.by_question[Q]]
    return rules + [(None, cr.effect.model_dump()) for cr in pack.otherwise.get(Q, [])]


_RE_OPS = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def rule_engine_text(cond: Cond | None) -> str:
    if cond is None or (isinstance(cond, AllOf) and not cond.items):
        return "true"
    if isinstance(cond, Test):
        if cond.op in ("in", "not_in"):
            text = f"{cond.field} in {json.dumps(list(cond.value))}"
            return text if cond.op == "in" else f"not {text}"
        if cond.op == "exists":
            return f"{cond.field} {'!=' if cond.value else '=='} null"
        return f"{cond.field} {_RE_OPS[cond.op]} {json.dumps(cond.value)}"
    joiner = " and " if isinstance(cond, AllOf) else " or "
    return joiner.join(f"({rule_engine_text(c)})" for c in cond.items)


def rule_engine_decide() -> Callable[[dict[str, Any]], tuple[str, tuple[str, ...]]]:
    import rule_engine

    compiled = [(rule_engine.Rule(rule_engine_text(c)), e) for c, e in pack_rules()]

    def decide(facts: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        for rule, effect in compiled:
            if rule.matches(facts):
                return effect["outcome"], tuple(effect["approvers"])
        return "not_covered", ()

    return decide


def _zen_cells(cond: Cond | None) -> dict[str, str]:
    """One decision-table row: per field, a unary test on `$` (zen's name for the cell's input)."""
    tests: list[Test] = []
    pending = [] if cond is None else [cond]
    while pending:
        c = pending.pop()
        if isinstance(c, Test):
            tests.append(c)
        elif isinstance(c, AllOf):
            pending.extend(c.items)
        else:
            raise NotImplementedError("an `any` across fields is not one decision-table row")
    cells: dict[str, list[str]] = {}
    for t in tests:
        if t.op == "in":
            expr = f"$ in {json.dumps(list(t.value))}"
        elif t.op in _RE_OPS:
            expr = f"$ {_RE_OPS[t.op]} {json.dumps(t.value)}"
        else:
            raise NotImplementedError(t.op)
        cells.setdefault(t.field, []).append(expr)
    return {f: " and ".join(e) for f, e in cells.items()}


def zen_decide() -> Callable[[dict[str, Any]], tuple[str, tuple[str, ...]]]:
    import zen

    rows = [(_zen_cells(c), e) for c, e in pack_rules()]
    fields = sorted({f for cells, _ in rows for f in cells})
    inputs = [{"id": f"in_{f}", "name": f, "field": f} for f in fields]
    outputs = [
        {"id": "out_outcome", "name": "outcome", "field": "outcome"},
        {"id": "out_approvers", "name": "approvers", "field": "approvers"},
    ]
    table_rows = []
    for i, (cells, effect) in enumerate(rows):
        row = {
            "_id": f"r{i}",
            "out_outcome": json.dumps(effect["outcome"]),
            "out_approvers": json.dumps(effect["approvers"]),
        }
        row.update({f"in_{f}": cells.get(f, "") for f in fields})
        table_rows.append(row)
    at = {"x": 0, "y": 0}
    content = {
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "request", "position": at},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": Q,
                "position": at,
                "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": table_rows},
            },
            {"id": "response", "type": "outputNode", "name": "response", "position": at},
        ],
        "edges": [
            {"id": "e1", "sourceId": "request", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "response", "type": "edge"},
        ],
    }
    decision = zen.ZenEngine().create_decision(json.dumps(content))

    def decide(facts: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        result = decision.evaluate(facts)["result"]
        if not result:
            return "not_covered", ()
        return result["outcome"], tuple(result["approvers"])

    return decide


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    print(machine())
    print(CLOCK_NOTE)
    work = cases(args.cases)
    lib = vp.default_library()
    jur = lib.jurisdiction(J)
    expected = [plain_python(f) for f in work]

    def answers(decide: Callable[[dict[str, Any]], Any]) -> list[tuple[str, tuple[str, ...]]]:
        return [decide(f) for f in work]

    def vp_answer(d: vp.Decision) -> tuple[str, tuple[str, ...]]:
        return d.outcome, tuple(d.approvers)

    contenders: list[tuple[str, Callable[[dict[str, Any]], Any], Callable[[Any], Any]]] = []
    contenders.append(("plain Python function (baseline)", plain_python, lambda a: a))
    for engine in ("durable", "reference"):
        contenders.append(
            (f"vp.decide, engine={engine}", lambda f, e=engine: vp.decide(J, Q, f, ON, engine=e), vp_answer)
        )
    missing = []
    try:
        contenders.append(("rule-engine, same table", rule_engine_decide(), lambda a: a))
    except ImportError:
        missing.append("rule-engine")
    try:
        contenders.append(("zen-engine, same table", zen_decide(), lambda a: a))
    except ImportError:
        missing.append("zen-engine")

    # Same answers first: a fast wrong answer is not a result.
    for name, decide, answer in contenders:
        got = [answer(a) for a in answers(decide)]
        bad = next((i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e), None)
        if bad is not None:
            sys.exit(f"{name} disagrees on {work[bad]}: {got[bad]} != {expected[bad]}")

    results: list[tuple[str, float]] = []
    for name, decide, _ in contenders:

        def run(decide: Callable[[dict[str, Any]], Any] = decide) -> int:
            for f in work:
                decide(f)
            return len(work)

        results.append((name, rate(run, args.repeats)))

    # vp.decide with nothing remembered: every call runs validation, the engine, citations and the Decision.
    for engine in ("durable", "reference"):
        saved = getattr(lib, "cache_size", 0)
        lib.cache_size = 0
        getattr(jur, "_templates", {}).clear()  # (absent in versions before the memo)
        try:
            results.append(
                (
                    f"vp.decide, engine={engine}, no memo",
                    rate(lambda e=engine: sum(1 for f in work if vp.decide(J, Q, f, ON, engine=e)), args.repeats),
                )
            )
        finally:
            lib.cache_size = saved

    base = results[0][1]
    ours = max(v for n, v in results if n.startswith("vp.decide"))
    rows = []
    for name, value in results:
        note = f"{base / value:6.1f}x slower than plain Python" if value < base else "baseline"
        if not name.startswith(("vp.", "plain")):
            note += f"; vp.decide (best) is {ours / value:.1f}x faster"
        rows.append((name, value, note))
    print(f"{len(work):,} Shiquan leave cases ({', '.join(ROLES)}; 1-60 days), median of {args.repeats} runs")
    print(table(rows, "decisions/s"))
    print(f"policy-as-data overhead (plain Python / vp.decide durable): {base / results[1][1]:.1f}x")
    if missing:
        print(f"not timed (pip install -e '.[bench]'): {', '.join(missing)}")


if __name__ == "__main__":
    main()

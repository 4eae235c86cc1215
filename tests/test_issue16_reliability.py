"""Issue 16: what a red-team run broke (engine precision, dates, hostile input, leftovers after a kill).

Each test is named after the issue's item; hostile files are generated in tmp_path, nothing big is committed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from parallel_worker import answer

ON = dt.date(2024, 6, 1)


# ── item 1: the engines agree on floats a hair from a pack's edge ──


@pytest.mark.parametrize(
    ("jid", "question", "facts"),
    [
        (
            "guizhou",
            "escalation",
            {
                "role": "team_member",
                "history": [{"date": "2024-03-01", "kind": "satisfaction_rate", "rate": 0.4999999999}],
            },
        ),
        ("tongwei", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 5.9999999996}),
        ("shiquan", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 5.9999999996}),
        ("tongwei", "appraisal_grade", {"subject": "individual", "score": 90, "months_stationed": 6.000000000000001}),
    ],
)
def test_item1_engines_agree_on_floats_at_the_edge(jid: str, question: str, facts: dict) -> None:
    assert answer((jid, question, facts, ON, "durable")) == answer((jid, question, facts, ON, "reference"))


def test_item1_durable_writes_floats_exactly() -> None:
    from villagepolicy.engine.durable import _encode, _payload

    text = _payload(_encode({"a": 1e-10, "b": 0.30000000000000004, "c": 5e-324}))
    assert "e" not in text.replace("true", "").replace("vp_case", "").replace("sid", "")
    assert '"b": 0.30000000000000004' in text


# ── items 3-4: more rules true at once than durable's activation stack, and big questions ──


def _both(conds: list, cases: list[dict]) -> None:
    from villagepolicy.engine.durable import compile_durable
    from villagepolicy.engine.reference import ReferenceMatcher

    durable, reference = compile_durable("issue16", conds), ReferenceMatcher(conds)
    for case in cases:
        assert durable.match(case) == reference.match(case), case


def test_item3_sixty_five_rules_true_at_once_decide() -> None:
    from villagepolicy.conditions import Test

    _both([Test("x", "gte", i) for i in range(65)], [{"x": 10**6}, {"x": 30}, {}])


def test_item3_an_any_of_two_hundred_branches_decides() -> None:
    from villagepolicy.conditions import AnyOf, Test

    _both([AnyOf(tuple(Test("x", "gte", i) for i in range(200)))], [{"x": 10**6}, {"x": -1}])


def test_item3_a_condition_the_engine_cannot_hold_is_refused_with_its_rule() -> None:
    from villagepolicy.conditions import AllOf, AnyOf, Test
    from villagepolicy.engine.durable import compile_durable
    from villagepolicy.errors import EngineError

    wide = AnyOf(tuple(Test("x", "gte", i) for i in range(9)))
    with pytest.raises(EngineError, match=r"rule #2.*81.*64"):
        compile_durable("issue16", [Test("x", "eq", 1), AllOf((wide, wide))])


def test_item4_eight_hundred_overlapping_rules_compile_fast_and_agree() -> None:
    import random
    import time

    from villagepolicy.conditions import AllOf, AnyOf, Test

    rnd = random.Random(16)

    def cond(depth: int = 0):  # noqa: ANN202
        r = rnd.random()
        if depth > 1 or r < 0.4:
            return Test(rnd.choice("abcd"), rnd.choice(["gte", "lt", "eq", "ne"]), rnd.randint(0, 9))
        kind = AllOf if r < 0.7 else AnyOf
        return kind(tuple(cond(depth + 1) for _ in range(rnd.randint(1, 3))))

    conds = [cond() for _ in range(800)]
    start = time.perf_counter()
    _both(conds, [{f: rnd.randint(0, 9) for f in "abcd" if rnd.random() < 0.9} for _ in range(100)])
    assert time.perf_counter() - start < 30


# ── item 2: an integer is not a date, in every question; item 6: dates the computation cannot hold ──


@pytest.mark.parametrize(
    ("question", "facts", "field"),
    [
        ("duties", {"role": "first_secretary", "stationed_since": 0, "period": "2024"}, "stationed_since"),
        ("duty_compliance", {"role": "first_secretary", "stationed_since": 0, "period": "2024"}, "stationed_since"),
        ("term_and_handover", {"role": "first_secretary", "start_date": 1640995200}, "start_date"),
        ("benefits", {"role": "first_secretary", "stationed_since": 0, "month": "2024-05"}, "stationed_since"),
        ("term_and_handover", {"role": "first_secretary", "start_date": "9999-12-31"}, "start_date"),
        ("term_and_handover", {"role": "first_secretary", "start_date": "0001-01-01"}, "start_date"),
    ],
)
def test_item2_and_item6_dates_are_refused_naming_the_field(question: str, facts: dict, field: str) -> None:
    import villagepolicy as vp

    with pytest.raises(vp.FactError, match=rf"{field}: (不是日期|日期超出)"):
        vp.decide("tongwei", question, facts, ON)


def test_item6_a_decision_date_the_calendar_cannot_hold_is_refused_as_on() -> None:
    import villagepolicy as vp

    with pytest.raises(vp.FactError, match="on: 日期超出"):
        vp.decide("tongwei", "stay_compliance", {"role": "first_secretary"}, "9999-12-31")


def _nested(depth: int) -> list:
    v: list = []
    for _ in range(depth):
        v = [v]
    return v


def _itself() -> list:
    v: list = []
    v.append(v)
    return v


@pytest.mark.parametrize(
    ("question", "facts", "field"),
    [
        ("leave_approval", {"role": "first_secretary", "days": 10**5000}, "days"),
        ("escalation", {"role": "first_secretary", "history": _itself()}, "history"),
        ("escalation", {"role": "first_secretary", "history": _nested(2000)}, "history"),
    ],
)
def test_item6_hostile_fact_values_are_refused_naming_the_field(question: str, facts: dict, field: str) -> None:
    import villagepolicy as vp

    with pytest.raises(vp.FactError, match=rf"bad facts: {field}") as e:
        vp.decide("guizhou" if question == "escalation" else "tongwei", question, facts, ON)
    assert len(str(e.value)) < 500


# ── item 5: hostile rosters are located errors, or read correctly ──


def _people(tmp_path, **cells) -> object:  # noqa: ANN001
    import json

    row = {"id": "p1", "name": "张三", "role": "first_secretary", "jurisdiction": "tongwei", "village": "A村"}
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"people": [{**row, **cells}]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_item5_no_end_date_9999_is_read_as_no_end(tmp_path) -> None:  # noqa: ANN001
    from villagepolicy.roster.read import read_roster

    roster = read_roster(_people(tmp_path, stationed_from="2023-01-01", stationed_until="9999-12-31"))
    assert roster.people[0].get("stationed_until") is None


def test_item5_a_date_out_of_range_and_a_5000_digit_cell_are_located(tmp_path) -> None:  # noqa: ANN001
    from villagepolicy.roster.read import RosterError, read_roster

    with pytest.raises(RosterError) as e:
        read_roster(_people(tmp_path, stationed_from="9998-01-01", unit_staff_size="1" * 5000))
    text = str(e.value)
    assert "people:1:stationed_from: 日期超出" in text and "people:1:unit_staff_size: 数字过大" in text
    assert len(text) < 1000


def test_item5_json_nested_100000_deep_is_refused(tmp_path) -> None:  # noqa: ANN001
    from villagepolicy.roster.read import RosterError, read_roster

    path = tmp_path / "deep.json"
    path.write_text('{"people": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(RosterError, match="嵌套过深"):
        read_roster(path)


def test_item5_a_cell_at_XFD1048576_is_refused_from_the_declared_dimension(tmp_path) -> None:  # noqa: ANN001, N802
    from openpyxl import Workbook

    from villagepolicy.roster.read import RosterError, read_roster

    wb = Workbook()
    wb.active.title = "people"
    wb.active["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    with pytest.raises(RosterError, match="XFD1048576"):
        read_roster(tmp_path / "far.xlsx")


def test_item5_a_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import zipfile

    from villagepolicy.roster import read

    monkeypatch.setattr(read, "MAX_WORKBOOK_BYTES", 1_000_000)
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * 2_000_000 + b"</worksheet>")
    with pytest.raises(read.RosterError, match="unpacks to 2,000,023 bytes"):
        read.read_roster(tmp_path / "bomb.xlsx")


def test_item5_a_million_columns_are_one_problem_and_problems_are_bounded(tmp_path) -> None:  # noqa: ANN001
    from villagepolicy.roster import read

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "people.csv").write_text(",".join(f"c{i}" for i in range(20_000)) + "\n")
    with pytest.raises(read.RosterError, match="20000 columns"):
        read.read_roster(tmp_path / "r")
    problems = read.Problems()
    for i in range(read.MAX_PROBLEMS_KEPT + 5):
        problems.append(str(i))
    assert len(problems) == read.MAX_PROBLEMS_KEPT and problems.dropped == 5
    assert f"{5 + read.MAX_PROBLEMS_KEPT - read.MAX_PROBLEMS_SHOWN} more" in str(read.RosterError(problems))


# ── item 7: a FIFO in rules/ is refused at once ──


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_item7_a_fifo_in_rules_is_refused_not_waited_on(tmp_path) -> None:  # noqa: ANN001
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "rules", tmp_path / "rules")
    shutil.copytree(root / "jurisdictions", tmp_path / "jurisdictions")
    os.mkfifo(tmp_path / "rules" / "zz.yaml")
    for command in ("validate", "lint"):
        run = subprocess.run(
            [str(Path(sys.executable).parent / "villagepolicy"), command, str(tmp_path)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
        assert run.returncode != 0 and "zz.yaml:1:1" in run.stdout + run.stderr
        assert "not a regular file" in run.stdout + run.stderr


# ── item 11: a corrupted or edited cache entry is never loaded ──


def test_item11_a_changed_cache_entry_is_parsed_again_and_rewritten(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from pathlib import Path

    from villagepolicy.packs.readcache import read_pack_yaml
    from villagepolicy.packs.yamlread import read_yaml

    monkeypatch.setenv("VILLAGEPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    raw = next((Path(__file__).resolve().parents[1] / "rules").glob("*.yaml")).read_bytes()
    truth = read_yaml(raw, "p.yaml").data
    assert read_pack_yaml(raw, "p.yaml").data == truth
    (entry,) = (tmp_path / "cache").glob("*.marshal")
    good = entry.read_bytes()
    for i in (40, len(good) // 2, len(good) - 1):  # a flipped byte in the marshal data
        entry.write_bytes(good[:i] + bytes([good[i] ^ 0x5A]) + good[i + 1 :])
        assert read_pack_yaml(raw, "p.yaml").data == truth
        assert entry.read_bytes() == good  # rewritten
    entry.write_bytes(good[:32] + good[32:].replace("条".encode(), "款".encode(), 1))  # an edited citation
    assert read_pack_yaml(raw, "p.yaml").data == truth


# ── item 9: a control character in a name is shown, and the JUnit report stays well-formed XML ──


@pytest.mark.parametrize("fmt", ["junit", "text", "markdown", "html", "json"])
def test_item9_control_characters_are_escaped_in_every_report(tmp_path, capsys, fmt: str) -> None:  # noqa: ANN001
    import json
    import xml.etree.ElementTree as ET

    from rosterkit import csv_roster, daily, person

    from villagepolicy.cli import main

    people = [person("p1", "张三", "first_secretary"), person("p2", "李\x07四\x1b[31m", "team_member")]
    att = daily("p1", dt.date(2022, 1, 1), 365) + daily("p2", dt.date(2022, 1, 1), 59)
    att += daily("p2", dt.date(2022, 3, 1), 40, "leave_approved")  # recalled: a violation naming 李四
    roster = csv_roster(tmp_path / "r", people, att)
    out = tmp_path / f"report.{fmt}"
    code = main(["check", str(roster), "--as-of", "2023-01-01", "--question", "leave_approval", "--format", fmt,
                 "-o", str(out)])  # fmt: skip
    assert code == 1
    summary = capsys.readouterr().out
    assert "\x07" not in summary and "李\\x07四" in summary
    body = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert "\x07" not in body and "李\\u0007四" in body and json.loads(body)
        return
    assert not any(ch in body for ch in "\x07\x1b")
    assert "李\\x07四\\x1b[31m" in body
    if fmt == "junit":
        ET.fromstring(body.encode())  # well-formed


# ── item 12: a roster with nothing to check, and formulas without a value, are said so ──


def test_item12_a_people_table_with_headers_only_is_not_a_pass(tmp_path) -> None:  # noqa: ANN001
    from rosterkit import csv_roster

    from villagepolicy.roster.read import RosterError, read_roster

    with pytest.raises(RosterError, match="people.csv:people: 人员表没有数据行.*nothing would be checked"):
        read_roster(csv_roster(tmp_path / "r", []))


def test_item12_a_formula_cell_without_a_cached_value_is_reported(tmp_path) -> None:  # noqa: ANN001
    from rosterkit import workbook

    from villagepolicy.roster.read import RosterError, read_roster

    header = ["id", "name", "role", "jurisdiction", "village", "unit_staff_size"]
    row = ["p1", "张三", "first_secretary", "tongwei", "A村", "=1+1"]
    book = workbook(tmp_path / "f.xlsx", {"people": [header, row]})
    with pytest.raises(RosterError, match=r"f.xlsx:people:F2: 公式没有计算结果"):
        read_roster(book)


# ── item 10: kill -9 leaves no worker and no temporary file behind ──

_PARENT = """
import os, sys, time
from villagepolicy.roster.parallel import run_shares
folder = sys.argv[1]

def decide(indices):
    out = []
    for i in indices:
        open(os.path.join(folder, str(os.getpid())), "w").close()
        time.sleep(0.02)
        out.append(b"x" * 100_000)  # enough to fill a pipe with no reader
    return out

run_shares(100_000, 3, decide)
"""


def _gone(pid: int) -> bool:
    from pathlib import Path

    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="fork and /proc")
def test_item10_workers_exit_when_their_parent_is_killed(tmp_path) -> None:  # noqa: ANN001
    import os
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            workers = [int(f.name) for f in tmp_path.iterdir() if f.name != str(parent.pid)]
            if len(workers) >= 2:
                break
            time.sleep(0.05)
        assert len(workers) >= 2, "the workers did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not all(_gone(w) for w in workers):
            time.sleep(0.05)
        assert all(_gone(w) for w in workers), "a worker outlived its killed parent"
    finally:
        for pid in [int(f.name) for f in tmp_path.iterdir()]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_item10_a_temporary_file_of_a_killed_write_is_removed_by_the_next(tmp_path, capsys) -> None:  # noqa: ANN001
    import subprocess

    from villagepolicy.commands.core import write_atomic

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".report.json.{dead.pid}.k3j9x.tmp"
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / ".report.json.notapid.tmp"  # not ours: left alone
    other.write_bytes(b"y")
    write_atomic(tmp_path / "report.json", "{}")
    assert not stale.exists() and other.exists() and (tmp_path / "report.json").read_text() == "{}"
    assert "removed a temporary file left by a killed run" in capsys.readouterr().err


# ── item 8: what lint and validate missed ──


def _tree(tmp_path, pack: str | None = None, jur: str | None = None):  # noqa: ANN001, ANN202
    from test_differential import ANY_JURISDICTION, ANY_PACK

    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "jurisdictions").mkdir(exist_ok=True)
    (tmp_path / "rules" / "lakeside-2024.yaml").write_text(pack or ANY_PACK, encoding="utf-8")
    (tmp_path / "jurisdictions" / "lakeside.yaml").write_text(jur or ANY_JURISDICTION, encoding="utf-8")
    return tmp_path


def _both_refuse(root, pattern: str) -> None:  # noqa: ANN001
    import villagepolicy as vp
    from villagepolicy.library import shipped_root
    from villagepolicy.packs.lint import lint_tree

    findings = lint_tree([shipped_root(), root], [root]).findings
    assert any(f.level == "error" and __import__("re").search(pattern, f"{f.file}:{f.line} {f.message}")
               for f in findings), findings  # fmt: skip
    with pytest.raises(vp.PackError, match=pattern):
        vp.load(root)


@pytest.mark.parametrize("target", ["/nonexistent/x.yaml", "/dev/zero", "/etc/passwd"])
def test_item8_a_link_out_of_the_folder_is_reported_by_lint(tmp_path, target: str) -> None:  # noqa: ANN001
    import os

    root = _tree(tmp_path)
    os.symlink(target, root / "rules" / "x.yaml")
    _both_refuse(root, r"x\.yaml:1")


def test_item8_a_pack_that_ends_before_it_starts_is_refused(tmp_path) -> None:  # noqa: ANN001
    from test_differential import ANY_PACK

    start = 'effective_from: "2024-01-10"'
    pack = ANY_PACK.replace(start, start + '\n  effective_to: "2023-01-01"')
    _both_refuse(_tree(tmp_path, pack=pack), "effective_to 2023-01-01 早于 effective_from")


@pytest.mark.parametrize(("parent", "pattern"), [("nowhere", "'nowhere' unknown parent"), ("lakeside", "itself")])
def test_item8_a_parent_that_is_unknown_or_itself_is_refused(tmp_path, parent: str, pattern: str) -> None:  # noqa: ANN001
    from test_differential import ANY_JURISDICTION

    jur = ANY_JURISDICTION.replace("level: county\n", f"level: county\nparent: {parent}\n")
    assert f"parent: {parent}" in jur
    _both_refuse(_tree(tmp_path, jur=jur), pattern)


def test_item8_a_users_file_replacing_a_shipped_one_is_said(tmp_path) -> None:  # noqa: ANN001
    import shutil

    from villagepolicy.library import shipped_root
    from villagepolicy.packs.lint import lint_tree

    root = _tree(tmp_path)
    shutil.copy(shipped_root() / "jurisdictions" / "tongwei.yaml", root / "jurisdictions" / "tongwei.yaml")
    findings = lint_tree([shipped_root(), root], [root]).findings
    assert any(f.file.endswith("jurisdictions/tongwei.yaml") and "replaces" in f.message for f in findings)


def test_item4_lint_refuses_a_rule_the_engine_cannot_hold_naming_its_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from villagepolicy.cli import main as cli_main
    from villagepolicy.library import shipped_root

    folder = tmp_path / "c"
    (folder / "rules").mkdir(parents=True)
    text = (shipped_root() / "rules" / "shiquan-2021.yaml").read_text(encoding="utf-8")
    nine = ", ".join(f"{{days: {i}}}" for i in range(9))
    old = "    when: {role: first_secretary, days: {lte: 5}}\n"
    assert text.count(old) == 1
    text = text.replace(old, f"    when: {{role: first_secretary, all: [{{any: [{nine}]}}, {{any: [{nine}]}}]}}\n")
    (folder / "rules" / "shiquan-2021.yaml").write_text(text, encoding="utf-8")
    assert cli_main(["lint", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "[engine_limit]" in out and "81" in out and "64" in out and "shiquan-2021.yaml:" in out


def test_item8_a_county_file_replacing_a_shipped_one_is_announced_by_validate_and_decide(
    tmp_path: Path, capsys  # noqa: ANN001
) -> None:
    from villagepolicy.cli import main as cli_main
    from villagepolicy.library import shipped_root

    (tmp_path / "jurisdictions").mkdir()
    shipped = shipped_root() / "jurisdictions" / "tongwei.yaml"
    (tmp_path / "jurisdictions" / "tongwei.yaml").write_text(shipped.read_text(encoding="utf-8") + "# ours\n")
    assert cli_main(["validate", "--packs", str(tmp_path)]) == 0
    assert "tongwei.yaml 替换了同名文件 replaces" in capsys.readouterr().err
    facts = '{"role": "team_leader", "days": 5}'
    assert cli_main(["decide", "tongwei", "leave_approval", "--facts", facts, "--packs", str(tmp_path)]) == 0
    assert "替换了同名文件" in capsys.readouterr().err

"""One command line: README's tables are `villagepolicy --help`'s, errors are Chinese first (JSON with --json),
the date is --on (--as-of its alias) everywhere, and every argument has help."""

from __future__ import annotations

import argparse
import io
import json

import pytest
import readme_tables

from villagepolicy.cli import build_parser, main
from villagepolicy.exitcodes import EXIT_CODES


def test_readme_command_and_exit_code_tables_match_help() -> None:
    for name in readme_tables.BLOCKS:
        assert readme_tables.current(name) == readme_tables.generated(name), "python tests/readme_tables.py --write"


def test_help_lists_the_exit_codes_and_the_commands_in_readme_order(capsys: pytest.CaptureFixture) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for code, zh, en in EXIT_CODES:
        assert f"  {code}  {zh} {en}" in out
    positions = [
        out.index(f"    {name} ") if f"    {name} " in out else out.index(f"    {name}\n")
        for name, _ in readme_tables.subcommands()
    ]
    assert positions == sorted(positions)
    assert [n for n, _ in readme_tables.subcommands()][:8] == [
        "decide",
        "explain",
        "duties",
        "appraisal-roster",
        "check",
        "check-lake",
        "impact",
        "sample",
    ]


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_argument_of_every_command_has_help() -> None:
    for name, p in _subparsers().items():
        for a in p._actions:
            if isinstance(a, argparse._HelpAction):
                continue
            assert a.help, f"{name} {a.option_strings or a.dest} has no help"
            if a.choices and not isinstance(a, argparse._SubParsersAction):
                listed = a.help + " " + " ".join(a.option_strings)
                assert all(str(c) in listed for c in a.choices) or a.help.count(",") or "(default" in a.help, name


def test_date_is_on_everywhere_with_as_of_as_its_alias() -> None:
    for name, p in _subparsers().items():
        opts = {o for a in p._actions for o in a.option_strings}
        if "--on" in opts or "--as-of" in opts:
            assert {"--on", "--as-of"} <= opts, name
            action = next(a for a in p._actions if "--on" in a.option_strings)
            assert "--as-of" in action.option_strings and "--as-of" in action.help, name


def test_engine_has_help_and_the_same_choices_everywhere() -> None:
    for name, p in _subparsers().items():
        for a in p._actions:
            if "--engine" in a.option_strings:
                assert a.help and {"durable", "reference"} <= set(a.choices), name


def test_a_bad_date_is_a_bad_argument_not_bad_facts(capsys: pytest.CaptureFixture) -> None:
    code = main(
        ["decide", "shiquan", "leave_approval", "--facts", "{role: team_member, days: 3}", "--on", "2022-13-01"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "参数" in err and "--on/--as-of" in err and "事实有误" not in err
    assert main(["check", "x.xlsx", "--as-of", "soon"]) == 2
    assert "不是日期 not a date" in capsys.readouterr().err


def test_argparse_errors_are_chinese_first_with_did_you_mean(capsys: pytest.CaptureFixture) -> None:
    assert main(["decide", "shiquan", "leave_approval", "--facts", "{}", "--engine", "durabel"]) == 2
    err = capsys.readouterr().err
    assert "参数取值无效" in err and "did you mean 'durable'" in err
    assert main(["decide", "shiquan"]) == 2
    assert "缺少必需的参数" in capsys.readouterr().err
    assert main(["chek"]) == 2
    assert "did you mean 'check'" in capsys.readouterr().err


def test_json_makes_errors_json(capsys: pytest.CaptureFixture) -> None:
    assert main(["decide", "shiquan", "leave_approval", "--facts", "{role: team_membr, days: 3}", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["error"] == "bad_facts" and data["exit_code"] == 2
    assert set(data) == {"error", "message_zh", "message_en", "problems", "exit_code"}
    assert data["problems"][0]["field"] == "role" and "team_member" in data["problems"][0]["message"]
    assert main(["decide", "shiquan", "leave_approval", "--facts", "{}", "--on", "x", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "bad_arguments"
    assert main(["validate", "no/such/pack.yaml", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["problems"][0]["file"] == "no/such/pack.yaml"


def test_facts_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"role": "first_secretary", "days": 12}'))
    assert main(["decide", "shiquan", "leave_approval", "--facts", "-", "--on", "2022-05-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "approve"


def test_an_internal_error_exits_3_with_one_line_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import villagepolicy.commands.core as core

    def boom(args: argparse.Namespace) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(core, "cmd_list", boom)
    assert main(["list"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "内部错误 internal error: ZeroDivisionError" in err and "report" in err
    assert "Traceback" not in err

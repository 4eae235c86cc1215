"""The exit codes of every `villagepolicy` command, and the JSON shape of an error (`--json`).

One table, shown by `villagepolicy --help` and copied into README.md (tests/test_cli_contract.py keeps
the two the same).
"""

from __future__ import annotations

import json
from typing import Any

OK, FOUND, BAD_INPUT, INTERNAL, CALENDAR_MISSING = 0, 1, 2, 3, 4

EXIT_CODES: list[tuple[int, str, str]] = [
    (OK, "成功", "success: nothing at or above the threshold found"),
    (FOUND, "发现问题", "problems found: violations, failed cases, lint errors, stale files, quota exceeded"),
    (BAD_INPUT, "输入有误", "bad input: arguments, facts, roster cells or pack files (each named with its place)"),
    (INTERNAL, "内部错误", "internal error: a bug or a crashed worker; please report it"),
    (CALENDAR_MISSING, "缺少日历数据", "the working-day calendar has no data for a year that is needed"),
]

REPORT_HINT = "请把命令和这一行报告给维护者 please report the command and this line to the villagepolicy maintainers"


def exit_code_table() -> str:
    """The table as plain text, for `villagepolicy --help`."""
    lines = ["退出码 exit codes:"]
    lines += [f"  {code}  {zh} {en}" for code, zh, en in EXIT_CODES]
    return "\n".join(lines)


def exit_code_markdown() -> str:
    """The same table as Markdown, for README.md."""
    lines = ["| 退出码 exit code | 含义 meaning |", "|---|---|"]
    lines += [f"| {code} | {zh} {en} |" for code, zh, en in EXIT_CODES]
    return "\n".join(lines)


def error_json(kind: str, message_zh: str, message_en: str, problems: list[Any], exit_code: int) -> str:
    """The one JSON shape of an error, printed instead of the text message when a command was given --json."""
    return json.dumps(
        {
            "error": kind,
            "message_zh": message_zh,
            "message_en": message_en,
            "problems": problems,
            "exit_code": exit_code,
        },
        ensure_ascii=False,
        indent=2,
    )

"""Common pack mistakes and the exact messages `villagepolicy validate` gives for them.

docs/pack-format.md shows the table between its `<!-- mistakes:begin -->` and `<!-- mistakes:end -->`
markers; tests/test_pack_mistakes.py fails when it is not what this script produces. Regenerate with

    python tests/pack_mistakes.py --write
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import doc_markers
import lakeside

DOC = doc_markers.DOCS / "pack-format.md"
BEGIN, END = "<!-- mistakes:begin -->", "<!-- mistakes:end -->"

# The worked example of docs/pack-format.md (§4), which loads cleanly; each mistake is one edit to it.
PACK = lakeside.PACK

# (mistake in Chinese, in English, the text replaced, its replacement)
MISTAKES: list[tuple[str, str, str, str]] = [
    (
        "键名拼错",
        "a misspelt key",
        "    when: {role: team_member, days: {gte: 8}}",
        "    whn: {role: team_member, days: {gte: 8}}",
    ),
    (
        "全角冒号",
        "a full-width colon",
        "    question: leave_approval\n    when: {role: team_member, days: {gte: 8}}",
        "    question：leave_approval\n    when: {role: team_member, days: {gte: 8}}",
    ),
    (
        "用 Tab 缩进",
        "a tab for indentation",
        '    cites: ["9"]\n  - id: lk-leave-long',
        '\tcites: ["9"]\n  - id: lk-leave-long',
    ),
    (
        "缩进没对齐",
        "indentation out of line",
        "    then: {outcome: approve, approvers: [county_org_dept]}",
        "     then: {outcome: approve, approvers: [county_org_dept]}",
    ),
    (
        "全角逗号分隔列表",
        "a full-width comma in a list",
        "approvers: [county_org_dept]",
        "approvers: [dispatching_unit，county_org_dept]",
    ),
    (
        "引用了不存在的条款",
        "citing a clause the pack does not list",
        '    cites: ["9"]\n  - id: lk-leave-long',
        '    cites: ["19"]\n  - id: lk-leave-long',
    ),
    ("条款编号没加引号", "an unquoted clause id", '  - id: "9"', "  - id: 9"),
    (
        "then 中的键拼错",
        "a misspelt key in then",
        "approvers: [town_party_committee]",
        "approver: [town_party_committee]",
    ),
    (
        "取值拼错",
        "a misspelt value",
        "when: {role: team_member, days: {gte: 8}}",
        "when: {role: team_membr, days: {gte: 8}}",
    ),
    (
        "问题编号拼错",
        "a misspelt question",
        "    question: leave_approval\n    when: {role: team_member, days: {gte: 8}}",
        "    question: leave_aproval\n    when: {role: team_member, days: {gte: 8}}",
    ),
    (
        "引用了标为不可编码的条款",
        "citing a clause marked not_encodable",
        "    summary_en: Up to 7 days the town party committee approves; above, the county org dept.\n",
        "    summary_en: Up to 7 days the town party committee approves; above, the county org dept.\n"
        "    not_encodable: {reason: qualitative, note_en: no measure}\n",
    ),
    (
        "检查项的条款不在规则的 cites 中",
        "a check's clause not among the rule's cites",
        '    then: {outcome: not_covered}\n    cites: ["9"]\n',
        '    then: {outcome: not_covered}\n    cites: ["9"]\n'
        "  - id: lk-esc-other\n    question: escalation\n    otherwise: true\n"
        "    then: {outcome: not_covered, checks: [{id: lk-verify, message_zh: 核实, message_en: verify,"
        ' clause: "10"}]}\n'
        '    cites: ["9"]\n',
    ),
    (
        "requires 中的事实拼错",
        "a misspelt fact in requires",
        "rules:\n  - id: lk-leave-short",
        'requires:\n  - question: leave_approval\n    facts: [dayz]\n    cites: ["9"]\nrules:\n  - id: lk-leave-short',
    ),
    (
        "消息中有无法填入的占位符",
        "a placeholder nothing fills",
        '    then: {outcome: not_covered}\n    cites: ["9"]\n',
        '    then: {outcome: not_covered}\n    cites: ["9"]\n    note_en: "Only {role} is named."\n',
    ),
]

# The line shown for a mistake whose edit spans several lines (otherwise its first line).
SHOWN = {
    11: "not_encodable: {reason: qualitative, note_en: no measure}",
    12: 'checks: [{id: lk-verify, ..., clause: "10"}]',
    13: "facts: [dayz]",
    14: 'note_en: "Only {role} is named."',
}


def messages(text: str) -> list[str]:
    """What `villagepolicy validate` prints for this pack text, with the file as rules/lakeside-2024.yaml."""
    from villagepolicy.errors import PackError
    from villagepolicy.packs.loader import load_pack

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules" / "lakeside-2024.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        try:
            load_pack(path)
        except PackError as e:
            return [str(p).replace(str(path), "rules/lakeside-2024.yaml") for p in e.problems]
    return []


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def table() -> str:
    assert messages(PACK) == [], "the base pack must load cleanly"
    lines = [
        BEGIN,
        "<!-- Generated by `python tests/pack_mistakes.py --write`; tests/test_pack_mistakes.py checks it. -->",
        "",
        "| # | 错误 mistake | 写成 written | 提示 message |",
        "|---|---|---|---|",
    ]
    for n, (zh, en, old, new) in enumerate(MISTAKES, start=1):
        text = PACK.replace(old, new, 1)
        assert text != PACK, f"mistake {n} changed nothing"
        shown = SHOWN.get(n) or new.splitlines()[0].replace("\t", "⇥").replace("：", "：").strip() or new
        msgs = messages(text)
        assert msgs, f"mistake {n} ({en}) loads without a message"
        lines.append(f"| {n} | {zh} {en} | `{_cell(shown)}` | {'<br>'.join(f'`{_cell(m)}`' for m in msgs)} |")
    lines.append(END)
    return "\n".join(lines)


def current() -> str:
    return doc_markers.current(DOC, BEGIN, END)


if __name__ == "__main__":
    doc_markers.main(DOC, BEGIN, END, table, "pack_mistakes.py")

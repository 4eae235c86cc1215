"""Issue 17 item 6: holes the pack loader used to let through, each refused at file:line:col (or accepted)."""

from __future__ import annotations

import pack_mistakes
from lakeside import PACK


def _messages(old: str, new: str) -> list[str]:
    text = PACK.replace(old, new, 1)
    assert text != PACK
    return pack_mistakes.messages(text)


SUMMARY = "    summary_en: Up to 7 days the town party committee approves; above, the county org dept.\n"


def test_cited_clause_marked_not_encodable_refused():
    msgs = _messages(SUMMARY, SUMMARY + "    not_encodable: {reason: qualitative, note_en: x}\n")
    assert msgs and all("rules/lakeside-2024.yaml:" in m and "not_encodable" in m for m in msgs)


def test_check_clause_outside_rule_cites_refused():
    old = '    then: {outcome: not_covered}\n    cites: ["9"]\n'
    rule = (
        "  - id: lk-esc-other\n    question: escalation\n    otherwise: true\n"
        '    then: {outcome: not_covered, checks: [{id: v, message_zh: 核, message_en: v, clause: "10"}]}\n'
        '    cites: ["9"]\n'
    )
    [msg] = _messages(old, old + rule)
    assert "rules[4].then.checks[1].clause" in msg and "'10'" in msg and "cites" in msg


def test_check_clause_inside_rule_cites_loads():
    old = '    then: {outcome: not_covered}\n    cites: ["9"]\n'
    rule = (
        "  - id: lk-esc-other\n    question: escalation\n    otherwise: true\n"
        '    then: {outcome: not_covered, checks: [{id: v, message_zh: 核, message_en: v, clause: "9"}]}\n'
        '    cites: ["9"]\n'
    )
    assert _messages(old, old + rule) == []


def test_not_encodable_reason_incomplete_source_accepted():
    extra = (
        '  - id: "10"\n    text_zh: "（原文此处残缺）"\n    summary_en: cut short in the source\n'
        "    not_encodable: {reason: incomplete_source, note_en: the source text stops mid-sentence}\n"
    )
    assert _messages(SUMMARY, SUMMARY + extra) == []


def test_undated_document_issued_unknown_or_omitted():
    from villagepolicy.packs.schema import PackMeta

    assert _messages('  issued: "2024-01-10"\n', "  issued: unknown\n") == []
    assert _messages('  issued: "2024-01-10"\n', "") == []
    meta = {"id": "x", "title_zh": "t", "issuer_zh": "i", "effective_from": "2024-01-10", "source": "s"}
    assert PackMeta.model_validate({**meta, "issued": "unknown"}).issued is None



def test_rule_note_en_reaches_the_decision():
    import villagepolicy as vp

    lib = vp.load()
    rule = next(cr.rule for cr in lib.packs["tongwei-2018"].rules if cr.rule.id == "tw-leave-other-roles")
    facts = {"role": "party_building_instructor", "days": 3}
    d = lib.jurisdiction("tongwei").decide("leave_approval", facts, "2019-01-01")
    assert d.trace[0] == "tw-leave-other-roles" and rule.note_en in d.notes
    assert d.notes.count(rule.note_en) == 1


def test_placeholder_nothing_fills_refused():
    old = '    then: {outcome: not_covered}\n    cites: ["9"]\n'
    [msg] = _messages(old, old + '    note_en: "Only {role} is named."\n')
    assert "rules[3].note_en" in msg and "{role}" in msg and "rules/lakeside-2024.yaml:" in msg



def test_tongwei_28_quota_wording_comes_from_the_pack():
    import villagepolicy as vp

    facts = {"subject": "individual", "score": 90, "months_stationed": 12}
    d = vp.load().jurisdiction("tongwei").decide("appraisal_grade", facts, "2019-12-31")
    [check] = [f for f in d.manual_checks if f.id == "grade_may_be_given"]
    assert check.message_zh == "文件规定“可评为”优秀：可评而非必评，受全县比例控制(见 appraisal_roster)"
    assert check.message_en.endswith("*may* be excellent (可); county quotas apply (appraisal_roster)")
    rule = next(cr for cr in vp.load().packs["tongwei-2018"].rules if cr.rule.id == "tw-appr-individual-excellent")
    assert rule.effect.hedge_zh == "受全县比例控制(见 appraisal_roster)"


def test_tongwei_17_handover_check_id_comes_from_the_pack():
    import villagepolicy as vp
    from villagepolicy.questions.term import TermEffect

    rule = next(cr for cr in vp.load().packs["tongwei-2018"].rules if cr.rule.id == "tw-term-handover")
    assert rule.effect.handover_check_id == "handover-five-clears"
    assert TermEffect.model_validate({"outcome": "assessed", "handover_check_id": "handover-list"})


def test_shiquan_13_4_grade_cap_wording_comes_from_the_pack():
    import villagepolicy as vp

    lib = vp.load()
    caps = [cr.effect for cr in lib.packs["shiquan-2021"].rules if getattr(cr.effect, "grade_cap", None)]
    assert caps and all(e.grade_cap_zh == "驻村考勤问题限制等次" for e in caps)
    absent = {"kind": "absent_on_inspection", "leave_procedure_followed": False}
    hist = [{**absent, "date": f"2022-0{i}-10"} for i in (3, 4)]
    facts = {
        "subject": "individual",
        "grade": "excellent",
        "months_stationed": 12,
        "year": 2022,
        "escalation": {"role": "team_member", "history": hist},
    }
    d = lib.jurisdiction("shiquan").decide("appraisal_grade", facts, "2022-12-31")
    assert d.notes == [
        "等次由 优秀 降为 称职：驻村考勤问题限制等次 capped from excellent to competent by the escalation history"
        " (talk_and_notice)"
    ]

"""Decision and rule values as words a person reads: labels beside ids, bans as sentences, no `k=v` dumps."""

from __future__ import annotations

from typing import Any

from .questions import QUESTIONS, get
from .vocabulary import ACTIONS, AUTHORITIES, LABELS_EN, ROLES, declared_label, labels


def label(term: str, question: str | None = None, lang: str = "zh") -> str:
    """The label of a vocabulary id or of a question's outcome in `lang` (the id itself when it has none;
    in English an outcome id reads as words: non_compliant -> "non compliant")."""
    if lang == "en":
        return LABELS_EN.get(term) or declared_label(term, "en") or term.replace("_", " ")
    for table in (ROLES, AUTHORITIES, ACTIONS):
        if term in table:
            return table[term]
    own = declared_label(term)  # an id a loaded pack declared (its `vocabulary:` section)
    if own is not None:
        return own
    asked = get(question)
    for q in [asked] if asked is not None else QUESTIONS.values():
        if term in q.outcome_labels:
            return q.outcome_labels[term]
    return GRADE_ZH.get(term, term)  # a grade (grade_cap, grade_set) reads as 称职, not competent


GRADE_ZH = labels("grade")
BAN_ZH = labels("ban")
BAN_EN = labels("ban", "en")
WHO_ZH = labels("ban_subject")
FIELD_ZH = {
    "outcome": "结论",
    "approvers": "审批",
    "filed_with": "备案",
    "actions": "措施",
    "actors": "执行",
    "grade_cap": "最高等次",
    "bans": "限制",
    "deadlines": "时限",
    "consequences": "后果",
    "level": "级别",
    "requirement": "要求",
    "checks": "核查",
    "message_zh": "说明",
    "reviewers": "审核",
    "grade_set": "确定等次",
    "deductions": "扣分",
    "organisation": "扣分单位",
    "occurrences": "次数",
    "approver_one_of": "审批（其一即可）",
    "values": "依据的数值",
}


def is_ban(v: Any) -> bool:
    return isinstance(v, dict) and v.get("kind") in BAN_ZH


def ban_text(b: dict[str, Any], lang: str = "zh") -> str:
    who = b.get("applies_to") or "person"
    if lang == "zh":
        when = "当年" if b.get("this_year") else (f"{b['years']}年内" if b.get("years") else "")
        whom = "" if who == "person" else f"{WHO_ZH.get(who, who)}"
        return f"{whom}{when}不得{BAN_ZH[b['kind']]}"
    when = " this year" if b.get("this_year") else (f" for {b['years']} years" if b.get("years") else "")
    whom = "" if who == "person" else f" ({who.replace('_', ' ')})"
    return f"no {BAN_EN[b['kind']]}{when}{whom}"


def deduction_text(x: dict[str, Any], lang: str = "zh") -> str:
    """所在镇党建工作考核 扣0.6分（镇(乡)党委；每次0.2分×3次，最多扣2分；条款 9）"""
    who = label(x["organisation"], lang=lang)
    cap = x.get("max_total")
    if lang == "zh":
        most = f"，最多扣{cap}分" if cap is not None else ""
        reached = "，已达上限" if cap is not None and x["total"] == cap else ""
        return (
            f"{x['appraisal_zh']} 扣{x['total']}分（{who}；每次{x['points']}分×{x['occurrences']}次{most}{reached}；"
            f"条款 {x['clause']}，规则 {x['rule']}）"
        )
    most = f", at most {cap}" if cap is not None else ""
    what = x.get("appraisal_en") or x["appraisal_zh"]
    return f"{who}: {what} loses {x['total']} points ({x['points']} × {x['occurrences']}{most}; {x['clause']})"


def value_words(v: Any, question: str | None = None, lang: str = "zh") -> str:
    """One value as words: ids with their labels, bans as sentences, records as `field value; …`."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if is_ban(v):
        return ban_text(v, lang)
    if isinstance(v, dict) and {"organisation", "points", "occurrences", "total"} <= v.keys():
        return deduction_text(v, lang)
    if isinstance(v, dict):
        if "pack" in v and "clause" in v:  # a citation: its place (its text is listed elsewhere)
            return f"{v['pack']} {v['clause']}" + (f" ({v['interpretation']})" if v.get("interpretation") else "")
        parts = [
            f"{field_words(k, lang)} "
            + (occurrence_words(x, lang) if k == "occurrences" else value_words(x, question, lang))
            for k, x in v.items()
            # 0 is a value worth showing (0 on duty), though 0 == False
            if not (x is None or x is False or x == "" or (isinstance(x, list | dict) and not x))
        ]
        return "；".join(parts) if lang == "zh" else "; ".join(parts)
    if isinstance(v, list | tuple):
        sep = "、" if lang == "zh" and all(isinstance(x, str) for x in v) else ", "
        return sep.join(value_words(x, question, lang) for x in v) or "—"
    if isinstance(v, str):
        shown = label(v, question, lang)
        return f"{shown} ({v})" if lang == "zh" and shown != v else shown
    return str(v)


def occurrence_words(occ: Any, lang: str = "zh") -> str:
    """A duty's occurrences in one phrase: a daily diary has 366 of them, which nobody reads one by one."""
    if not isinstance(occ, list) or len(occ) <= 3 or not all(isinstance(o, dict) and "due" in o for o in occ):
        return value_words(occ, None, lang)
    first, last = occ[0]["due"], occ[-1]["due"]
    if lang == "zh":
        return f"共{len(occ)}次，首次截止 {first}，末次截止 {last}"
    return f"{len(occ)} in all, first due {first}, last due {last}"


def field_words(k: str, lang: str = "zh") -> str:
    return f"{FIELD_ZH[k]} {k}" if lang == "zh" and k in FIELD_ZH else k

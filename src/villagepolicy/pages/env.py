"""The Jinja2 environment of the pages: templates shipped in the package, every value escaped."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

# The words of the pages in each language; a template reads them as t.key.
STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "report_title": "驻村名册核查报告",
        "as_of": "截至",
        "period": "考勤期间",
        "people": "人员",
        "villages": "村",
        "checks": "核查项",
        "violations": "违规",
        "warnings": "警示",
        "manual_checks": "人工核查",
        "verdict_fail": "不通过",
        "verdict_pass": "通过",
        "fail_on": "不通过条件",
        "findings": "违规与警示",
        "no_findings": "没有违规或警示。",
        "clauses": "条款原文",
        "cites": "依据",
        "interpretation": "解释",
        "stay": "驻村天数（逐月）",
        "stay_note": "柱高为当月各类考勤天数；深色为计入要求的天数，横线为每月要求。年度要求见柱下方。",
        "required": "要求",
        "counted": "计",
        "short": "差",
        "met": "达标",
        "not_met": "未达标",
        "no_requirement": "文件未规定天数",
        "manual_by_clause": "人工核查（按条款汇总）",
        "deductions": "扣分汇总（按单位）",
        "deduction_body": "单位",
        "deduction_appraisal": "考核项目",
        "deduction_year": "年度",
        "deduction_times": "次数",
        "deduction_total": "扣分",
        "deduction_people": "人员",
        "deduction_capped": "已达上限",
        "not_given": "未填",
        "not_covered": "文件未规定（未判定）",
        "not_checked": "名册不涉及的问题",
        "charts_omitted": "其余 {n} 人未达标项为零，图略（见 JSON 报告）。",
        "jurisdiction": "辖区",
        "search": "搜索条款、规则、解释",
        "packs": "规则包",
        "documents": "文件",
        "rules": "规则",
        "tests": "规则包测试",
        "coverage": "条款覆盖",
        "not_encodable": "不可编码",
        "reason": "理由",
        "questions": "问题",
        "site_title": "驻村政策规则包",
        "issued": "发布",
        "issued_unknown": "日期不详",
        "effective": "生效",
        "issuer": "发布机关",
        "doc_no": "文号",
        "source": "来源",
        "when": "条件",
        "then": "结论",
        "ambiguity": "歧义",
        "reading": "采用的解读",
        "why": "理由",
        "cases": "用例",
        "passed": "通过",
        "failed": "失败",
        "rule_coverage": "规则覆盖率",
        "uncited": "未被规则引用",
        "otherwise": "其他情况",
        "precedence": "规则包（按优先顺序）",
        "not_applied": "不适用的文件",
        "no_results": "没有找到。",
        "back": "返回",
        "generated": "由 villagepolicy 生成",
        "tier_table": "分档表",
        "status": "状态",
        "pending": "待编码",
        "cited": "已编码",
        "uncovered": "未覆盖",
        "facts": "事实",
        "expect": "期望",
        "case_file": "测试文件",
    },
    "en": {
        "report_title": "Roster check report",
        "as_of": "as of",
        "period": "attendance period",
        "people": "people",
        "villages": "villages",
        "checks": "checks",
        "violations": "violations",
        "warnings": "warnings",
        "manual_checks": "manual checks",
        "verdict_fail": "FAIL",
        "verdict_pass": "PASS",
        "fail_on": "fails on",
        "findings": "Violations and warnings",
        "no_findings": "No violation or warning.",
        "clauses": "Clause text",
        "cites": "cites",
        "interpretation": "interpretation",
        "stay": "Days in the village, month by month",
        "stay_note": "Bar height: days of attendance of any kind in the month; dark: days that count towards the "
        "requirement; line: the monthly requirement. Yearly requirements below the bars.",
        "required": "required",
        "counted": "counted",
        "short": "short",
        "met": "met",
        "not_met": "not met",
        "no_requirement": "no day count in the document",
        "manual_by_clause": "Manual checks, by clause",
        "deductions": "Deductions by organisation",
        "deduction_body": "body",
        "deduction_appraisal": "appraisal",
        "deduction_year": "year",
        "deduction_times": "times",
        "deduction_total": "points lost",
        "deduction_people": "people",
        "deduction_capped": "capped",
        "not_given": "not given",
        "not_covered": "Not covered by the documents (not judged)",
        "not_checked": "Questions a roster does not answer",
        "charts_omitted": "{n} more people have no stay finding; their charts are left out (see the JSON report).",
        "jurisdiction": "jurisdiction",
        "search": "Search clauses, rules, interpretations",
        "packs": "packs",
        "documents": "documents",
        "rules": "rules",
        "tests": "pack tests",
        "coverage": "clause coverage",
        "not_encodable": "not encodable",
        "reason": "reason",
        "questions": "questions",
        "site_title": "Village work-team policy packs",
        "issued": "issued",
        "issued_unknown": "date unknown",
        "effective": "in force",
        "issuer": "issuer",
        "doc_no": "document no.",
        "source": "source",
        "when": "when",
        "then": "then",
        "ambiguity": "ambiguity",
        "reading": "reading chosen",
        "why": "why",
        "cases": "cases",
        "passed": "passed",
        "failed": "failed",
        "rule_coverage": "rule coverage",
        "uncited": "cited by no rule",
        "otherwise": "otherwise",
        "precedence": "packs (precedence order)",
        "not_applied": "documents not applied",
        "no_results": "Nothing found.",
        "back": "back",
        "generated": "generated by villagepolicy",
        "tier_table": "tier table",
        "status": "status",
        "pending": "pending",
        "cited": "cited",
        "uncovered": "uncovered",
        "facts": "facts",
        "expect": "expect",
        "case_file": "test file",
    },
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("villagepolicy.pages", "templates"),
        autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
        undefined=StrictUndefined,  # a misspelt name in a template fails its test, never renders empty
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The page's own stylesheet and script, inlined: a report is one file that needs no network.
    env.globals["css"] = Markup(_asset("pages.css"))
    env.globals["search_js"] = Markup(_asset("search.js"))
    env.filters["qtitle"] = question_title
    return env


def question_title(name: str) -> str:
    """A question as an official reads it: its Chinese title, the id after it (违规处理与问责升级 escalation)."""
    from ..questions import get

    q = get(name)
    return f"{q.title_zh} {name}" if q is not None and q.title_zh else name


def _asset(name: str) -> str:
    return (resources.files("villagepolicy.pages") / "templates" / name).read_text(encoding="utf-8")


def render(template: str, lang: str, **context: Any) -> str:
    return environment().get_template(template).render(t=STRINGS[lang], lang=lang, **context)

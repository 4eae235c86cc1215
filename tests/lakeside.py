"""The worked example of docs/pack-format.md §4 (Lakeside County), shared by the tests that need a county pack."""

from __future__ import annotations

META = """\
pack:
  id: lakeside-2024
  title_zh: 湖畔县驻村工作队管理办法
  issuer_zh: 中共湖畔县委办公室
  doc_no: null
  issued: "2024-01-10"
  effective_from: "2024-01-10"
  source: lakeside.txt
"""

CLAUSE = """\
  - id: "9"
    text_zh: "工作队员请假7天以内由镇党委批准，7天以上由县委组织部批准。"
    summary_en: Up to 7 days the town party committee approves; above, the county org dept.
"""

RULES = """\
  - id: lk-leave-short
    question: leave_approval
    when: {role: team_member, days: {lte: 7}}
    then: {outcome: approve, approvers: [town_party_committee]}
    cites: ["9"]
  - id: lk-leave-long
    question: leave_approval
    when: {role: team_member, days: {gte: 8}}
    then: {outcome: approve, approvers: [county_org_dept]}
    cites: ["9"]
  - id: lk-leave-other
    question: leave_approval
    otherwise: true
    then: {outcome: not_covered}
    cites: ["9"]
"""

HEAD = META + "clauses:\n" + CLAUSE
PACK = HEAD + "rules:\n" + RULES

"""The public vocabulary: ids are a contract, each with its Chinese label."""

from __future__ import annotations

from typing import Literal

ROLES: dict[str, str] = {
    "first_secretary": "第一书记",
    "team_leader": "工作队长",
    "team_member": "工作队员",
    "party_building_instructor": "党建指导员",
}

AUTHORITIES: dict[str, str] = {
    "town_party_committee": "镇(乡)党委",
    "town_party_secretary": "乡镇党委书记",
    "team_leader": "队长",
    "county_org_dept": "县委组织部",
    "county_rural_revitalization_bureau": "县乡村振兴局",
    "county_agriculture_bureau": "县农业农村局",
    "county_leading_group_office": "县驻村帮扶工作队管理领导小组办公室",
    "county_discipline_commission": "纪检部门",
    "dispatching_unit": "派出单位",
    # issue 7 (duties, supervision, benefits): bodies the documents name as responsible or as recipients
    "county_leading_group": "县驻村工作领导小组",
    "county_general_leader": "县驻村工作队总队长",
    "town_general_leader": "乡镇驻村工作队总队长",
    "town_party_building_office": "乡镇党建办",
    "county_inspection_group": "县驻村工作队督查组",
    "county_rural_work_dept": "县委农工部(县扶贫办)",
    "county_finance_bureau": "县财政局",
    "county_hr_bureau": "县人社局",
    # issue 14: Tongwei 17's handover witness, a township office (not the county's 纪检部门)
    "town_discipline_secretary": "乡镇纪委书记",
}

ACTIONS: dict[str, str] = {
    "criticism_education": "批评教育",
    "talk_and_notice": "谈话通报",
    "revoke_reserve_cadre": "取消后备干部资格",
    "recall": "召回",
    "reselect": "重新选派/另行选派",
    "disciplinary_handling": "按违纪论处",
    "education_rectification": "教育整改",
    "accountability": "问责",
    "admonishment_talk": "诫勉谈话",
    "bonus_deduction": "扣发绩效奖",
    "no_awards_this_year": "不得评先选优",
    "joint_investigation": "联合调查",
    "transfer_to_discipline": "移交纪检司法",
    # escalation (issue 5): procedural steps with deadlines, and consequences the documents name
    "take_back": "请回单位",
    "return_to_village": "重新派回驻村",
    "review_request": "申请复核",
    "review_answer": "复核答复",
    "record_in_personnel_file": "归入干部个人档案",
    "unit_score_deduction": "派出单位年度目标考核扣分",
    "serious_handling": "严肃处理",
}

Role = Literal["first_secretary", "team_leader", "team_member", "party_building_instructor"]
Authority = Literal[
    "town_party_committee",
    "town_party_secretary",
    "team_leader",
    "county_org_dept",
    "county_rural_revitalization_bureau",
    "county_agriculture_bureau",
    "county_leading_group_office",
    "county_discipline_commission",
    "dispatching_unit",
    "county_leading_group",
    "county_general_leader",
    "town_general_leader",
    "town_party_building_office",
    "county_inspection_group",
    "county_rural_work_dept",
    "county_finance_bureau",
    "county_hr_bureau",
    "town_discipline_secretary",
]
Action = Literal[
    "criticism_education",
    "talk_and_notice",
    "revoke_reserve_cadre",
    "recall",
    "reselect",
    "disciplinary_handling",
    "education_rectification",
    "accountability",
    "admonishment_talk",
    "bonus_deduction",
    "no_awards_this_year",
    "joint_investigation",
    "transfer_to_discipline",
    "take_back",
    "return_to_village",
    "review_request",
    "review_answer",
    "record_in_personnel_file",
    "unit_score_deduction",
    "serious_handling",
]


# English labels of the same ids (reports in --lang en).
LABELS_EN: dict[str, str] = {
    "first_secretary": "first secretary",
    "team_leader": "team leader",
    "team_member": "team member",
    "party_building_instructor": "party-building instructor",
    "town_party_committee": "town party committee",
    "town_party_secretary": "town party secretary",
    "county_org_dept": "county organisation department",
    "county_rural_revitalization_bureau": "county rural revitalisation bureau",
    "county_agriculture_bureau": "county agriculture bureau",
    "county_leading_group_office": "office of the county leading group for village work teams",
    "county_discipline_commission": "discipline inspection body",
    "dispatching_unit": "dispatching unit",
    "county_leading_group": "county leading group for village work",
    "county_general_leader": "county general leader of the work teams",
    "town_general_leader": "town general leader of the work teams",
    "town_party_building_office": "town party-building office",
    "county_inspection_group": "county inspection group",
    "county_rural_work_dept": "county rural work department (poverty alleviation office)",
    "county_finance_bureau": "county finance bureau",
    "county_hr_bureau": "county human resources bureau",
    "criticism_education": "criticism and education",
    "talk_and_notice": "talk and public notice",
    "revoke_reserve_cadre": "reserve-cadre status revoked",
    "recall": "recall",
    "reselect": "select a replacement",
    "disciplinary_handling": "handled as a disciplinary violation",
    "education_rectification": "education and rectification",
    "accountability": "accountability",
    "admonishment_talk": "admonishment talk",
    "bonus_deduction": "performance bonus withheld",
    "no_awards_this_year": "no awards this year",
    "joint_investigation": "joint investigation",
    "transfer_to_discipline": "referred to discipline or judicial bodies",
    "take_back": "taken back by the unit",
    "return_to_village": "sent back to the village",
    "review_request": "request for review",
    "review_answer": "answer to the review",
    "record_in_personnel_file": "recorded in the personnel file",
    "unit_score_deduction": "points deducted from the dispatching unit's annual appraisal",
    "serious_handling": "dealt with severely",
}


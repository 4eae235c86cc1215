"""Reports in the reader's language: reading_zh carried through Citation and to_dict(); --lang en is English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import villagepolicy as vp
from villagepolicy.cli import main

SHIQUAN = str(Path(__file__).resolve().parents[1] / "examples" / "rosters" / "shiquan.xlsx")
CJK = re.compile("[\u4e00-\u9fff]")


def test_interpretations_carry_reading_zh_through_citation_and_to_dict() -> None:
    d = vp.decide("shiquan", "leave_approval", {"role": "first_secretary", "days": 10}, on="2022-05-01")
    (c,) = [c for c in d.citations if c.interpretation == "leave-10-day-boundary"]
    assert c.reading_zh and c.reading_zh.startswith("闭区间优先") and "closed tier" in (c.reading_en or "")
    dumped = [x for x in d.to_dict()["citations"] if x["interpretation"] == "leave-10-day-boundary"][0]
    assert dumped["reading_zh"] == c.reading_zh and dumped["reading_en"] == c.reading_en
    assert c.reading("zh") == c.reading_zh and c.reading("en") == c.reading_en


def test_decide_text_prints_the_chinese_reading_by_default_and_english_with_lang_en(capsys) -> None:  # noqa: ANN001
    facts = "{role: first_secretary, days: 10}"
    assert main(["decide", "shiquan", "leave_approval", "--facts", facts, "--on", "2022-05-01"]) == 0
    out = capsys.readouterr().out
    assert "闭区间优先" in out and "The closed tier wins" not in out
    assert main(["decide", "shiquan", "leave_approval", "--facts", facts, "--on", "2022-05-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "The closed tier wins" in out and "county organisation department" in out
    assert not CJK.search(out.replace("(Ankang, Shaanxi)", "")), out  # labels, readings and summaries in English


def test_roster_report_uses_the_readers_language_for_interpretations(capsys: pytest.CaptureFixture) -> None:
    assert main(["check", SHIQUAN, "--on", "2023-01-01", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "解释" not in out and "interpretation " in out

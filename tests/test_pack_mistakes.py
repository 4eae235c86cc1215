"""docs/pack-format.md's table of common mistakes is what the loader says today (tests/pack_mistakes.py)."""

from __future__ import annotations

import re

import pack_mistakes


def test_common_mistakes_table_in_pack_format_doc_is_current() -> None:
    assert pack_mistakes.current() == pack_mistakes.table(), "run: python tests/pack_mistakes.py --write"


def test_each_common_mistake_is_named_in_chinese_first_at_a_line() -> None:
    for _zh, en, old, new in pack_mistakes.MISTAKES:
        msgs = pack_mistakes.messages(pack_mistakes.PACK.replace(old, new, 1))
        assert msgs, en
        for m in msgs:
            file, line, col, text = m.split(":", 3)
            assert file == "rules/lakeside-2024.yaml" and int(line) >= 1 and int(col) >= 1
            # Chinese first: the explanation opens (after the named place, if any) with Chinese words.
            assert re.search("[\u4e00-\u9fff]", text[:40]), f"{en}: not Chinese first: {text}"

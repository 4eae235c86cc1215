"""libyaml reads packs for speed; it must give the same values, positions and problems as the pure-Python parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from villagepolicy.library import shipped_root
from villagepolicy.packs import yamlread
from villagepolicy.packs.yamlread import YamlError, read_yaml

pytestmark = pytest.mark.skipif(len(yamlread._LOADERS) < 2, reason="PyYAML without libyaml has one parser")

SHIPPED = sorted((shipped_root() / "rules").glob("*.yaml")) + sorted((shipped_root() / "jurisdictions").glob("*.yaml"))

HOSTILE = {
    "alias": "a: &x [1, 2]\nb: *x\n",
    "tag": "a: !!python/object:os.system ls\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "merge key": "base: {x: 1}\nother:\n  <<: {y: 2}\n",
    "yaml 1.1 bool": "role: first_secretary\nflag: yes\n",
    "octal": "code: 0371\n",
    "base 60": "time: 9:30\n",
    "quoted stays text": "a: 'yes'\nb: \"0371\"\nc: |\n  true\n",
    "typed": "a: true\nb: null\nc: ~\nd: 12\ne: -3.5\nf: 2021-08-31\ng:\n",
    "big int": "n: 99999999999999999999\n",
    "syntax": "a: [1, 2\nb: 3\n",
    "tab indent": "a:\n\t- 1\n",
    "bad mapping": "a: b: c\n",
    "chinese": "标题: 第一书记\n条款:\n  - id: 13(2)\n    text_zh: 连续请假\n",
    "empty": "",
    "deep": "a: " + "[" * 70 + "]" * 70 + "\n",
}


def _read_with(loaders: tuple[type, ...], text: str, name: str) -> tuple:
    saved = yamlread._LOADERS
    yamlread._LOADERS = loaders
    try:
        loc = read_yaml(text, name)
        return ("ok", loc.data, loc.positions, loc.key_positions)
    except YamlError as e:
        return ("error", [str(p) for p in e.problems])
    finally:
        yamlread._LOADERS = saved


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_with_libyaml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = _read_with(yamlread._LOADERS, text, str(path))
    pure = _read_with(yamlread._LOADERS[-1:], text, str(path))
    assert fast[0] == "ok"
    assert fast == pure


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_gets_the_same_answer_with_libyaml(name: str) -> None:
    fast = _read_with(yamlread._LOADERS, HOSTILE[name], "x.yaml")
    pure = _read_with(yamlread._LOADERS[-1:], HOSTILE[name], "x.yaml")
    assert fast == pure
